import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari import initializers
from kusari.utils import type_check

import _links_testing as lt


def _depthwise_ref(x, W, b, stride, pad):
    # Each input channel c is convolved with W[:, c]; output channel c * M + m.
    M, C = W.shape[:2]
    Wg = W.transpose(1, 0, 2, 3).reshape(C * M, 1, *W.shape[2:])
    return lt.conv_ref(x, Wg, b, stride, pad, groups=C)


def test_depthwise_params():
    link = L.DepthwiseConvolution2D(3, 2, 3)
    assert sorted(n for n, _ in link.namedparams()) == ['/W', '/b']
    assert link.W.shape == (2, 3, 3, 3) and link.b.shape == (6,)
    assert isinstance(link.W.initializer, initializers.HeNormal)
    lazy = L.DepthwiseConvolution2D(None, 2, 3)
    assert lazy.W.array is None and lazy.b.array is None


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_depthwise_forward(dtype):
    lt.require_F('depthwise_convolution_2d')
    rng = numpy.random.RandomState(0)
    with kusari.using_config('dtype', dtype):
        link = L.DepthwiseConvolution2D(3, 2, 2, stride=2, pad=1,
                                        initial_bias=initializers.Uniform(1))
    x = rng.uniform(-1, 1, (2, 3, 4, 4)).astype(dtype)
    ref = _depthwise_ref(x, link.W.array, link.b.array, 2, 1)
    tol = 3e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(link(x).array, ref, rtol=tol, atol=tol)


def test_depthwise_backward_lazy_common():
    lt.require_F('depthwise_convolution_2d')
    rng = numpy.random.RandomState(1)
    with kusari.using_config('dtype', numpy.float64):
        link = L.DepthwiseConvolution2D(None, 2, 2)
        x = rng.uniform(-1, 1, (1, 2, 3, 3))
        gy = rng.uniform(-1, 1, (1, 4, 2, 2))
        link(x)
    assert link.W.dtype == numpy.float64
    assert link.W.shape == (2, 2, 2, 2) and link.b.shape == (4,)
    gradient_check.check_backward(link, x, gy, params=(link.W, link.b),
                                  atol=1e-6, rtol=1e-5)
    lt.check_common(lambda: L.DepthwiseConvolution2D(2, 2, 2),
                    [x.astype(numpy.float32)])


def test_dilated_params():
    link = L.DilatedConvolution2D(3, 4, 3, dilate=2)
    assert link.W.shape == (4, 3, 3, 3) and link.b.shape == (4,)
    assert link.dilate == (2, 2)
    assert isinstance(link.W.initializer, initializers.LeCunNormal)
    assert L.DilatedConvolution2D(4, 3).W.array is None


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_dilated_forward(dtype):
    lt.require_F('dilated_convolution_2d')
    rng = numpy.random.RandomState(2)
    with kusari.using_config('dtype', dtype):
        link = L.DilatedConvolution2D(2, 3, 2, pad=1, dilate=2,
                                      initial_bias=initializers.Uniform(1))
    x = rng.uniform(-1, 1, (2, 2, 5, 5)).astype(dtype)
    ref = lt.conv_ref(x, link.W.array, link.b.array, 1, 1, 2)
    tol = 3e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(link(x).array, ref, rtol=tol, atol=tol)


def test_dilated_backward_lazy_common():
    lt.require_F('dilated_convolution_2d')
    rng = numpy.random.RandomState(3)
    with kusari.using_config('dtype', numpy.float64):
        link = L.DilatedConvolution2D(None, 2, 2, dilate=2)
        x = rng.uniform(-1, 1, (1, 2, 4, 4))
        gy = rng.uniform(-1, 1, (1, 2, 2, 2))
        link(x)
    assert link.W.dtype == numpy.float64
    assert link.W.shape == (2, 2, 2, 2)
    gradient_check.check_backward(link, x, gy, params=(link.W, link.b),
                                  atol=1e-6, rtol=1e-5)
    lt.check_common(lambda: L.DilatedConvolution2D(2, 2, 2, dilate=2),
                    [x.astype(numpy.float32)])


def test_wrong_input_shape():
    with pytest.raises(type_check.InvalidType) as e:
        L.DepthwiseConvolution2D(3, 2, 2)(numpy.ones((1, 2, 3, 3), numpy.float32))
    lt.assert_invalid(e, 'DepthwiseConvolution2D')
    with pytest.raises(type_check.InvalidType) as e:
        L.DilatedConvolution2D(3, 2, 2)(numpy.ones((1, 3, 3), numpy.float32))
    lt.assert_invalid(e, 'DilatedConvolution2D')


@pytest.mark.gpu
def test_gpu():
    x = numpy.random.RandomState(4).uniform(-1, 1, (1, 2, 4, 4)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.DepthwiseConvolution2D(2, 2, 2), [x])
    lt.check_gpu_round_trip(lambda: L.DilatedConvolution2D(2, 2, 2, dilate=2), [x])
