"""Highway, Inception, InceptionBN and MLPConvolution2D (chains of other links)."""
import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari.utils import type_check

import _links_testing as lt


def _sigmoid(x):
    return 1 / (1 + numpy.exp(-x))


def _relu(x):
    return numpy.maximum(x, 0)


def _maxpool3(x):
    # 3x3 max pooling, stride 1, pad 1 (padding never wins).
    xp = numpy.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)], constant_values=-numpy.inf)
    H, W = x.shape[2:]
    return numpy.max([xp[:, :, i:i + H, j:j + W] for i in range(3) for j in range(3)],
                     axis=0)


def test_highway_params():
    link = L.Highway(3)
    assert sorted(n for n, _ in link.namedparams()) == [
        '/plain/W', '/plain/b', '/transform/W', '/transform/b']
    numpy.testing.assert_array_equal(link.transform.b.array, [-1, -1, -1])
    numpy.testing.assert_array_equal(link.plain.b.array, [0, 0, 0])
    assert sorted(n for n, _ in L.Highway(3, nobias=True).namedparams()) == [
        '/plain/W', '/transform/W']


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_highway_forward_backward(dtype):
    lt.require_F('linear', 'relu', 'sigmoid')
    rng = numpy.random.RandomState(0)
    with kusari.using_config('dtype', dtype):
        link = L.Highway(3)
    x = rng.uniform(-1, 1, (4, 3)).astype(dtype)
    h = _relu(x @ link.plain.W.array.T + link.plain.b.array)
    t = _sigmoid(x @ link.transform.W.array.T + link.transform.b.array)
    numpy.testing.assert_allclose(link(x).array, h * t + x * (1 - t), rtol=1e-5,
                                  atol=1e-6)
    if dtype == numpy.float64:
        gradient_check.check_backward(link, x, rng.uniform(-1, 1, (4, 3)),
                                      params=tuple(link.params()), atol=1e-5,
                                      rtol=1e-4)
    lt.check_common(lambda: L.Highway(3), [x.astype(numpy.float32)])


def test_inception():
    lt.require_F('convolution_2d', 'relu', 'max_pooling_2d', 'concat')
    rng = numpy.random.RandomState(1)
    link = L.Inception(2, 1, 2, 3, 2, 1, 2)
    assert sorted(name for name, _ in link.namedlinks(skipself=True)) == [
        '/conv1', '/conv3', '/conv5', '/proj3', '/proj5', '/projp']
    assert link.conv3.W.shape == (3, 2, 3, 3) and link.conv5.W.shape == (1, 2, 5, 5)
    x = rng.uniform(-1, 1, (2, 2, 4, 4)).astype(numpy.float32)
    y = link(x)
    assert y.shape == (2, 1 + 3 + 1 + 2, 4, 4)

    def c(l, v, pad=0):
        return lt.conv_ref(v, l.W.array, l.b.array, 1, pad)
    ref = _relu(numpy.concatenate([
        c(link.conv1, x), c(link.conv3, _relu(c(link.proj3, x)), 1),
        c(link.conv5, _relu(c(link.proj5, x)), 2), c(link.projp, _maxpool3(x))], 1))
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-4, atol=1e-5)
    lt.check_common(lambda: L.Inception(2, 1, 2, 3, 2, 1, 2), [x])


