import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari import initializers
from kusari.utils import type_check

import _links_testing as lt


def _ref(x, W, b):
    y = x.reshape(len(x), -1).astype(numpy.float64) @ W.T.astype(numpy.float64)
    return y + b if b is not None else y


def test_params_and_initializers():
    numpy.random.seed(0)
    link = L.Linear(3, 2)
    assert sorted(n for n, _ in link.namedparams()) == ['/W', '/b']
    assert link.W.shape == (2, 3) and link.b.shape == (2,)
    assert link.W.dtype == numpy.float32
    assert isinstance(link.W.initializer, initializers.LeCunNormal)
    numpy.testing.assert_array_equal(link.b.array, numpy.zeros(2, numpy.float32))
    assert link.in_size == 3 and link.out_size == 2


def test_initial_values_and_nobias():
    W = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    link = L.Linear(3, 2, initialW=W, initial_bias=0.5)
    numpy.testing.assert_array_equal(link.W.array, W)
    numpy.testing.assert_array_equal(link.b.array, [0.5, 0.5])
    nb = L.Linear(3, 2, nobias=True)
    assert nb.b is None
    assert [n for n, _ in nb.namedparams()] == ['/W']


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward(dtype):
    lt.require_F('linear')
    rng = numpy.random.RandomState(1)
    with kusari.using_config('dtype', dtype):
        link = L.Linear(3, 4)
    link.b.array[...] = rng.uniform(-1, 1, 4)
    x = rng.uniform(-1, 1, (5, 3)).astype(dtype)
    y = link(x)
    assert y.dtype == dtype and y.shape == (5, 4)
    tol = 1e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(y.array, _ref(x, link.W.array, link.b.array),
                                  rtol=tol, atol=tol)


def test_forward_noncontiguous_and_nd_input():
    lt.require_F('linear')
    rng = numpy.random.RandomState(2)
    link = L.Linear(6, 2)
    x = rng.uniform(-1, 1, (3, 2, 3, 2)).astype(numpy.float32)[..., 0]  # (3, 2, 3)
    assert not x.flags.c_contiguous
    numpy.testing.assert_allclose(link(x).array, _ref(x, link.W.array, link.b.array),
                                  rtol=1e-5, atol=1e-6)
    # n_batch_axes=2: (3, 2) batch, 3 features
    l2 = L.Linear(3, 2)
    y = l2(x, n_batch_axes=2)
    assert y.shape == (3, 2, 2)
    numpy.testing.assert_allclose(
        y.array, (x.reshape(6, 3) @ l2.W.array.T + l2.b.array).reshape(3, 2, 2),
        rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('nobias', [False, True])
def test_backward(nobias):
    lt.require_F('linear')
    rng = numpy.random.RandomState(3)
    with kusari.using_config('dtype', numpy.float64):
        link = L.Linear(3, 2, nobias=nobias)
    x = rng.uniform(-1, 1, (4, 3))
    gy = rng.uniform(-1, 1, (4, 2))
    gradient_check.check_backward(link, x, gy, params=tuple(link.params()),
                                  atol=1e-6, rtol=1e-5)


def test_backward_float16():
    lt.require_F('linear')
    rng = numpy.random.RandomState(4)
    with kusari.using_config('dtype', numpy.float16):
        link = L.Linear(3, 2)
    x = rng.uniform(-1, 1, (4, 3)).astype(numpy.float16)
    gy = rng.uniform(-1, 1, (4, 2)).astype(numpy.float16)
    gradient_check.check_backward(link, x, gy, params=(link.W, link.b),
                                  dtype=numpy.float64, atol=5e-2, rtol=5e-2)


def test_double_backward():
    lt.require_F('linear')
    rng = numpy.random.RandomState(5)
    with kusari.using_config('dtype', numpy.float64):
        link = L.Linear(3, 2)
    x = rng.uniform(-1, 1, (4, 3))
    gy = rng.uniform(-1, 1, (4, 2))
    ggx = rng.uniform(-1, 1, (4, 3))
    gradient_check.check_double_backward(
        lambda x: link(x) ** 2, x, gy, ggx, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize('args', [(None, 2), (2,)])
def test_lazy_init(args):
    lt.require_F('linear')
    link = L.Linear(*args)
    assert link.W.array is None and link.in_size is None and link.out_size == 2
    assert link.b.shape == (2,)
    x = numpy.ones((3, 2, 2), numpy.float32)
    y = link(x)
    assert link.W.shape == (2, 4) and y.shape == (3, 2)
    numpy.testing.assert_allclose(y.array, _ref(x, link.W.array, link.b.array),
                                  rtol=1e-5)


def test_lazy_serialization_initializes():
    src = L.Linear(3, 2)
    saved = {}
    lt.DictSerializer(saved).save(src)
    dst = L.Linear(2)
    lt.DictDeserializer(saved).load(dst)
    numpy.testing.assert_array_equal(dst.W.array, src.W.array)


def test_common():
    lt.require_F('linear')
    x = numpy.random.RandomState(6).uniform(-1, 1, (3, 4)).astype(numpy.float32)
    lt.check_common(lambda: L.Linear(4, 3), [x])


def test_wrong_input_shape():
    link = L.Linear(3, 2)
    with pytest.raises(type_check.InvalidType) as e:
        link(numpy.ones((4, 5), numpy.float32))
    lt.assert_invalid(e, 'Linear')
    with pytest.raises(type_check.InvalidType) as e:
        link(numpy.ones((3,), numpy.float32))
    lt.assert_invalid(e, 'Linear')


def test_printable():
    assert str(L.Linear(3, 2, nobias=True)) == \
        'Linear(in_size=3, out_size=2, nobias=True)'


@pytest.mark.gpu
def test_gpu():
    x = numpy.random.RandomState(7).uniform(-1, 1, (3, 4)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.Linear(4, 3), [x])
