import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check

import _links_testing as lt


def test_bias_params():
    link = L.Bias(axis=1, shape=(3,))
    assert [n for n, _ in link.namedparams()] == ['/b']
    numpy.testing.assert_array_equal(link.b.array, numpy.zeros(3, numpy.float32))
    assert list(L.Bias().namedparams()) == []


def test_scale_params():
    link = L.Scale(W_shape=(3,), bias_term=True)
    assert sorted(n for n, _ in link.namedparams()) == ['/W', '/bias/b']
    numpy.testing.assert_array_equal(link.W.array, numpy.ones(3, numpy.float32))
    s = L.Scale(bias_term=True, bias_shape=(3,))
    assert [n for n, _ in s.namedparams()] == ['/bias/b']
    with pytest.raises(ValueError, match='Scale'):
        L.Scale(bias_term=True)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_bias_forward(dtype):
    lt.require_F('bias')
    rng = numpy.random.RandomState(0)
    with kusari.using_config('dtype', dtype):
        link = L.Bias(axis=1, shape=(3, 2))
    link.b.array[...] = rng.uniform(-1, 1, (3, 2))
    x = rng.uniform(-1, 1, (2, 3, 2, 4)).astype(dtype)
    ref = x + link.b.array.reshape(1, 3, 2, 1)
    numpy.testing.assert_allclose(link(x).array, ref, rtol=1e-3, atol=1e-3)
    # two-argument form
    b = rng.uniform(-1, 1, (3, 2)).astype(dtype)
    numpy.testing.assert_allclose(L.Bias(axis=1)(x, b).array,
                                  x + b.reshape(1, 3, 2, 1), rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_scale_forward(dtype):
    lt.require_F('scale', 'bias')
    rng = numpy.random.RandomState(1)
    with kusari.using_config('dtype', dtype):
        link = L.Scale(axis=1, W_shape=(3,), bias_term=True)
    link.W.array[...] = rng.uniform(-1, 1, 3)
    link.bias.b.array[...] = rng.uniform(-1, 1, 3)
    x = rng.uniform(-1, 1, (2, 3, 4)).astype(dtype)
    ref = x * link.W.array.reshape(1, 3, 1) + link.bias.b.array.reshape(1, 3, 1)
    numpy.testing.assert_allclose(link(x).array, ref, rtol=1e-2, atol=1e-2)
    W = rng.uniform(-1, 1, (3,)).astype(dtype)
    numpy.testing.assert_allclose(L.Scale(axis=1)(x, W).array,
                                  x * W.reshape(1, 3, 1), rtol=1e-3, atol=1e-3)


def test_backward():
    lt.require_F('scale', 'bias')
    rng = numpy.random.RandomState(2)
    with kusari.using_config('dtype', numpy.float64):
        link = L.Scale(axis=1, W_shape=(3,), bias_term=True)
    x = rng.uniform(-1, 1, (2, 3, 2))[:, :, ::-1]
    gy = rng.uniform(-1, 1, (2, 3, 2))
    gradient_check.check_backward(link, x, gy, params=tuple(link.params()),
                                  atol=1e-6, rtol=1e-5)


def test_common():
    lt.require_F('scale', 'bias')
    x = numpy.random.RandomState(3).uniform(-1, 1, (2, 3, 2)).astype(numpy.float32)
    lt.check_common(lambda: L.Scale(W_shape=(3,), bias_term=True), [x])
    lt.check_common(lambda: L.Bias(shape=(3,)), [x])


def test_wrong_number_of_inputs():
    x = numpy.ones((2, 3), numpy.float32)
    with pytest.raises(TypeError, match='Bias'):
        L.Bias(shape=(3,))(x, x)
    with pytest.raises(TypeError, match='Scale'):
        L.Scale()(x)


def test_wrong_input_shape():
    lt.require_F('bias')
    with pytest.raises(TypeError):
        L.Bias(shape=(4,))(numpy.ones((2, 3), numpy.float32))


@pytest.mark.gpu
def test_gpu():
    x = numpy.random.RandomState(4).uniform(-1, 1, (2, 3, 2)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.Scale(W_shape=(3,), bias_term=True), [x])
