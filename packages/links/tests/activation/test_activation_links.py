"""Maxout, PReLU, Swish, SimplifiedDropconnect."""
import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari import initializers
from kusari.utils import type_check

import _links_testing as lt


def test_maxout_params():
    link = L.Maxout(3, 2, 4)
    assert sorted(n for n, _ in link.namedparams()) == ['/linear/W', '/linear/b']
    assert link.linear.W.shape == (8, 3)
    assert (link.linear.b.array == 0).all()
    W = numpy.arange(24, dtype=numpy.float32).reshape(2, 4, 3)
    l2 = L.Maxout(3, 2, 4, initialW=W, initial_bias=None)
    numpy.testing.assert_array_equal(l2.linear.W.array, W.reshape(8, 3))
    assert l2.linear.b is None
    with pytest.raises(ValueError, match='Maxout'):
        L.Maxout(3, 2, 4, initial_bias='x')


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_maxout_forward_backward(dtype):
    lt.require_F('linear', 'maxout')
    rng = numpy.random.RandomState(0)
    with kusari.using_config('dtype', dtype):
        link = L.Maxout(3, 2, 4, initial_bias=rng.uniform(-1, 1, 8).astype(dtype))
    x = rng.uniform(-1, 1, (5, 3)).astype(dtype)
    h = x @ link.linear.W.array.T + link.linear.b.array
    numpy.testing.assert_allclose(link(x).array, h.reshape(5, 2, 4).max(2),
                                  rtol=1e-5, atol=1e-6)
    if dtype == numpy.float64:
        gradient_check.check_backward(link, x, rng.uniform(-1, 1, (5, 2)),
                                      params=tuple(link.params()), atol=1e-6,
                                      rtol=1e-5)
    lt.check_common(lambda: L.Maxout(3, 2, 4), [x.astype(numpy.float32)])


def test_prelu_params():
    link = L.PReLU()
    assert [n for n, _ in link.namedparams()] == ['/W']
    assert link.W.shape == () and link.W.array == numpy.float32(0.25)
    assert L.PReLU((3,), init=0.1).W.shape == (3,)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_prelu_forward_backward(dtype):
    lt.require_F('prelu')
    rng = numpy.random.RandomState(1)
    with kusari.using_config('dtype', dtype):
        link = L.PReLU((3,))
    link.W.array[...] = rng.uniform(-1, 1, 3)
    x = rng.uniform(-1, 1, (2, 3, 2)).astype(dtype)
    x[numpy.abs(x) < 0.05] = 0.5
    W = link.W.array.reshape(1, 3, 1)
    numpy.testing.assert_allclose(link(x).array, numpy.where(x >= 0, x, W * x),
                                  rtol=1e-3, atol=1e-3)
    gradient_check.check_backward(link, x, rng.uniform(-1, 1, x.shape).astype(dtype),
                                  params=(link.W,), dtype=numpy.float64,
                                  atol=1e-2 if dtype == numpy.float16 else 1e-5,
                                  rtol=1e-2 if dtype == numpy.float16 else 1e-4)
    lt.check_common(lambda: L.PReLU((3,)), [x.astype(numpy.float32)])


def test_swish_params_lazy():
    link = L.Swish((3,), beta_init=2.0)
    numpy.testing.assert_array_equal(link.beta.array, [2, 2, 2])
    lazy = L.Swish(None)
    assert lazy.beta.array is None


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_swish_forward_backward(dtype):
    lt.require_F('swish')
    rng = numpy.random.RandomState(2)
    with kusari.using_config('dtype', dtype):
        link = L.Swish(None)
        x = rng.uniform(-1, 1, (2, 3)).astype(dtype)
        y = link(x)
    assert link.beta.shape == (3,) and link.beta.dtype == dtype
    b = link.beta.array
    numpy.testing.assert_allclose(y.array, x / (1 + numpy.exp(-b * x)),
                                  rtol=1e-2 if dtype == numpy.float16 else 1e-5)
    gradient_check.check_backward(link, x, rng.uniform(-1, 1, x.shape).astype(dtype),
                                  params=(link.beta,), dtype=numpy.float64,
                                  atol=1e-2 if dtype == numpy.float16 else 1e-5,
                                  rtol=1e-2 if dtype == numpy.float16 else 1e-4)
    lt.check_common(lambda: L.Swish((3,)), [x.astype(numpy.float32)])


def test_simplified_dropconnect_params():
    link = L.SimplifiedDropconnect(3, 2)
    assert sorted(n for n, _ in link.namedparams()) == ['/W', '/b']
    assert link.W.shape == (2, 3) and (link.b.array == 0).all()
    assert isinstance(link.W.initializer, initializers.HeNormal)
    assert L.SimplifiedDropconnect(None, 2).W.array is None
    assert L.SimplifiedDropconnect(3, 2, nobias=True).b is None


