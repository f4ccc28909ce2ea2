"""The 2x2 / stride-2 fast path of max pooling against the generic kernel and NumPy."""
import importlib

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check

K = importlib.import_module('kusari.functions.pooling._pool_kernels')
P = importlib.import_module('kusari.functions.pooling._pool_impl')

DTYPES = (numpy.float16, numpy.float32, numpy.float64)


def ref(x):
    n, c, h, w = x.shape
    win = x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5)
    win = win.reshape(n, c, h // 2, w // 2, 4)
    return win.max(axis=-1), win.argmax(axis=-1).astype(numpy.int32)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(2, 3, 4, 6), (1, 1, 2, 2), (3, 2, 8, 4)])
def test_forward_matches_numpy(dtype, shape):
    x = numpy.random.default_rng(0).standard_normal(shape).astype(dtype)
    y, idx = F.max_pooling_2d(x, 2, return_indices=True)
    ry, ridx = ref(x)
    assert y.dtype == dtype and y.shape == ry.shape
    numpy.testing.assert_array_equal(y.array, ry)
    numpy.testing.assert_array_equal(idx, ridx)


def test_matches_the_generic_kernel_on_ties_and_nans():
    x = numpy.array([[[[1, 1, 0, numpy.nan], [1, 1, 5, 5],
                       [numpy.nan, 2, -1, -1], [3, 3, -1, 0]]]], numpy.float32)
    oh = ow = 2
    y = numpy.empty((1, 1, oh, ow), numpy.float32)
    i = numpy.empty((1, 1, oh, ow), numpy.int32)
    y2, i2 = y.copy(), i.copy()
    K.max_pool_2x2_fwd(x, y, i)
    K.max_pool_2d_fwd(x, y2, i2, 2, 2, 2, 2, 0, 0)
    numpy.testing.assert_array_equal(y, y2)
    numpy.testing.assert_array_equal(i, i2)
    assert i[0, 0, 0, 0] == 0            # first maximum of a tie wins


@pytest.mark.parametrize('dtype', DTYPES)
def test_scatter_matches_generic(dtype):
    rng = numpy.random.default_rng(1)
    gy = rng.standard_normal((2, 3, 3, 2)).astype(dtype)
    idx = rng.integers(0, 4, gy.shape).astype(numpy.int32)
    fast = P.max_scatter(gy, idx, (2, 2), (2, 2), (0, 0), (6, 4))
    slow = numpy.zeros((2, 3, 6, 4), dtype)
    for (n, c, oy, ox), k in numpy.ndenumerate(idx):
        slow[n, c, 2 * oy + k // 2, 2 * ox + k % 2] += gy[n, c, oy, ox]
    assert fast.dtype == dtype
    numpy.testing.assert_array_equal(fast, slow)


def test_scatter_ignores_out_of_range_indexes():
    gy = numpy.ones((1, 1, 1, 1), numpy.float32)
    gx = numpy.full((1, 1, 2, 2), 7, numpy.float32)
    K.max_pool_2x2_scatter(gy, numpy.array([[[[9]]]], numpy.int32), gx)
    numpy.testing.assert_array_equal(gx, 0)


def test_kernels_reject_bad_shapes():
    x = numpy.zeros((1, 1, 4, 4), numpy.float32)
    with pytest.raises(ValueError, match='max_pool_2x2_fwd'):
        K.max_pool_2x2_fwd(x, numpy.zeros((1, 1, 3, 2), numpy.float32),
                           numpy.zeros((1, 1, 3, 2), numpy.int32))
    with pytest.raises(ValueError, match='max_pool_2x2_scatter'):
        K.max_pool_2x2_scatter(numpy.zeros((1, 1, 2, 2), numpy.float32),
                               numpy.zeros((1, 1, 2, 2), numpy.int32),
                               numpy.zeros((1, 1, 4, 5), numpy.float32))


def test_non_contiguous_input():
    base = numpy.random.default_rng(2).standard_normal((2, 4, 6, 8)).astype(numpy.float32)
    x = base.transpose(0, 1, 3, 2)[:, ::2]
    assert not x.flags.c_contiguous
    y = F.max_pooling_2d(x, 2)
    numpy.testing.assert_array_equal(y.array, ref(numpy.ascontiguousarray(x))[0])


@pytest.mark.parametrize('dtype', DTYPES)
def test_backward_and_double_backward(dtype):
    rng = numpy.random.default_rng(3)
    # distinct values (no ties), so that the argmax is stable under perturbation
    x = rng.permutation(2 * 2 * 4 * 4).reshape(2, 2, 4, 4).astype(dtype)
    gy = rng.standard_normal((2, 2, 2, 2)).astype(dtype)
    ggx = rng.standard_normal(x.shape).astype(dtype)

    def f(x):
        return F.max_pooling_2d(x, 2)
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, atol=1e-3, rtol=1e-3)
    gradient_check.check_double_backward(f, x, gy, ggx, dtype=numpy.float64,
                                         atol=1e-3, rtol=1e-3)


def test_gradient_is_placed_at_the_argmax():
    x = kusari.Variable(numpy.array([[[[0, 3], [2, 1]]]], numpy.float32))
    y = F.max_pooling_2d(x, 2)
    y.grad = numpy.array([[[[5]]]], numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[[[0, 5], [0, 0]]]])


def test_bad_input_names_the_function():
    with pytest.raises(TypeError, match='MaxPooling2D'):
        F.max_pooling_2d(numpy.zeros((1, 1, 4, 4), numpy.int32), 2)
