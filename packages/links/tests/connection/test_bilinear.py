import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari import initializers
from kusari.utils import type_check

import _links_testing as lt


def _ref(e1, e2, W, V1=None, V2=None, b=None):
    y = numpy.einsum('ij,ik,jkl->il', e1, e2, W)
    if V1 is not None:
        y = y + e1 @ V1 + e2 @ V2 + b
    return y


def test_params_and_initializers():
    link = L.Bilinear(2, 3, 4)
    assert sorted(n for n, _ in link.namedparams()) == ['/V1', '/V2', '/W', '/b']
    assert link.W.shape == (2, 3, 4)
    assert link.V1.shape == (2, 4) and link.V2.shape == (3, 4) and link.b.shape == (4,)
    assert isinstance(link.W.initializer, initializers.LeCunNormal)
    assert isinstance(link.V1.initializer, initializers.LeCunNormal)
    assert (link.b.array == 0).all()
    nb = L.Bilinear(2, 3, 4, nobias=True)
    assert [n for n, _ in nb.namedparams()] == ['/W']


def test_initial_values():
    W = numpy.ones((2, 3, 4), numpy.float32)
    V1 = numpy.full((2, 4), 2, numpy.float32)
    V2 = numpy.full((3, 4), 3, numpy.float32)
    b = numpy.full((4,), 4, numpy.float32)
    link = L.Bilinear(2, 3, 4, initialW=W, initial_bias=(V1, V2, b))
    for p, v in ((link.W, W), (link.V1, V1), (link.V2, V2), (link.b, b)):
        numpy.testing.assert_array_equal(p.array, v)
    with pytest.raises(ValueError, match='Bilinear'):
        L.Bilinear(2, 3, 4, initialW=numpy.ones((3, 2, 4), numpy.float32))
    with pytest.raises(ValueError, match='Bilinear'):
        L.Bilinear(2, 3, 4, initial_bias=0)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('nobias', [False, True])
def test_forward(dtype, nobias):
    lt.require_F('bilinear')
    rng = numpy.random.RandomState(0)
    with kusari.using_config('dtype', dtype):
        link = L.Bilinear(2, 3, 4, nobias=nobias)
    e1 = rng.uniform(-1, 1, (5, 2)).astype(dtype)
    e2 = rng.uniform(-1, 1, (5, 3)).astype(dtype)
    params = [p.array.astype(numpy.float64) for p in
              ((link.W,) if nobias else (link.W, link.V1, link.V2, link.b))]
    ref = _ref(e1.astype(numpy.float64), e2.astype(numpy.float64), *params)
    tol = 3e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(link(e1, e2).array, ref, rtol=tol, atol=tol)


def test_backward():
    lt.require_F('bilinear')
    rng = numpy.random.RandomState(1)
    with kusari.using_config('dtype', numpy.float64):
        link = L.Bilinear(2, 3, 2)
    e1 = rng.uniform(-1, 1, (3, 2))
    e2 = rng.uniform(-1, 1, (3, 3))[:, ::-1]
    gy = rng.uniform(-1, 1, (3, 2))
    gradient_check.check_backward(link, (e1, e2), gy, params=tuple(link.params()),
                                  atol=1e-6, rtol=1e-5)


def test_common():
    lt.require_F('bilinear')
    rng = numpy.random.RandomState(2)
    e1 = rng.uniform(-1, 1, (3, 2)).astype(numpy.float32)
    e2 = rng.uniform(-1, 1, (3, 3)).astype(numpy.float32)
    lt.check_common(lambda: L.Bilinear(2, 3, 4), [e1, e2])


def test_wrong_input_shape():
    link = L.Bilinear(2, 3, 4)
    with pytest.raises(type_check.InvalidType) as e:
        link(numpy.ones((3, 3), numpy.float32), numpy.ones((3, 3), numpy.float32))
    lt.assert_invalid(e, 'Bilinear')


@pytest.mark.gpu
def test_gpu():
    rng = numpy.random.RandomState(3)
    e1 = rng.uniform(-1, 1, (3, 2)).astype(numpy.float32)
    e2 = rng.uniform(-1, 1, (3, 3)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.Bilinear(2, 3, 4), [e1, e2])
