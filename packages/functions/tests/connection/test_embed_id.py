import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType


def _ref(x, W, ignore):
    y = numpy.zeros(x.shape + (W.shape[1],), W.dtype)
    for idx in numpy.ndindex(*x.shape):
        if ignore is None or x[idx] != ignore:
            y[idx] = W[x[idx]]
    return y


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('idtype', [numpy.int32, numpy.int64, numpy.int16])
@pytest.mark.parametrize('ignore', [None, -1, 2])
def test_forward(dtype, idtype, ignore):
    rng = numpy.random.RandomState(0)
    W = rng.uniform(-1, 1, (4, 3)).astype(dtype)
    x = numpy.array([[0, 1, 3], [2, 2, 1]], idtype)
    if ignore == -1:
        x[0, 1] = -1
    y = F.embed_id(x, W, ignore_label=ignore)
    assert y.dtype == dtype and y.shape == (2, 3, 3)
    numpy.testing.assert_array_equal(y.array, _ref(x, W, ignore))


@pytest.mark.parametrize('ignore', [None, -1, 1])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_backward(ignore, dtype):
    rng = numpy.random.RandomState(0)
    W = rng.uniform(-1, 1, (4, 3)).astype(dtype)
    x = numpy.array([[0, 1, 3], [-1 if ignore == -1 else 2, 1, 1]], numpy.int32)
    gy = rng.uniform(-1, 1, (2, 3, 3)).astype(dtype)
    gradient_check.check_backward(lambda x, W: F.embed_id(x, W, ignore), (x, W), gy,
                                  dtype=numpy.float64, atol=1e-4, rtol=1e-3)
    # the scatter-add against numpy.add.at
    vW = kusari.Variable(W)
    y = F.embed_id(x, vW, ignore)
    y.grad = gy
    y.backward()
    ref = numpy.zeros(W.shape, numpy.float64)
    for idx in numpy.ndindex(*x.shape):
        if ignore is None or x[idx] != ignore:
            ref[x[idx]] += gy[idx]
    numpy.testing.assert_allclose(vW.grad, ref, rtol=1e-6)


def test_backward_float16_noncontiguous():
    rng = numpy.random.RandomState(0)
    W = numpy.asfortranarray(rng.uniform(-1, 1, (4, 3)).astype(numpy.float16))
    x = numpy.array([[0, 1, 3, 2], [2, 1, 1, 0]], numpy.int64)[:, ::2]
    assert not x.flags.c_contiguous
    gy = rng.uniform(-1, 1, (2, 2, 3)).astype(numpy.float16)
    gradient_check.check_backward(F.embed_id, (x, W), gy, dtype=numpy.float64,
                                  atol=5e-2, rtol=5e-2)


def test_double_backward():
    rng = numpy.random.RandomState(0)
    W = rng.uniform(-1, 1, (4, 3))
    x = numpy.array([0, 3, 3, -1], numpy.int32)
    gy = rng.uniform(-1, 1, (4, 3))
    ggW = rng.uniform(-1, 1, (4, 3))
    gradient_check.check_double_backward(lambda x, W: F.embed_id(x, W, -1), (x, W), gy,
                                         ggW, atol=1e-6)


def test_invalid():
    W = numpy.zeros((3, 2), numpy.float32)
    with pytest.raises(ValueError, match='embed_id'):
        F.embed_id(numpy.array([0, 3], numpy.int32), W)
    with pytest.raises(ValueError, match='embed_id'):
        F.embed_id(numpy.array([0, -1], numpy.int32), W)
    with pytest.raises(ValueError, match='embed_id'):
        F.embed_id(numpy.array([0, -2], numpy.int32), W, ignore_label=-1)
    with pytest.raises(InvalidType, match='EmbedIDFunction'):
        F.embed_id(numpy.array([0.0]), W)
    with pytest.raises(InvalidType, match='EmbedIDFunction'):
        F.embed_id(numpy.array([0], numpy.int32), W[0])


@pytest.mark.gpu
def test_gpu():
    import cupy
    W = numpy.random.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    x = numpy.array([0, 3, 3, -1], numpy.int32)
    vW = kusari.Variable(cupy.asarray(W))
    y = F.embed_id(cupy.asarray(x), vW, ignore_label=-1)
    numpy.testing.assert_array_equal(y.array.get(), _ref(x, W, -1))
    y.grad = cupy.ones(y.shape, numpy.float32)
    y.backward()
    numpy.testing.assert_allclose(vW.grad.get()[3], 2 * numpy.ones(3))
