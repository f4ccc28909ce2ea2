"""The many-classes path of softmax_cross_entropy (two Cython passes around exp)."""
import importlib

import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check

K = importlib.import_module('kusari.functions.loss._softmax_cross_entropy_kernels')


def _ref(x, t, w=None, ignore=-1):
    x = x.astype(numpy.float64)
    m = x.max(axis=1, keepdims=True)
    ls = x - m - numpy.log(numpy.exp(x - m).sum(axis=1, keepdims=True))
    valid = t != ignore
    tc = numpy.where(valid, t, 0)
    lp = ls[numpy.arange(len(t)), tc]
    if w is not None:
        lp = lp * w[tc]
    return numpy.where(valid, -lp, 0), numpy.exp(ls)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('weighted', [False, True])
@pytest.mark.parametrize('cache_score', [False, True])
def test_forward_and_backward(dtype, weighted, cache_score):
    rng = numpy.random.default_rng(0)
    C = 50                      # wide: at least 32 classes
    x = (rng.standard_normal((6, C)) * 3).astype(dtype)
    t = rng.integers(0, C, 6).astype(numpy.int32)
    t[2] = -1
    w = rng.uniform(0.5, 2, C).astype(dtype) if weighted else None
    loss, _ = _ref(x, t, w)
    tol = dict(rtol=5e-3, atol=5e-3) if dtype == numpy.float16 else dict(rtol=1e-5)
    y = F.softmax_cross_entropy(x, t, class_weight=w, cache_score=cache_score)
    numpy.testing.assert_allclose(float(y.array), loss.sum() / 5, **tol)
    yn = F.softmax_cross_entropy(x, t, class_weight=w, reduce='no',
                                 cache_score=cache_score)
    numpy.testing.assert_allclose(yn.array, loss, **tol)
    gradient_check.check_backward(
        lambda x: F.softmax_cross_entropy(x, t, class_weight=w, cache_score=cache_score),
        x, None, dtype=numpy.float64,
        atol=1e-4, rtol=1e-3)


def test_kernels_match_reference_and_check_shapes():
    rng = numpy.random.default_rng(1)
    x = rng.standard_normal((4, 37)).astype(numpy.float32)
    t = numpy.array([0, 36, 5, -1], numpy.int64)
    e = numpy.empty_like(x)
    m = numpy.empty(4)
    K.shift_rows(x, e, m)
    numpy.testing.assert_array_equal(m, x.max(axis=1))
    numpy.exp(e, out=e)
    loss = numpy.empty(4, numpy.float32)
    total = K.finish_rows(x, e, t, -1, numpy.empty(0, numpy.float32), False, True, m, loss)
    rl, ry = _ref(x, t)
    numpy.testing.assert_allclose(loss, rl, rtol=1e-5)
    numpy.testing.assert_allclose(total, rl.sum(), rtol=1e-5)
    numpy.testing.assert_allclose(e, ry, rtol=1e-5, atol=1e-7)
    with pytest.raises(ValueError, match='softmax_cross_entropy kernel'):
        K.shift_rows(x, e[:3], m)
    with pytest.raises(ValueError, match='softmax_cross_entropy kernel'):
        K.finish_rows(x, e, t[:3], -1, numpy.empty(0, numpy.float32), False, True, m,
                      loss)


def test_bad_labels_name_the_function():
    with pytest.raises(ValueError, match='softmax_cross_entropy'):
        F.softmax_cross_entropy(numpy.zeros((2, 40), numpy.float32),
                                numpy.array([0, 40], numpy.int32))
