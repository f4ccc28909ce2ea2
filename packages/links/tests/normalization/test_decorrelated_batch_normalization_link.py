import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L


def test_persistents_and_training_update():
    l = L.DecorrelatedBatchNormalization(4, groups=2, decay=0.8)
    assert list(l.params()) == []
    assert l.avg_mean.shape == (2, 2) and l.avg_projection.shape == (2, 2, 2)
    numpy.testing.assert_array_equal(l.avg_projection, numpy.stack([numpy.eye(2)] * 2))
    assert {'avg_mean', 'avg_projection', 'N'} <= set(l._persistent)
    x = numpy.random.RandomState(0).uniform(-1, 1, (16, 4)).astype(numpy.float32)
    rm = numpy.zeros((2, 2), numpy.float32)
    rp = numpy.stack([numpy.eye(2, dtype=numpy.float32)] * 2)
    ref = F.decorrelated_batch_normalization(x, groups=2, running_mean=rm,
                                             running_projection=rp, decay=0.8)
    with kusari.using_config('train', True):
        y = l(x)
    numpy.testing.assert_allclose(y.array, ref.array, atol=1e-6)
    numpy.testing.assert_allclose(l.avg_mean, rm, atol=1e-6)
    numpy.testing.assert_allclose(l.avg_projection, rp, atol=1e-6)
    with kusari.using_config('train', False):
        y2 = l(x)
    numpy.testing.assert_allclose(
        y2.array, F.fixed_decorrelated_batch_normalization(x, rm, rp, groups=2).array,
        atol=1e-6)


def test_finetune_and_recompute():
    l = L.DecorrelatedBatchNormalization(2, groups=1)
    rng = numpy.random.RandomState(1)
    xs = [rng.uniform(-1, 1, (8, 2)).astype(numpy.float32) for _ in range(3)]
    with kusari.using_config('train', True):
        for x in xs:
            l(x, finetune=True)
    assert l.N == 3
    # cumulative average of the batch means
    means = numpy.stack([x.mean(axis=0) for x in xs]).mean(axis=0)
    numpy.testing.assert_allclose(l.avg_mean[0], means, atol=1e-6)
    before = l.avg_mean.copy()
    with kusari.using_config('train', True), kusari.using_config('in_recomputing', True):
        l(xs[0], finetune=True)
    assert l.N == 3
    numpy.testing.assert_array_equal(l.avg_mean, before)
    l.start_finetuning()
    assert l.N == 0
    with pytest.raises(ValueError, match='test argument'):
        l(xs[0], test=True)
    with pytest.raises(ValueError, match='DecorrelatedBatchNormalization'):
        L.DecorrelatedBatchNormalization(6, groups=4)


@pytest.mark.parametrize('groups', [1, 2])
def test_loads_chainer_old_layout_statistics(tmp_path, groups):
    import warnings
    serializers = pytest.importorskip('kusari.serializers')
    C = 8 // groups
    rng = numpy.random.RandomState(0)
    mean = rng.uniform(-1, 1, (C,)).astype(numpy.float32)
    proj = rng.uniform(.5, 1, (C, C)).astype(numpy.float32)
    path = str(tmp_path / 'old.npz')
    numpy.savez(path, avg_mean=mean, avg_projection=proj, N=numpy.array(0))
    link = L.DecorrelatedBatchNormalization(8, groups=groups)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        serializers.load_npz(path, link)
    assert any(issubclass(i.category, UserWarning) for i in w) == (groups != 1)
    numpy.testing.assert_array_equal(link.avg_mean, numpy.broadcast_to(mean, (groups, C)))
    numpy.testing.assert_array_equal(link.avg_projection,
                                     numpy.broadcast_to(proj, (groups, C, C)))
    # the current layout still round-trips
    path2 = str(tmp_path / 'new.npz')
    serializers.save_npz(path2, link)
    link2 = L.DecorrelatedBatchNormalization(8, groups=groups)
    serializers.load_npz(path2, link2)
    numpy.testing.assert_array_equal(link2.avg_projection, link.avg_projection)
