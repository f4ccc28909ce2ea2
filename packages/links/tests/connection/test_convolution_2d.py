import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari import initializers
from kusari.utils import type_check

import _links_testing as lt


def test_params_and_initializers():
    link = L.Convolution2D(3, 4, 3)
    assert sorted(n for n, _ in link.namedparams()) == ['/W', '/b']
    assert link.W.shape == (4, 3, 3, 3) and link.b.shape == (4,)
    assert isinstance(link.W.initializer, initializers.LeCunNormal)
    assert (link.b.array == 0).all()
    assert link.stride == (1, 1) and link.pad == (0, 0) and link.dilate == (1, 1)
    g = L.Convolution2D(4, 6, (2, 3), groups=2, nobias=True)
    assert g.W.shape == (6, 2, 2, 3) and g.b is None


def test_bad_groups_and_kwargs():
    with pytest.raises(ValueError, match='Convolution2D'):
        L.Convolution2D(3, 5, 3, groups=2)
    with pytest.raises(ValueError, match='Convolution2D'):
        L.Convolution2D(3, 4, 3, groups=2)
    with pytest.raises(TypeError):
        L.Convolution2D(3, 4, 3, foo=1)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('kw', [
    dict(stride=1, pad=0),
    dict(stride=2, pad=1),
    dict(stride=1, pad=2, dilate=2),
    dict(stride=1, pad=1, groups=2),
])
def test_forward(dtype, kw):
    lt.require_F('convolution_2d')
    rng = numpy.random.RandomState(0)
    with kusari.using_config('dtype', dtype):
        link = L.Convolution2D(4, 6, 3, initial_bias=initializers.Uniform(1), **kw)
    x = rng.uniform(-1, 1, (2, 4, 5, 5)).astype(dtype)
    y = link(x)
    ref = lt.conv_ref(x, link.W.array, link.b.array, kw['stride'], kw['pad'],
                      kw.get('dilate', 1), kw.get('groups', 1))
    tol = 3e-2 if dtype == numpy.float16 else 1e-5
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, ref, rtol=tol, atol=tol)


def test_noncontiguous_input():
    lt.require_F('convolution_2d')
    rng = numpy.random.RandomState(1)
    link = L.Convolution2D(2, 3, 2)
    x = rng.uniform(-1, 1, (2, 4, 4, 2)).astype(numpy.float32).transpose(0, 3, 1, 2)
    assert not x.flags.c_contiguous
    numpy.testing.assert_allclose(link(x).array,
                                  lt.conv_ref(x, link.W.array, link.b.array),
                                  rtol=1e-5, atol=1e-5)


def test_backward():
    lt.require_F('convolution_2d')
    rng = numpy.random.RandomState(2)
    with kusari.using_config('dtype', numpy.float64):
        link = L.Convolution2D(2, 4, 2, stride=1, pad=1, groups=2)
    x = rng.uniform(-1, 1, (2, 2, 3, 3))
    gy = rng.uniform(-1, 1, (2, 4, 4, 4))
    gradient_check.check_backward(link, x, gy, params=(link.W, link.b),
                                  atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('args', [(3, 2), (None, 3, 2)])
def test_lazy_init(args):
    lt.require_F('convolution_2d')
    link = L.Convolution2D(*args)
    assert link.W.array is None and link.out_channels == 3 and link.b.shape == (3,)
    x = numpy.ones((1, 5, 4, 4), numpy.float32)
    assert link(x).shape == (1, 3, 3, 3)
    assert link.W.shape == (3, 5, 2, 2)


def test_common():
    lt.require_F('convolution_2d')
    x = numpy.random.RandomState(3).uniform(-1, 1, (2, 2, 4, 4)).astype(numpy.float32)
    lt.check_common(lambda: L.Convolution2D(2, 3, 3, pad=1), [x])


def test_wrong_input_shape():
    link = L.Convolution2D(3, 2, 3)
    with pytest.raises(type_check.InvalidType) as e:
        link(numpy.ones((1, 4, 5, 5), numpy.float32))
    lt.assert_invalid(e, 'Convolution2D')
    with pytest.raises(type_check.InvalidType) as e:
        link(numpy.ones((3, 5, 5), numpy.float32))
    lt.assert_invalid(e, 'Convolution2D')


@pytest.mark.gpu
def test_gpu():
    x = numpy.random.RandomState(4).uniform(-1, 1, (2, 2, 4, 4)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.Convolution2D(2, 3, 3, pad=1), [x])
