"""Tests of kusari.functions.rrelu."""
import numpy
import pytest

import kusari
from kusari.functions import rrelu

DTYPES = (numpy.float16, numpy.float32, numpy.float64)


def make(H, shape, dtype):
    return H.away_from(numpy.random.uniform(-1, 1, shape), (0,)).astype(dtype)


@pytest.mark.parametrize('dtype', DTYPES)
def test_forward_train_samples_slopes(H, dtype):
    x = make(H, (20, 30), dtype)
    y, r = rrelu(x, l=0.1, u=0.3, return_r=True)
    assert r.shape == x.shape and r.dtype == x.dtype
    assert (r >= 0.1 - 1e-3).all() and (r <= 0.3 + 1e-3).all()
    assert r.std() > 0.01   # really random
    expected = numpy.where(x >= 0, x, x.astype(numpy.float64) * r)
    H.check_forward(lambda x: rrelu(x, r=r), (x,), expected, dtype)


@pytest.mark.parametrize('dtype', DTYPES)
def test_forward_test_mode_uses_mean_slope(H, dtype):
    x = make(H, (3, 4), dtype)
    with kusari.using_config('train', False):
        y, r = rrelu(x, l=0.1, u=0.3, r=numpy.zeros_like(x), return_r=True)
    numpy.testing.assert_allclose(r, numpy.full(x.shape, 0.2), rtol=1e-3)
    expected = numpy.where(x >= 0, x, 0.2 * x.astype(numpy.float64))
    H.check_forward(lambda x: kusari.as_variable(y.array), (x,), expected, dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(H, dtype, contiguous):
    x = make(H, (3, 4), dtype)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    r = numpy.random.uniform(0.1, 0.3, x.shape).astype(dtype)
    if not contiguous:
        x, gy = H.noncontiguous(x), H.noncontiguous(gy)
    H.check_grads(lambda x: rrelu(x, r=r.astype(x.dtype)), (x,), gy, dtype)


def test_invalid(H):
    H.check_invalid(rrelu, (numpy.zeros((2, 3), numpy.int32),), 'RReLU')
    x = numpy.zeros((2, 3), numpy.float32)
    H.check_invalid(lambda x: rrelu(x, r=numpy.zeros(3, numpy.float32)), (x,), 'RReLU')
    H.check_invalid(lambda x: rrelu(x, r=numpy.zeros((2, 3))), (x,), 'RReLU')
    for l, u in [(0.3, 0.1), (-0.1, 0.2), (0.1, 1.5)]:
        with pytest.raises(ValueError, match='rrelu'):
            rrelu(x, l, u)
