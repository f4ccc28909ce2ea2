import os

import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari.utils import type_check

import _links_testing as lt

FIXTURES = os.environ.get('KUSARI_CHAINER_FIXTURES') or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), *(['..'] * 5), 'shared', 'fixtures',
    'chainer')  # ../shared beside the checkout
# acceptance data made by real Chainer 7.8.1; a plain clone has none (the interop tox
# environment, tests/interop, checks the same against Chainer itself)
needs_fixtures = pytest.mark.skipif(
    not os.path.exists(os.path.join(FIXTURES, 'mlp.npz')),
    reason='Chainer fixtures (../shared/fixtures/chainer) not present')


def _bn_ref(x, gamma, beta, mean, var, eps, axes):
    shape = [1 if i in axes else d for i, d in enumerate(x.shape)]
    return (gamma.reshape(shape) * (x - mean.reshape(shape))
            / numpy.sqrt(var.reshape(shape) + eps) + beta.reshape(shape))


def test_params_persistents_defaults():
    bn = L.BatchNormalization(3)
    assert sorted(n for n, _ in bn.namedparams()) == ['/beta', '/gamma']
    numpy.testing.assert_array_equal(bn.gamma.array, numpy.ones(3, numpy.float32))
    numpy.testing.assert_array_equal(bn.beta.array, numpy.zeros(3, numpy.float32))
    numpy.testing.assert_array_equal(bn.avg_mean, numpy.zeros(3, numpy.float32))
    numpy.testing.assert_array_equal(bn.avg_var, numpy.ones(3, numpy.float32))
    assert bn.N == 0 and bn.decay == 0.9 and bn.eps == 2e-5
    assert bn.avg_mean.dtype == numpy.float32
    saved = {}
    lt.DictSerializer(saved).save(bn)
    assert sorted(saved) == ['N', 'avg_mean', 'avg_var', 'beta', 'gamma']
    bn2 = L.BatchNormalization(3, use_gamma=False, use_beta=False, dtype=numpy.float64,
                               initial_avg_mean=0.5, initial_avg_var=2.0)
    assert bn2.gamma is None and bn2.beta is None and list(bn2.params()) == []
    assert bn2.avg_mean.dtype == numpy.float64
    numpy.testing.assert_array_equal(bn2.avg_var, [2, 2, 2])
    with pytest.raises(RuntimeError, match='BatchNormalization'):
        L.BatchNormalization()


@needs_fixtures
def test_fixture_keys_match_chainer():
    """The keys/shapes Chainer saved for l1=Linear(4,5), bn=BN(5), l2=Linear(5,3)."""
    data = numpy.load(os.path.join(FIXTURES, 'mlp.npz'))
    model = kusari.Chain(l1=L.Linear(4, 5), bn=L.BatchNormalization(5),
                         l2=L.Linear(5, 3))
    saved = {}
    lt.DictSerializer(saved).save(model)
    assert sorted(saved) == sorted(data.files)
    for key in data.files:
        assert numpy.shape(saved[key]) == data[key].shape, key
        assert numpy.asarray(saved[key]).dtype.kind == data[key].dtype.kind, key


