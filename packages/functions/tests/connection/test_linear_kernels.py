"""Row kernels of F.linear: ``y += b`` and ``gy.sum(axis=0)``, bit-identical to NumPy
where they apply and ``False``/``None`` (the NumPy fallback) elsewhere."""
import numpy
import pytest

import kusari
import kusari.functions as F
from kusari.functions.connection import _linear_kernels as K

DTYPES = [numpy.float32, numpy.float64]
SHAPES = [(1, 1), (1, 7), (32, 32), (32, 1024), (5, 0), (0, 5)]   # up to the bias limit


def _a(shape, dtype, seed):
    return numpy.random.default_rng(seed).standard_normal(shape).astype(dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', SHAPES)
def test_add_bias_matches_numpy(shape, dtype):
    y = _a(shape, dtype, 0)
    b = _a(shape[1:], dtype, 1)
    ref = y + b
    assert K.add_bias(y, b) is True
    numpy.testing.assert_array_equal(y, ref, strict=True)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [s for s in SHAPES if s[0] > 0])
def test_sum_rows_matches_numpy(shape, dtype):
    g = _a(shape, dtype, 2)
    numpy.testing.assert_array_equal(K.sum_rows(g), g.sum(axis=0), strict=True)


def test_sum_rows_leaves_empty_batches_to_numpy():
    assert K.sum_rows(numpy.empty((0, 3), numpy.float32)) is None


def test_large_arrays_are_left_to_numpy():
    # where NumPy's wider SIMD loops are faster: the bias add above 32768 elements,
    # the column sums above 262144
    y = numpy.ones((33, 1000), numpy.float32)
    assert K.add_bias(y, numpy.ones(1000, numpy.float32)) is False
    assert numpy.all(y == 1)
    assert K.add_bias(y[:32], numpy.ones(1000, numpy.float32)) is True
    assert K.sum_rows(y) is not None
    assert K.sum_rows(numpy.ones((263, 1000), numpy.float32)) is None
    assert K.sum_rows(numpy.ones((262, 1000), numpy.float32)) is not None


@pytest.mark.parametrize('y,b', [
    (numpy.ones((2, 3), numpy.float32), numpy.ones(3, numpy.float64)),    # mixed
    (numpy.ones((2, 3), numpy.float32), numpy.ones(4, numpy.float32)),    # length
    (numpy.ones((2, 3), numpy.float16), numpy.ones(3, numpy.float16)),    # dtype
    (numpy.ones((3, 2), numpy.float32).T, numpy.ones(3, numpy.float32)),  # layout
    (numpy.ones((2, 3), numpy.float32), numpy.ones((1, 3), numpy.float32)),
    (numpy.ones(3, numpy.float32), numpy.ones(3, numpy.float32)),         # ndim
])
def test_add_bias_refuses_and_leaves_y_unchanged(y, b):
    before = y.copy()
    assert K.add_bias(y, b) is False
    numpy.testing.assert_array_equal(y, before)


def test_add_bias_refuses_read_only_y():
    y = numpy.ones((2, 3), numpy.float32)
    y.flags.writeable = False
    assert K.add_bias(y, numpy.ones(3, numpy.float32)) is False


@pytest.mark.parametrize('g', [
    numpy.ones((4, 3), numpy.float16), numpy.ones((3, 4), numpy.float32).T,
    numpy.ones(3, numpy.float32), numpy.ones((2, 2, 2), numpy.float32),
    numpy.ones((2, 3), numpy.int64),
])
def test_sum_rows_leaves_other_operands_to_numpy(g):
    assert K.sum_rows(g) is None


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_linear_with_bias_on_every_layout(dtype):
    # kernel layouts and fallback ones (strided bias, Fortran input) give one answer
    rng = numpy.random.default_rng(5)
    x = rng.standard_normal((6, 4)).astype(dtype)
    W = rng.standard_normal((3, 4)).astype(dtype)
    bb = rng.standard_normal(6).astype(dtype)
    for b in (bb[:3].copy(), bb[::2]):
        for xa in (x, numpy.asfortranarray(x)):
            xv, bv = kusari.Variable(xa), kusari.Variable(b)
            y = F.linear(xv, W, bv)
            tol = 1e-2 if dtype == numpy.float16 else 1e-6
            numpy.testing.assert_allclose(y.array, xa @ W.T + b, rtol=tol, atol=tol)
            gy = rng.standard_normal(y.shape).astype(dtype)
            y.grad = gy
            y.backward()
            numpy.testing.assert_allclose(bv.grad, gy.sum(axis=0), rtol=tol, atol=tol)
