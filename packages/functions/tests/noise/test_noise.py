"""Tests of dropout, gaussian, gumbel_softmax, simplified_dropconnect and zoneout."""
import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _tol(dtype):
    return dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)


# ---- dropout -------------------------------------------------------------------------

@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('ratio', [0.0, 0.3, 0.9])
def test_dropout_forward(dtype, ratio):
    x = numpy.random.RandomState(0).uniform(0.5, 1, (40, 50)).astype(dtype)
    y, mask = F.dropout(x, ratio, return_mask=True)
    assert y.dtype == dtype and mask.dtype == dtype
    scale = dtype(1 / (1 - ratio))
    kept = mask != 0
    numpy.testing.assert_allclose(mask[kept], scale)
    numpy.testing.assert_allclose(y.array, x * mask)
    assert abs(kept.mean() - (1 - ratio)) < 0.05


def test_dropout_test_mode_and_given_mask():
    x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    with kusari.using_config('train', False):
        y, mask = F.dropout(x, 0.5, return_mask=True)
    assert mask is None
    numpy.testing.assert_array_equal(y.array, x)
    m = numpy.array([[0, 2, 2], [2, 0, 2]], numpy.float32)
    numpy.testing.assert_array_equal(F.dropout(x, mask=m).array, x * m)


@pytest.mark.parametrize('dtype', DTYPES)
def test_dropout_backward(dtype):
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, (3, 4)).astype(dtype)
    mask = (rng.rand(3, 4) > 0.5).astype(dtype) * 2
    gy = rng.uniform(-1, 1, (3, 4)).astype(dtype)
    f = lambda x: F.dropout(x, mask=mask)  # noqa
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **_tol(dtype))
    if dtype == numpy.float64:
        gradient_check.check_double_backward(f, x, gy, rng.uniform(-1, 1, (3, 4)))
    v = kusari.Variable(x)
    y, m = F.dropout(v, 0.5, return_mask=True)
    y.grad = gy
    y.backward()
    numpy.testing.assert_allclose(v.grad, gy * m)


def test_dropout_noncontiguous():
    x = numpy.asfortranarray(numpy.ones((4, 3)))[:, ::2]
    y, m = F.dropout(x, 0.5, return_mask=True)
    numpy.testing.assert_array_equal(y.array, x * m)


def test_dropout_bad_input():
    with pytest.raises(ValueError, match='dropout'):
        F.dropout(numpy.ones(3, numpy.float32), 1.0)
    with pytest.raises(InvalidType, match='dropout'):
        F.dropout(numpy.ones(3, numpy.int32), 0.5)
    with pytest.raises(InvalidType, match='dropout'):
        F.dropout(numpy.ones(3, numpy.float32), mask=numpy.ones(2, numpy.float32))


# ---- gaussian ------------------------------------------------------------------------

@pytest.mark.parametrize('dtype', DTYPES)
def test_gaussian(dtype):
    rng = numpy.random.RandomState(2)
    m = rng.uniform(-1, 1, (3, 2)).astype(dtype)
    v = rng.uniform(-1, 1, (3, 2)).astype(dtype)
    y, eps = F.gaussian(m, v, return_eps=True)
    assert y.dtype == dtype and eps.shape == m.shape
    tol = dict(rtol=1e-2, atol=1e-2) if dtype == numpy.float16 else dict(rtol=1e-5)
    numpy.testing.assert_allclose(y.array, m + numpy.exp(v.astype(numpy.float64) / 2) * eps,
                                  **tol)
    f = lambda m, v: F.gaussian(m, v, eps=eps)  # noqa
    gy = rng.uniform(-1, 1, (3, 2)).astype(dtype)
    gradient_check.check_backward(f, (m, v), gy, dtype=numpy.float64, **_tol(dtype))
    if dtype == numpy.float64:
        gradient_check.check_double_backward(f, (m, v), gy,
                                             [rng.uniform(-1, 1, (3, 2))] * 2)


def test_gaussian_statistics_and_bad_input():
    m = numpy.full(20000, 1.0)
    y = F.gaussian(m, numpy.full(20000, numpy.log(4.0)))
    assert abs(y.array.mean() - 1) < 0.1 and abs(y.array.std() - 2) < 0.1
    with pytest.raises(InvalidType, match='gaussian'):
        F.gaussian(numpy.zeros(2), numpy.zeros(3))
    with pytest.raises(InvalidType, match='gaussian'):
        F.gaussian(numpy.zeros(2), numpy.zeros(2, numpy.float32))