@needs_fixtures
def test_fixture_loads_and_predicts_like_chainer():
    lt.require_F('linear', 'relu', 'fixed_batch_normalization')
    data = dict(numpy.load(os.path.join(FIXTURES, 'mlp.npz')))
    expected = numpy.load(os.path.join(FIXTURES, 'expected.npz'))
    model = kusari.Chain(l1=L.Linear(4, 5), bn=L.BatchNormalization(5),
                         l2=L.Linear(5, 3))
    lt.DictDeserializer(data).load(model)
    assert model.bn.N == 0 and isinstance(model.bn.N, int)
    import kusari.functions as F
    with kusari.using_config('train', False):
        y = model.l2(F.relu(model.bn(model.l1(expected['x']))))
    numpy.testing.assert_allclose(y.array, expected['y_eval'], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape', [(5, 3), (4, 3, 2, 2)])
def test_train_forward_and_running_stats(dtype, shape):
    lt.require_F('batch_normalization')
    rng = numpy.random.RandomState(0)
    bn = L.BatchNormalization(3, dtype=dtype)
    bn.gamma.array[...] = rng.uniform(0.5, 1.5, 3)
    bn.beta.array[...] = rng.uniform(-1, 1, 3)
    x = rng.uniform(-1, 1, shape).astype(dtype)
    axes = (0,) + tuple(range(2, len(shape)))
    with kusari.using_config('train', True):
        y = bn(x)
    xd = x.astype(numpy.float64)
    mean, var = xd.mean(axes), xd.var(axes)
    ref = _bn_ref(xd, bn.gamma.array, bn.beta.array, mean, var, 2e-5, axes)
    tol = 5e-2 if dtype == numpy.float16 else 1e-4
    numpy.testing.assert_allclose(y.array, ref, rtol=tol, atol=tol)
    m = x.size // 3
    numpy.testing.assert_allclose(bn.avg_mean, 0.1 * mean, rtol=tol, atol=tol)
    numpy.testing.assert_allclose(bn.avg_var, 0.9 + 0.1 * var * m / (m - 1),
                                  rtol=tol, atol=tol)


def test_test_mode_uses_running_stats():
    lt.require_F('fixed_batch_normalization')
    rng = numpy.random.RandomState(1)
    bn = L.BatchNormalization(3, initial_avg_mean=initializers_uniform(rng, 3),
                              initial_avg_var=2.0)
    x = rng.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    before = bn.avg_mean.copy()
    with kusari.using_config('train', False):
        y = bn(x)
    ref = _bn_ref(x, bn.gamma.array, bn.beta.array, bn.avg_mean, bn.avg_var, 2e-5,
                  (0,))
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_array_equal(bn.avg_mean, before)


def initializers_uniform(rng, n):
    return rng.uniform(-1, 1, n).astype(numpy.float32)


def test_finetune_accumulates_population_statistics():
    lt.require_F('batch_normalization')
    rng = numpy.random.RandomState(2)
    bn = L.BatchNormalization(2, dtype=numpy.float64)
    xs = [rng.uniform(-1, 1, (4, 2)) for _ in range(3)]
    with kusari.using_config('train', True):
        for x in xs:
            bn(x, finetune=True)
    assert bn.N == 3
    numpy.testing.assert_allclose(bn.avg_mean, numpy.mean([x.mean(0) for x in xs], 0),
                                  rtol=1e-10)
    numpy.testing.assert_allclose(
        bn.avg_var, numpy.mean([x.var(0, ddof=1) for x in xs], 0), rtol=1e-10)
    bn.start_finetuning()
    assert bn.N == 0
    with pytest.raises(ValueError):
        bn(xs[0], test=True)


def test_lazy_axis():
    lt.require_F('batch_normalization')
    bn = L.BatchNormalization(axis=(0, 2))
    assert bn.avg_mean is None and bn.gamma.array is None
    x = numpy.random.RandomState(3).uniform(-1, 1, (4, 3, 2)).astype(numpy.float32)
    y = bn(x)
    assert bn.avg_mean.shape == (3,) and bn.gamma.shape == (3,)
    mean, var = x.mean((0, 2)), x.var((0, 2))
    ref = _bn_ref(x, bn.gamma.array, bn.beta.array, mean, var, 2e-5, (0, 2))
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-4, atol=1e-5)


def test_no_gamma_beta_forward():
    lt.require_F('batch_normalization')
    bn = L.BatchNormalization(3, use_gamma=False, use_beta=False)
    x = numpy.random.RandomState(4).uniform(-1, 1, (4, 3)).astype(numpy.float32)
    ref = (x - x.mean(0)) / numpy.sqrt(x.var(0) + 2e-5)
    numpy.testing.assert_allclose(bn(x).array, ref, rtol=1e-4, atol=1e-5)


def test_backward():
    lt.require_F('batch_normalization')
    rng = numpy.random.RandomState(5)
    bn = L.BatchNormalization(3, dtype=numpy.float64)
    x = rng.uniform(-1, 1, (4, 3, 2))[:, :, ::-1]
    gy = rng.uniform(-1, 1, (4, 3, 2))
    gradient_check.check_backward(bn, x, gy, params=(bn.gamma, bn.beta),
                                  atol=1e-5, rtol=1e-4)


def test_common():
    lt.require_F('batch_normalization', 'fixed_batch_normalization')
    x = numpy.random.RandomState(6).uniform(-1, 1, (4, 3)).astype(numpy.float32)

    def call(link, x):
        with kusari.using_config('train', False):
            return link(x)

    def make():
        bn = L.BatchNormalization(3)
        with kusari.using_config('train', True):
            bn(x * 2)          # moves the running statistics away from 0 / 1
        return bn

    trained = lt.check_common(lambda: L.BatchNormalization(3), [x], call=call)
    assert trained is not None
    # persistents survive copy('copy') and the serialization round trip
    bn = make()
    saved = {}
    lt.DictSerializer(saved).save(bn)
    fresh = L.BatchNormalization(3)
    lt.DictDeserializer(saved).load(fresh)
    numpy.testing.assert_array_equal(fresh.avg_mean, bn.avg_mean)
    numpy.testing.assert_array_equal(fresh.avg_var, bn.avg_var)
    copied = bn.copy('copy')
    assert copied.avg_mean is not bn.avg_mean
    numpy.testing.assert_array_equal(copied.avg_var, bn.avg_var)


def test_wrong_input_shape():
    bn = L.BatchNormalization(3)
    with pytest.raises(type_check.InvalidType) as e:
        bn(numpy.ones((4, 2), numpy.float32))
    lt.assert_invalid(e, 'BatchNormalization')


@pytest.mark.gpu
def test_gpu():
    x = numpy.random.RandomState(7).uniform(-1, 1, (4, 3)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.BatchNormalization(3), [x])