def test_simplified_dropconnect_forward_backward():
    lt.require_F('simplified_dropconnect')
    rng = numpy.random.RandomState(3)
    with kusari.using_config('dtype', numpy.float64):
        link = L.SimplifiedDropconnect(None, 2, ratio=0.5)
        x = rng.uniform(-1, 1, (4, 3))
        mask = (rng.uniform(0, 1, (4, 2, 3)) > 0.5).astype(numpy.float64)
        y = link(x, mask=mask)
    assert link.W.shape == (2, 3)
    ref = numpy.einsum('nij,nj->ni', mask * link.W.array, x) * 2 + link.b.array
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-6)
    numpy.testing.assert_array_equal(link.mask, mask)
    # not training: a plain linear layer
    numpy.testing.assert_allclose(link(x, train=False).array,
                                  x @ link.W.array.T + link.b.array, rtol=1e-6)
    gradient_check.check_backward(lambda x: link(x, mask=mask), x,
                                  rng.uniform(-1, 1, (4, 2)),
                                  params=(link.W, link.b), atol=1e-6, rtol=1e-5)
    x32 = x.astype(numpy.float32)
    lt.check_common(lambda: L.SimplifiedDropconnect(3, 2), [x32],
                    call=lambda l, x: l(x, train=False))


def test_wrong_input_shape():
    with pytest.raises(type_check.InvalidType) as e:
        L.PReLU((3,))(numpy.ones((2, 4), numpy.float32))
    lt.assert_invalid(e, 'PReLU')
    with pytest.raises(type_check.InvalidType) as e:
        L.Swish((3,))(numpy.ones((2, 4), numpy.float32))
    lt.assert_invalid(e, 'Swish')
    with pytest.raises(type_check.InvalidType) as e:
        L.SimplifiedDropconnect(3, 2)(numpy.ones((2, 4), numpy.float32))
    lt.assert_invalid(e, 'SimplifiedDropconnect')
    with pytest.raises(type_check.InvalidType) as e:
        L.Maxout(3, 2, 2)(numpy.ones((2, 4), numpy.float32))
    lt.assert_invalid(e, 'Linear')


@pytest.mark.gpu
def test_gpu():
    x = numpy.random.RandomState(4).uniform(-1, 1, (2, 3)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.Maxout(3, 2, 2), [x])
    lt.check_gpu_round_trip(lambda: L.PReLU((3,)), [x])
    lt.check_gpu_round_trip(lambda: L.Swish((3,)), [x])


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('kind', ['initializer', 'callable', 'scalar', 'array3d'])
def test_maxout_initializers_see_chainer_shapes(dtype, kind):
    import kusari
    from kusari import initializers
    shapes = []
    rng = numpy.random.RandomState(0)
    W3 = rng.uniform(-1, 1, (3, 4, 2)).astype(dtype)
    b2 = rng.uniform(-1, 1, (3, 4)).astype(dtype)
    if kind == 'initializer':
        iw, ib = initializers.Constant(1.0), initializers.Constant(2.0)
        wantW, wantb = numpy.ones((3, 4, 2)), numpy.full((3, 4), 2.0)
    elif kind == 'callable':
        def iw(a):
            shapes.append(a.shape)
            a[...] = W3

        def ib(a):
            shapes.append(a.shape)
            a[...] = b2
        wantW, wantb = W3, b2
    elif kind == 'scalar':
        iw, ib = 1.0, 2.0
        wantW, wantb = numpy.ones((3, 4, 2)), numpy.full((3, 4), 2.0)
    else:
        iw, ib = W3, b2
        wantW, wantb = W3, b2
    with kusari.using_config('dtype', dtype):
        link = L.Maxout(2, 3, 4, initialW=iw, initial_bias=ib)
    assert link.linear.W.dtype == dtype and link.linear.b.dtype == dtype
    numpy.testing.assert_array_equal(link.linear.W.array, wantW.reshape(12, 2))
    numpy.testing.assert_array_equal(link.linear.b.array, wantb.reshape(12))
    if kind == 'callable':
        assert shapes == [(3, 4, 2), (3, 4)]


def test_maxout_rejects_arrays_of_other_shapes():
    with pytest.raises(ValueError, match='Maxout'):
        L.Maxout(2, 3, 4, initialW=numpy.zeros((3, 4, 2, 1), numpy.float32))
    with pytest.raises(ValueError, match='Maxout'):
        L.Maxout(2, 3, 4, initial_bias=numpy.zeros((3, 4, 1), numpy.float32))