# ---- gumbel_softmax ------------------------------------------------------------------

@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis', [1, 0, -1])
def test_gumbel_softmax(dtype, axis):
    log_pi = numpy.log(numpy.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])).astype(dtype)
    numpy.random.seed(3)
    y = F.gumbel_softmax(log_pi, tau=0.5, axis=axis)
    assert y.dtype == dtype and y.shape == log_pi.shape
    numpy.testing.assert_allclose(y.array.astype(numpy.float64).sum(axis=axis), 1,
                                  rtol=1e-2 if dtype == numpy.float16 else 1e-6)
    # reproduce the noise and compare with a reference softmax
    numpy.random.seed(3)
    g = numpy.random.gumbel(size=log_pi.shape).astype(dtype).astype(numpy.float64)
    z = (log_pi + g) / 0.5
    e = numpy.exp(z - z.max(axis=axis, keepdims=True))
    numpy.testing.assert_allclose(y.array, e / e.sum(axis=axis, keepdims=True),
                                  rtol=1e-2 if dtype == numpy.float16 else 1e-5,
                                  atol=1e-3 if dtype == numpy.float16 else 1e-7)


def test_gumbel_softmax_sampling_frequency_and_grad():
    log_pi = numpy.log(numpy.tile([[0.7, 0.3]], (4000, 1)))
    y = F.gumbel_softmax(log_pi, tau=0.01)
    assert abs((y.array.argmax(1) == 0).mean() - 0.7) < 0.05
    v = kusari.Variable(numpy.zeros((2, 3)))
    y = F.gumbel_softmax(v, tau=1.0)
    kusari.backward([y], [numpy.ones((2, 3))])
    numpy.testing.assert_allclose(v.grad, 0, atol=1e-12)   # rows sum to one
    with pytest.raises(InvalidType, match='gumbel_softmax'):
        F.gumbel_softmax(numpy.zeros((2, 3), numpy.int32))


# ---- zoneout -------------------------------------------------------------------------

@pytest.mark.parametrize('dtype', DTYPES)
def test_zoneout(dtype):
    rng = numpy.random.RandomState(4)
    h = rng.uniform(-1, 1, (30, 40)).astype(dtype)
    x = rng.uniform(2, 3, (30, 40)).astype(dtype)
    numpy.random.seed(5)
    y = F.zoneout(h, x, ratio=0.3)
    from_x = y.array == x
    numpy.testing.assert_array_equal(y.array[~from_x], h[~from_x])
    assert abs(from_x.mean() - 0.7) < 0.05
    with kusari.using_config('train', False):
        numpy.testing.assert_array_equal(F.zoneout(h, x).array, x)
    hv, xv = kusari.Variable(h), kusari.Variable(x)
    y = F.zoneout(hv, xv, ratio=0.5)
    gy = rng.uniform(-1, 1, h.shape).astype(dtype)
    kusari.backward([y], [gy])
    fx = y.array == x
    numpy.testing.assert_array_equal(xv.grad, gy * fx)
    numpy.testing.assert_array_equal(hv.grad, gy * ~fx)


def test_zoneout_bad_input():
    with pytest.raises(InvalidType, match='zoneout'):
        F.zoneout(numpy.zeros(2), numpy.zeros(3))


# ---- simplified_dropconnect ----------------------------------------------------------

@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('batchwise', [True, False])
@pytest.mark.parametrize('use_b', [True, False])
def test_simplified_dropconnect(dtype, batchwise, use_b):
    rng = numpy.random.RandomState(6)
    x = rng.uniform(-1, 1, (3, 2, 2)).astype(dtype)
    W = rng.uniform(-1, 1, (5, 4)).astype(dtype)
    b = rng.uniform(-1, 1, 5).astype(dtype)
    mshape = (3, 5, 4) if batchwise else (5, 4)
    mask = rng.rand(*mshape) > 0.4
    args = (x, W, b) if use_b else (x, W)

    def f(*a):
        return F.simplified_dropconnect(*a, ratio=0.4, mask=mask,
                                        use_batchwise_mask=batchwise)
    y = f(*args)
    x2 = x.reshape(3, 4).astype(numpy.float64)
    Wm = W * mask / 0.6
    if batchwise:
        ref = numpy.einsum('nok,nk->no', Wm, x2)
    else:
        ref = x2.dot(Wm.T)
    if use_b:
        ref = ref + b
    tol = dict(rtol=1e-2, atol=1e-2) if dtype == numpy.float16 else dict(rtol=1e-5)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, ref, **tol)
    gy = rng.uniform(-1, 1, (3, 5)).astype(dtype)
    gradient_check.check_backward(f, args, gy, dtype=numpy.float64, **_tol(dtype))
    if dtype == numpy.float64:
        ggs = [rng.uniform(-1, 1, a.shape) for a in args]
        gradient_check.check_double_backward(f, args, gy, ggs)


