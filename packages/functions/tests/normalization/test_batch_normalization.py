import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]
# (x shape, gamma shape, axis)
SHAPES = [((5, 3), (3,), None), ((2, 3, 2, 2), (3,), None), ((5, 3, 2), (3, 2), None),
          ((3, 2, 4), (2,), (0, 2)), ((4, 3, 2), (4,), (1, 2))]


def _data(xs, gs, dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    return (rng.uniform(-1, 1, xs).astype(dtype), rng.uniform(0.5, 1.5, gs).astype(dtype),
            rng.uniform(-1, 1, gs).astype(dtype))


def _axes(xs, gs, axis):
    if axis is None:
        axis = (0,) + tuple(range(len(gs) + 1, len(xs)))
    key = [i for i in range(len(xs)) if i not in axis]
    es = [1] * len(xs)
    for i, k in enumerate(key):
        es[k] = gs[i]
    return tuple(axis), tuple(es)


def _ref(x, g, b, axis, es, eps=2e-5):
    x = x.astype(numpy.float64)
    m = x.mean(axis=axis, keepdims=True)
    v = x.var(axis=axis, keepdims=True)
    return g.reshape(es) * (x - m) / numpy.sqrt(v + eps) + b.reshape(es)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('xs,gs,axis', SHAPES)
def test_forward_and_running_stats(dtype, xs, gs, axis):
    x, g, b = _data(xs, gs, dtype)
    ax, es = _axes(xs, gs, axis)
    rm = numpy.full(gs, 0.5, dtype)
    rv = numpy.full(gs, 2.0, dtype)
    y = F.batch_normalization(x, g, b, running_mean=rm, running_var=rv, decay=0.8,
                              axis=axis)
    assert y.dtype == dtype and y.shape == x.shape
    tol = dict(rtol=1e-2, atol=1e-2) if dtype == numpy.float16 else dict(rtol=1e-4,
                                                                         atol=1e-5)
    numpy.testing.assert_allclose(y.array, _ref(x, g, b, ax, es), **tol)
    x64 = x.astype(numpy.float64)
    m = x.size // g.size
    exp_m = 0.8 * 0.5 + 0.2 * x64.mean(axis=ax).reshape(gs)
    exp_v = 0.8 * 2.0 + 0.2 * x64.var(axis=ax).reshape(gs) * m / (m - 1)
    numpy.testing.assert_allclose(rm, exp_m, **tol)
    numpy.testing.assert_allclose(rv, exp_v, **tol)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('xs,gs,axis', SHAPES)
def test_backward(dtype, xs, gs, axis):
    x, g, b = _data(xs, gs, dtype, seed=1)
    gy = numpy.random.RandomState(2).uniform(-1, 1, xs).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(
        lambda x, g, b: F.batch_normalization(x, g, b, axis=axis), (x, g, b), gy,
        dtype=numpy.float64, **tol)


@pytest.mark.parametrize('xs,gs,axis', SHAPES[:3])
def test_double_backward(xs, gs, axis):
    x, g, b = _data(xs, gs, numpy.float64, seed=3)
    rng = numpy.random.RandomState(4)
    gy = rng.uniform(-1, 1, xs)
    ggs = [rng.uniform(-1, 1, a.shape) for a in (x, g, b)]
    gradient_check.check_double_backward(
        lambda x, g, b: F.batch_normalization(x, g, b, axis=axis), (x, g, b), gy, ggs,
        atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize('xs,gs,axis', SHAPES)
def test_backward_paths_agree(xs, gs, axis):
    x, g, b = _data(xs, gs, numpy.float64, seed=5)
    gy = numpy.random.RandomState(6).uniform(-1, 1, xs)
    vs = [kusari.Variable(a) for a in (x, g, b)]
    g1 = kusari.grad([F.batch_normalization(*vs, axis=axis)], vs, [gy])
    g2 = kusari.grad([F.batch_normalization(*vs, axis=axis)], vs, [kusari.Variable(gy)],
                     enable_double_backprop=True)
    for a, c in zip(g1, g2):
        numpy.testing.assert_allclose(a.array, c.array, rtol=1e-10, atol=1e-10)


def test_noncontiguous():
    x, g, b = _data((3, 4, 2), (4,), numpy.float32)
    xf = numpy.asfortranarray(x)
    y = F.batch_normalization(xf, g, b)
    numpy.testing.assert_allclose(y.array, _ref(x, g, b, (0, 2), (1, 4, 1)), rtol=1e-4,
                                  atol=1e-5)
    gradient_check.check_backward(F.batch_normalization, (xf, g, b), numpy.ones_like(x),
                                  dtype=numpy.float64, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('xs,gs,axis', SHAPES[:3])
def test_fixed_batch_normalization(dtype, xs, gs, axis):
    rng = numpy.random.RandomState(7)
    x, g, b = _data(xs, gs, dtype)
    mean = rng.uniform(-1, 1, gs).astype(dtype)
    var = rng.uniform(0.5, 1.5, gs).astype(dtype)
    ax, es = _axes(xs, gs, axis)
    y = F.fixed_batch_normalization(x, g, b, mean, var, eps=1e-5, axis=axis)
    ref = g.reshape(es).astype(numpy.float64) * (x - mean.reshape(es)) / \
        numpy.sqrt(var.reshape(es) + 1e-5) + b.reshape(es)
    tol = dict(rtol=1e-2, atol=1e-2) if dtype == numpy.float16 else dict(rtol=1e-5,
                                                                         atol=1e-6)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, ref, **tol)
    gy = rng.uniform(-1, 1, xs).astype(dtype)
    gtol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    f = lambda *a: F.fixed_batch_normalization(*a, eps=1e-5, axis=axis)  # noqa
    gradient_check.check_backward(f, (x, g, b, mean, var), gy, dtype=numpy.float64,
                                  **gtol)
    if dtype == numpy.float64:
        ggs = [rng.uniform(-1, 1, a.shape) for a in (x, g, b, mean, var)]
        gradient_check.check_double_backward(f, (x, g, b, mean, var), gy, ggs)


def test_bad_input():
    x = numpy.zeros((2, 3), numpy.float32)
    g = numpy.ones(3, numpy.float32)
    with pytest.raises(InvalidType, match='batch_normalization'):
        F.batch_normalization(x, numpy.ones(4, numpy.float32), numpy.ones(4, numpy.float32))
    with pytest.raises(InvalidType, match='batch_normalization'):
        F.batch_normalization(x, g, g.astype(numpy.float64))
    with pytest.raises(InvalidType, match='batch_normalization'):
        F.batch_normalization(x.astype(numpy.int32), g.astype(numpy.int32),
                              g.astype(numpy.int32))
    with pytest.raises(TypeError, match='batch_normalization'):
        F.batch_normalization(x, g, g, foo=1)
    with pytest.raises(InvalidType, match='fixed_batch_normalization'):
        F.fixed_batch_normalization(x, g, g, g, numpy.ones(2, numpy.float32))


@pytest.mark.gpu
@pytest.mark.parametrize('xs,gs,axis', SHAPES)
def test_gpu(xs, gs, axis):
    import cupy
    x, g, b = _data(xs, gs, numpy.float32)
    vs = [kusari.Variable(cupy.asarray(a)) for a in (x, g, b)]
    rm = cupy.zeros(gs, numpy.float32)
    y = F.batch_normalization(*vs, running_mean=rm, axis=axis)
    ax, es = _axes(xs, gs, axis)
    numpy.testing.assert_allclose(cupy.asnumpy(y.array), _ref(x, g, b, ax, es),
                                  rtol=1e-4, atol=1e-5)
    numpy.testing.assert_allclose(cupy.asnumpy(rm), 0.1 * x.mean(axis=ax).reshape(gs),
                                  rtol=1e-4, atol=1e-6)
    gy = numpy.random.rand(*xs).astype(numpy.float32)
    kusari.backward([y], [cupy.asarray(gy)])
    cv = [kusari.Variable(a) for a in (x, g, b)]
    kusari.backward([F.batch_normalization(*cv, axis=axis)], [gy])
    for a, c in zip(vs, cv):
        numpy.testing.assert_allclose(cupy.asnumpy(a.grad), c.grad, rtol=1e-3, atol=1e-4)


# ---- parameters of a dtype other than x's (Chainer accepts them) ---------------------

MIXED = [(numpy.float64, numpy.float32), (numpy.float32, numpy.float64),
         (numpy.float16, numpy.float32), (numpy.float32, numpy.float16)]


@pytest.mark.parametrize('xd, pd', MIXED)
@pytest.mark.parametrize('shape', [(5, 3), (5, 3, 2, 2)])
def test_mixed_dtypes(xd, pd, shape):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, shape).astype(xd)
    g, b = rng.uniform(.5, 1, 3).astype(pd), rng.uniform(-1, 1, 3).astype(pd)
    rm, rv = rng.uniform(-1, 1, 3).astype(pd), rng.uniform(.5, 1, 3).astype(pd)
    rm0, rv0 = rm.copy(), rv.copy()
    y = F.batch_normalization(x, g, b, running_mean=rm, running_var=rv)
    ax = (0,) + tuple(range(2, x.ndim))
    es = (1, 3) + (1,) * (x.ndim - 2)
    x64 = x.astype(numpy.float64)
    mu, var = x64.mean(ax), x64.var(ax)
    ref = (g.astype(numpy.float64).reshape(es) * (x64 - mu.reshape(es))
           / numpy.sqrt(var.reshape(es) + 2e-5) + b.astype(numpy.float64).reshape(es))
    tol = 1e-2 if numpy.float16 in (xd, pd) else 1e-4
    assert y.dtype == xd and rm.dtype == pd
    numpy.testing.assert_allclose(y.array, ref, atol=tol, rtol=tol)
    m = x.size // 3
    numpy.testing.assert_allclose(rm, .9 * rm0 + .1 * mu, atol=tol)
    numpy.testing.assert_allclose(rv, .9 * rv0 + .1 * var * m / (m - 1), atol=tol)
    gy = rng.uniform(-1, 1, shape).astype(xd)
    vs = [kusari.Variable(a) for a in (x, g, b)]
    out = F.batch_normalization(*vs)
    out.grad = gy
    out.backward()
    assert [v.grad.dtype for v in vs] == [xd, pd, pd]
    opts = dict(dtype=numpy.float64, atol=tol, rtol=tol * 10)
    gradient_check.check_backward(F.batch_normalization, (x, g, b), gy, **opts)
    ggs = (rng.uniform(-1, 1, shape).astype(xd), rng.uniform(-1, 1, 3).astype(pd),
           rng.uniform(-1, 1, 3).astype(pd))
    gradient_check.check_double_backward(F.batch_normalization, (x, g, b), gy, ggs,
                                         **opts)
    mean, v = rng.uniform(-1, 1, 3).astype(pd), rng.uniform(.5, 1, 3).astype(pd)
    y = F.fixed_batch_normalization(x, g, b, mean, v)
    ref = (g.astype(numpy.float64).reshape(es) * (x64 - mean.astype(numpy.float64)
           .reshape(es)) / numpy.sqrt(v.astype(numpy.float64).reshape(es) + 2e-5)
           + b.astype(numpy.float64).reshape(es))
    assert y.dtype == xd
    numpy.testing.assert_allclose(y.array, ref, atol=tol, rtol=tol)
    gradient_check.check_backward(F.fixed_batch_normalization, (x, g, b, mean, v), gy,
                                  **opts)


def test_same_dtype_result_unchanged_by_the_mixed_support():
    # float32 everywhere takes the compiled kernel: parameters are not copied/cast
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, (6, 4)).astype(numpy.float32)
    g = rng.uniform(.5, 1, 4).astype(numpy.float32)
    b = rng.uniform(-1, 1, 4).astype(numpy.float32)
    y32 = F.batch_normalization(x, g, b).array
    y_mixed = F.batch_normalization(x, g.astype(numpy.float64), b.astype(numpy.float64))
    numpy.testing.assert_array_equal(y32, y_mixed.array)


@pytest.mark.parametrize('xs, gs, axis, warns', [
    ((1, 3), (3,), None, True), ((1, 3, 1), (1, 3), 2, True),
    ((1, 3, 2, 2), (3,), None, False), ((1, 3, 2), (1, 3), 2, False)])
def test_warns_for_a_batch_of_one(xs, gs, axis, warns):
    # Chainer: one element per channel gives a zero output; it warns
    import warnings
    x = numpy.random.RandomState(0).uniform(-1, 1, xs).astype(numpy.float32)
    g = numpy.ones(gs, numpy.float32)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        F.batch_normalization(x, g, g * 0, axis=axis)
    assert any(issubclass(i.category, UserWarning) for i in w) == warns
