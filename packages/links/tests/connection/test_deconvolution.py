import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari import initializers
from kusari.utils import type_check

import _links_testing as lt


def test_params_2d():
    link = L.Deconvolution2D(3, 4, 2, stride=2)
    assert link.W.shape == (3, 4, 2, 2) and link.b.shape == (4,)
    assert isinstance(link.W.initializer, initializers.LeCunNormal)
    assert (link.b.array == 0).all()
    g = L.Deconvolution2D(4, 6, 3, groups=2)
    assert g.W.shape == (4, 3, 3, 3)


@pytest.mark.parametrize('cls,ndim', [(L.Deconvolution1D, 1), (L.Deconvolution3D, 3)])
def test_params_nd(cls, ndim):
    link = cls(2, 4, 3)
    assert isinstance(link, L.DeconvolutionND)
    assert link.W.shape == (2, 4) + (3,) * ndim


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('kw', [
    dict(stride=1, pad=0), dict(stride=2, pad=1), dict(stride=1, pad=0, groups=2),
    dict(stride=2, pad=0, dilate=2),
])
def test_forward_2d(dtype, kw):
    lt.require_F('deconvolution_2d')
    rng = numpy.random.RandomState(0)
    with kusari.using_config('dtype', dtype):
        link = L.Deconvolution2D(4, 2, 3, initial_bias=initializers.Uniform(1), **kw)
    x = rng.uniform(-1, 1, (2, 4, 3, 3)).astype(dtype)
    y = link(x)
    ref = lt.deconv_ref(x, link.W.array, link.b.array, kw['stride'], kw['pad'],
                        kw.get('dilate', 1), kw.get('groups', 1))
    tol = 3e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(y.array, ref, rtol=tol, atol=tol)


@pytest.mark.parametrize('ndim', [1, 3])
def test_forward_nd(ndim):
    lt.require_F('deconvolution_nd')
    rng = numpy.random.RandomState(1)
    link = L.DeconvolutionND(ndim, 2, 3, 2, stride=2, pad=1,
                             initial_bias=initializers.Uniform(1))
    x = rng.uniform(-1, 1, (2, 2) + (3,) * ndim).astype(numpy.float32)
    numpy.testing.assert_allclose(
        link(x).array, lt.deconv_ref(x, link.W.array, link.b.array, 2, 1),
        rtol=1e-5, atol=1e-5)


def test_noncontiguous_input():
    lt.require_F('deconvolution_2d')
    link = L.Deconvolution2D(2, 3, 2)
    x = numpy.random.RandomState(2).uniform(-1, 1, (2, 3, 3, 2)).astype(
        numpy.float32).transpose(0, 3, 1, 2)
    numpy.testing.assert_allclose(link(x).array,
                                  lt.deconv_ref(x, link.W.array, link.b.array),
                                  rtol=1e-5, atol=1e-5)


def test_backward():
    lt.require_F('deconvolution_2d')
    rng = numpy.random.RandomState(3)
    with kusari.using_config('dtype', numpy.float64):
        link = L.Deconvolution2D(2, 2, 2, stride=2)
    x = rng.uniform(-1, 1, (1, 2, 2, 2))
    gy = rng.uniform(-1, 1, (1, 2, 4, 4))
    gradient_check.check_backward(link, x, gy, params=(link.W, link.b),
                                  atol=1e-6, rtol=1e-5)


def test_lazy_init():
    lt.require_F('deconvolution_2d', 'deconvolution_nd')
    link = L.Deconvolution2D(3, 2)       # short form
    assert link.W.array is None
    assert link(numpy.ones((1, 5, 2, 2), numpy.float32)).shape == (1, 3, 3, 3)
    assert link.W.shape == (5, 3, 2, 2)
    nd = L.Deconvolution1D(None, 3, 2)
    nd(numpy.ones((1, 4, 2), numpy.float32))
    assert nd.W.shape == (4, 3, 2)


def test_common():
    lt.require_F('deconvolution_2d')
    x = numpy.random.RandomState(4).uniform(-1, 1, (2, 2, 3, 3)).astype(numpy.float32)
    lt.check_common(lambda: L.Deconvolution2D(2, 3, 2, stride=2), [x])


def test_wrong_input_shape():
    link = L.Deconvolution2D(3, 2, 2)
    with pytest.raises(type_check.InvalidType) as e:
        link(numpy.ones((1, 2, 3, 3), numpy.float32))
    lt.assert_invalid(e, 'Deconvolution2D')
    with pytest.raises(type_check.InvalidType) as e:
        L.Deconvolution1D(3, 2, 2)(numpy.ones((1, 3, 3, 3), numpy.float32))
    lt.assert_invalid(e, 'Deconvolution1D')


@pytest.mark.gpu
def test_gpu():
    x = numpy.random.RandomState(5).uniform(-1, 1, (2, 2, 3, 3)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.Deconvolution2D(2, 3, 2, stride=2), [x])