def test_simplified_dropconnect_test_mode_and_bad_input():
    x = numpy.ones((2, 3), numpy.float32)
    W = numpy.ones((4, 3), numpy.float32)
    numpy.testing.assert_array_equal(F.simplified_dropconnect(x, W, train=False).array,
                                     numpy.full((2, 4), 3, numpy.float32))
    with pytest.raises(InvalidType, match='simplified_dropconnect'):
        F.simplified_dropconnect(x, numpy.ones((4, 2), numpy.float32))
    with pytest.raises(InvalidType, match='simplified_dropconnect'):
        F.simplified_dropconnect(x, W, mask=numpy.ones((4, 3), bool))


@pytest.mark.gpu
def test_gpu():
    import cupy
    x = cupy.ones((3, 4), numpy.float32)
    y, m = F.dropout(x, 0.5, return_mask=True)
    cupy.testing.assert_allclose(y.array, x * m)
    y = F.zoneout(cupy.zeros((3, 4), numpy.float32), x, ratio=0.5)
    assert set(cupy.asnumpy(y.array).ravel().tolist()) <= {0.0, 1.0}
    y = F.gaussian(cupy.zeros(3, numpy.float32), cupy.zeros(3, numpy.float32),
                   eps=cupy.ones(3, numpy.float32))
    cupy.testing.assert_allclose(y.array, cupy.ones(3))
    y = F.gumbel_softmax(cupy.zeros((2, 3), numpy.float32))
    cupy.testing.assert_allclose(y.array.sum(1), cupy.ones(2), rtol=1e-5)
    W = cupy.ones((5, 4), numpy.float32)
    y = F.simplified_dropconnect(x, W, train=False)
    cupy.testing.assert_allclose(y.array, cupy.full((3, 5), 4, numpy.float32))


@pytest.mark.parametrize('xd, wd', [(numpy.float16, numpy.float32),
                                    (numpy.float32, numpy.float16),
                                    (numpy.float64, numpy.float32),
                                    (numpy.float32, numpy.float64)])
@pytest.mark.parametrize('batchwise', [True, False])
def test_simplified_dropconnect_mixed_dtypes(xd, wd, batchwise):
    rng = numpy.random.RandomState(0)
    W = rng.uniform(-1, 1, (2, 3)).astype(wd)
    b = rng.uniform(-1, 1, 2).astype(xd)
    x = rng.uniform(-1, 1, (4, 3)).astype(xd)
    gy = rng.uniform(-1, 1, (4, 2)).astype(xd)
    mask = rng.rand(*((4, 2, 3) if batchwise else (2, 3))) >= .5

    def f(x, W, b):
        return F.simplified_dropconnect(x, W, b, .5, True, mask, batchwise)

    y = f(x, W, b)
    assert y.dtype == xd
    m = mask.astype(numpy.float64) * 2
    W64, x64 = W.astype(numpy.float64), x.astype(numpy.float64)
    ref = (numpy.einsum('noi,ni->no', W64 * m, x64) if batchwise else x64 @ (W64 * m).T)
    tol = 1e-2 if numpy.float16 in (xd, wd) else 1e-5
    numpy.testing.assert_allclose(y.array, ref + b, atol=tol, rtol=tol)
    opts = dict(dtype=numpy.float64, atol=5e-2, rtol=5e-2) if tol == 1e-2 else \
        dict(dtype=numpy.float64)
    gradient_check.check_backward(f, (x, W, b), gy, eps=1e-2, **opts)
    ggs = (rng.uniform(-1, 1, x.shape).astype(xd), rng.uniform(-1, 1, W.shape).astype(wd),
           rng.uniform(-1, 1, b.shape).astype(xd))
    gradient_check.check_double_backward(f, (x, W, b), gy, ggs, eps=1e-2, **opts)
