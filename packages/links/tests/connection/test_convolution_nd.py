import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari import initializers
from kusari.utils import type_check

import _links_testing as lt


@pytest.mark.parametrize('cls,ndim', [(L.Convolution1D, 1), (L.Convolution3D, 3)])
def test_fixed_ndim_classes(cls, ndim):
    link = cls(2, 4, 3)
    assert isinstance(link, L.ConvolutionND)
    assert link.W.shape == (4, 2) + (3,) * ndim and link.b.shape == (4,)
    assert isinstance(link.W.initializer, initializers.LeCunNormal)


def test_params_nd():
    link = L.ConvolutionND(2, 4, 6, (2, 3), groups=2, nobias=True)
    assert link.W.shape == (6, 2, 2, 3) and link.b is None
    assert [n for n, _ in link.namedparams()] == ['/W']


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('ndim,kw', [
    (1, dict(stride=2, pad=1)),
    (2, dict(stride=1, pad=1, dilate=2)),
    (3, dict(stride=1, pad=0, groups=2)),
])
def test_forward(dtype, ndim, kw):
    lt.require_F('convolution_nd')
    rng = numpy.random.RandomState(0)
    with kusari.using_config('dtype', dtype):
        link = L.ConvolutionND(ndim, 4, 2, 2, initial_bias=initializers.Uniform(1),
                               **kw)
    x = rng.uniform(-1, 1, (2, 4) + (4,) * ndim).astype(dtype)
    y = link(x)
    ref = lt.conv_ref(x, link.W.array, link.b.array, kw['stride'], kw['pad'],
                      kw.get('dilate', 1), kw.get('groups', 1))
    tol = 3e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(y.array, ref, rtol=tol, atol=tol)


def test_backward():
    lt.require_F('convolution_nd')
    rng = numpy.random.RandomState(1)
    with kusari.using_config('dtype', numpy.float64):
        link = L.Convolution1D(2, 3, 2, pad=1)
    x = rng.uniform(-1, 1, (2, 2, 4))
    gy = rng.uniform(-1, 1, (2, 3, 5))
    gradient_check.check_backward(link, x, gy, params=(link.W, link.b),
                                  atol=1e-6, rtol=1e-5)


def test_lazy_init():
    lt.require_F('convolution_nd')
    link = L.ConvolutionND(3, 2, 2)        # short form: out_channels=2, ksize=2
    assert link.W.array is None
    link(numpy.ones((1, 3, 3, 3, 3), numpy.float32))
    assert link.W.shape == (2, 3, 2, 2, 2)


def test_common():
    lt.require_F('convolution_nd')
    x = numpy.random.RandomState(2).uniform(-1, 1, (2, 2, 3, 3, 3)).astype(numpy.float32)
    lt.check_common(lambda: L.Convolution3D(2, 2, 2), [x])


def test_wrong_input_shape():
    link = L.Convolution3D(2, 2, 2)
    with pytest.raises(type_check.InvalidType) as e:
        link(numpy.ones((1, 2, 3, 3), numpy.float32))
    lt.assert_invalid(e, 'Convolution3D')
    with pytest.raises(type_check.InvalidType) as e:
        link(numpy.ones((1, 3, 3, 3, 3), numpy.float32))
    lt.assert_invalid(e, 'Convolution3D')


@pytest.mark.gpu
def test_gpu():
    x = numpy.random.RandomState(3).uniform(-1, 1, (2, 2, 5)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.Convolution1D(2, 3, 2), [x])
