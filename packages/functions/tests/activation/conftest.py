"""Shared checks of the activation tests (exposed as the ``H`` fixture)."""
import sys

import numpy
import pytest

import kusari
from kusari import gradient_check
from kusari import testing
from kusari.utils import type_check

DTYPES = (numpy.float16, numpy.float32, numpy.float64)

TOL = {
    numpy.float16: dict(atol=5e-3, rtol=5e-3),
    numpy.float32: dict(atol=1e-5, rtol=1e-5),
    numpy.float64: dict(atol=1e-12, rtol=1e-12),
}
GRAD_TOL = {
    numpy.float16: dict(atol=5e-2, rtol=5e-2),
    numpy.float32: dict(atol=1e-3, rtol=1e-3),
    numpy.float64: dict(atol=1e-4, rtol=1e-4),
}


def away_from(x, points, gap=0.05):
    """Move the entries of ``x`` closer than ``gap`` to any of ``points`` away."""
    x = x.copy()
    for p in points:
        close = abs(x - p) < gap
        x[close] = p + numpy.where(x[close] >= p, gap, -gap) * 2
    return x


def noncontiguous(x):
    """A non C-contiguous array equal to ``x`` (every other element of a bigger one)."""
    big = numpy.empty(x.shape[:-1] + (x.shape[-1] * 2,), x.dtype) if x.ndim else None
    if big is None:
        return x
    big[..., ::2] = x
    big[..., 1::2] = numpy.nan
    out = big[..., ::2]
    assert not out.flags.c_contiguous
    return out


def check_forward(f, xs, expected, dtype):
    y = f(*xs)
    assert isinstance(y, kusari.Variable)
    assert y.dtype == dtype
    assert y.shape == expected.shape
    testing.assert_allclose(y.array, expected.astype(dtype), **TOL[dtype])


def check_grads(f, xs, gy, dtype, ggxs=None, double=True, **kw):
    """check_backward, check_double_backward, and backward == backward_array."""
    tol = dict(GRAD_TOL[dtype])
    tol.update(kw)
    gradient_check.check_backward(f, xs, gy, dtype=numpy.float64, **tol)
    if double:
        if ggxs is None:
            ggxs = tuple(numpy.random.uniform(-1, 1, x.shape).astype(x.dtype)
                         for x in xs)
        gradient_check.check_double_backward(f, xs, gy, ggxs, dtype=numpy.float64,
                                             **tol)
    check_backward_paths_agree(f, xs, gy, dtype)


def check_backward_paths_agree(f, xs, gy, dtype):
    """The array path (backward_array) and the Variable path (backward) agree."""
    results = []
    for double_bp in (False, True):
        vs = [kusari.Variable(x.copy()) for x in xs]
        y = f(*vs)
        gxs = kusari.grad([y], vs, grad_outputs=[gy.copy()],
                          enable_double_backprop=double_bp)
        results.append([None if g is None else g.array for g in gxs])
    for a, b in zip(*results):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.dtype == dtype
            testing.assert_allclose(a, b, **TOL[dtype])


def check_invalid(f, args, name):
    with pytest.raises(TypeError) as e:
        f(*args)
    assert isinstance(e.value, type_check.InvalidType), type(e.value)
    assert name in str(e.value)


@pytest.fixture
def H():
    return sys.modules[__name__]