@pytest.mark.parametrize('pooltype', ['max', 'avg'])
def test_inceptionbn(pooltype):
    lt.require_F('convolution_2d', 'relu', 'max_pooling_2d', 'average_pooling_2d',
                 'concat', 'batch_normalization')
    x = numpy.random.RandomState(2).uniform(-1, 1, (3, 2, 4, 4)).astype(numpy.float32)
    link = L.InceptionBN(2, 1, 2, 2, 2, 3, pooltype, proj_pool=2)
    names = sorted(n for n, _ in link.namedlinks(skipself=True))
    assert names == sorted(['/conv1', '/conv1n', '/conv33a', '/conv33an', '/conv33b',
                            '/conv33bn', '/conv3', '/conv3n', '/poolp', '/poolpn',
                            '/proj3', '/proj33', '/proj33n', '/proj3n'])
    assert link.conv1.b is None
    y = link(x)
    assert y.shape == (3, 1 + 2 + 3 + 2, 4, 4)
    # the 1x1 path is relu(bn(conv(x))) with batch statistics
    h = lt.conv_ref(x, link.conv1.W.array)
    h = (h - h.mean((0, 2, 3), keepdims=True)) / numpy.sqrt(
        h.var((0, 2, 3), keepdims=True) + 2e-5)
    numpy.testing.assert_allclose(y.array[:, :1], _relu(h), rtol=1e-3, atol=1e-4)
    lt.check_common(lambda: L.InceptionBN(2, 1, 2, 2, 2, 3, pooltype, proj_pool=2),
                    [x], persistents=())
    stride2 = L.InceptionBN(2, 0, 2, 2, 2, 3, pooltype, stride=2)
    assert stride2(x).shape == (3, 2 + 3 + 2, 2, 2)


def test_inceptionbn_bad_args():
    with pytest.raises(NotImplementedError, match='InceptionBN'):
        L.InceptionBN(2, 1, 2, 2, 2, 3, 'min', proj_pool=2)
    with pytest.raises(ValueError, match='InceptionBN'):
        L.InceptionBN(2, 1, 2, 2, 2, 3, 'max')


def test_mlp_convolution_2d():
    lt.require_F('convolution_2d', 'relu')
    link = L.MLPConvolution2D(2, (3, 4, 2), 3, pad=1)
    assert len(link) == 3
    assert [c.W.shape for c in link] == [(3, 2, 3, 3), (4, 3, 1, 1), (2, 4, 1, 1)]
    x = numpy.random.RandomState(3).uniform(-1, 1, (2, 2, 3, 3)).astype(numpy.float32)
    h = _relu(lt.conv_ref(x, link[0].W.array, link[0].b.array, 1, 1))
    h = _relu(lt.conv_ref(h, link[1].W.array, link[1].b.array))
    ref = lt.conv_ref(h, link[2].W.array, link[2].b.array)
    numpy.testing.assert_allclose(link(x).array, ref, rtol=1e-4, atol=1e-5)
    lazy = L.MLPConvolution2D((3, 2), 1)
    assert lazy[0].W.array is None
    assert lazy(x).shape == (2, 2, 3, 3) and lazy[0].W.shape == (3, 2, 1, 1)
    lt.check_common(lambda: L.MLPConvolution2D(2, (3, 2), 3, pad=1), [x])


def test_mlp_convolution_2d_bad_args():
    with pytest.raises(TypeError):
        L.MLPConvolution2D(2, (3,), 3, 1, 0, None, 1.0)
    with pytest.raises(ValueError):
        L.MLPConvolution2D(2, (3,), 3, wscale=1.0)
    with pytest.raises(ValueError, match='MLPConvolution2D'):
        L.MLPConvolution2D(2, (), 3)


def test_wrong_input_shape():
    with pytest.raises(type_check.InvalidType) as e:
        L.Highway(3)(numpy.ones((2, 4), numpy.float32))
    lt.assert_invalid(e, 'Linear')
    with pytest.raises(type_check.InvalidType) as e:
        L.Inception(2, 1, 2, 3, 2, 1, 2)(numpy.ones((1, 3, 4, 4), numpy.float32))
    lt.assert_invalid(e, 'Convolution2D')


@pytest.mark.gpu
def test_gpu():
    x = numpy.random.RandomState(4).uniform(-1, 1, (2, 2, 4, 4)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.Inception(2, 1, 2, 3, 2, 1, 2), [x])
    lt.check_gpu_round_trip(lambda: L.Highway(3), [x[:, 0, 0, :3]])
