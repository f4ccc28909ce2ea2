"""Tests of batch_renormalization, fixed_batch_renormalization, group_normalization,
layer_normalization, local_response_normalization and normalize."""
import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _renorm_ref(x, g, b, rmax, dmax, eps, rm, rv):
    ax = (0,) + tuple(range(2, x.ndim))
    es = (1, -1) + (1,) * (x.ndim - 2)
    m = x.mean(axis=ax)
    std = numpy.sqrt(x.var(axis=ax) + eps)
    rs = numpy.sqrt(rv + eps)
    r = numpy.clip(std / rs, 1 / rmax, rmax)
    d = numpy.clip((m - rm) / rs, -dmax, dmax)
    xh = (x - m.reshape(es)) / std.reshape(es) * r.reshape(es) + d.reshape(es)
    return g.reshape(es) * xh + b.reshape(es)


def _group_ref(x, groups, g, b, eps):
    N, C = x.shape[:2]
    xg = x.reshape(N, groups, -1)
    xh = (xg - xg.mean(2, keepdims=True)) / numpy.sqrt(xg.var(2, keepdims=True) + eps)
    es = (1, C) + (1,) * (x.ndim - 2)
    return xh.reshape(x.shape) * g.reshape(es) + b.reshape(es)


def _layer_ref(x, g, b, eps):
    return (x - x.mean(1, keepdims=True)) / numpy.sqrt(x.var(1, keepdims=True) + eps) \
        * g + b


def _lrn_ref(x, n, k, alpha, beta):
    C = x.shape[1]
    y = numpy.empty_like(x)
    for c in range(C):
        lo, hi = max(0, c - n // 2), min(C, c + n // 2 + 1)
        s = (x[:, lo:hi] ** 2).sum(1)
        y[:, c] = x[:, c] * (k + alpha * s) ** -beta
    return y


def _normalize_ref(x, eps, axis):
    return x / (numpy.sqrt((x * x).sum(axis=axis, keepdims=True)) + eps)


RM = numpy.array([0.1, -0.2, 0.3])
RV = numpy.array([0.5, 1.0, 2.0])


def _make(name, dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    u = lambda *s, lo=-1, hi=1: rng.uniform(lo, hi, s).astype(dtype)  # noqa
    if name == 'batch_renormalization':
        x, g, b = u(4, 3, 2), u(3, lo=0.5, hi=1.5), u(3)
        rm, rv = RM.astype(dtype), RV.astype(dtype)
        # r and d are constants of backward: keep them clipped so that the numerical
        # gradient sees them constant too
        f = lambda x, g, b: F.batch_renormalization(  # noqa
            x, g, b, rmax=1.01, dmax=0.01, eps=1e-5, running_mean=rm.copy(),
            running_var=rv.copy())
        return f, [x, g, b], lambda x, g, b: _renorm_ref(x, g, b, 1.01, 0.01, 1e-5, RM,
                                                         RV)
    if name == 'fixed_batch_renormalization':
        x, g, b, m, v = u(4, 3), u(3), u(3), u(3), u(3, lo=0.5, hi=1.5)
        return (lambda *a: _fixed_brn(*a, eps=1e-5), [x, g, b, m, v],
                lambda x, g, b, m, v: g * (x - m) / numpy.sqrt(v + 1e-5) + b)
    if name == 'group_normalization':
        x, g, b = u(2, 4, 3), u(4), u(4)
        return (lambda x, g, b: F.group_normalization(x, 2, g, b), [x, g, b],
                lambda x, g, b: _group_ref(x, 2, g, b, 1e-5))
    if name == 'layer_normalization':
        x, g, b = u(3, 4), u(4), u(4)
        return (lambda x, g, b: F.layer_normalization(x, g, b), [x, g, b],
                lambda x, g, b: _layer_ref(x, g, b, 1e-5))
    if name == 'local_response_normalization':
        x = u(2, 7, 2) * 3
        return (lambda x: F.local_response_normalization(x, n=3, k=1, alpha=0.5, beta=0.75),
                [x], lambda x: _lrn_ref(x, 3, 1, 0.5, 0.75))
    if name == 'local_response_normalization_default':
        x = u(2, 7) * 3
        return (lambda x: F.local_response_normalization(x), [x],
                lambda x: _lrn_ref(x, 5, 2, 1e-4, 0.75))
    if name == 'normalize':
        x = u(3, 4)
        return lambda x: F.normalize(x), [x], lambda x: _normalize_ref(x, 1e-5, 1)
    if name == 'normalize_axis':
        x = u(3, 2, 4)
        return (lambda x: F.normalize(x, eps=1e-3, axis=(0, 2)), [x],
                lambda x: _normalize_ref(x, 1e-3, (0, 2)))
    raise ValueError(name)


NAMES = ['batch_renormalization', 'fixed_batch_renormalization', 'group_normalization',
         'layer_normalization', 'local_response_normalization',
         'local_response_normalization_default', 'normalize', 'normalize_axis']


@pytest.mark.parametrize('name', NAMES)
@pytest.mark.parametrize('dtype', DTYPES)
def test_forward(name, dtype):
    f, xs, ref = _make(name, dtype)
    y = f(*xs)
    assert y.dtype == dtype
    tol = dict(rtol=2e-2, atol=2e-2) if dtype == numpy.float16 else \
        dict(rtol=1e-4, atol=1e-5)
    numpy.testing.assert_allclose(y.array, ref(*[x.astype(numpy.float64) for x in xs]),
                                  **tol)


@pytest.mark.parametrize('name', NAMES)
@pytest.mark.parametrize('dtype', DTYPES)
def test_backward(name, dtype):
    f, xs, ref = _make(name, dtype, seed=1)
    gy = numpy.random.RandomState(2).uniform(-1, 1, f(*xs).shape).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(f, xs, gy, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('name', NAMES)
def test_double_backward(name):
    f, xs, ref = _make(name, numpy.float64, seed=3)
    rng = numpy.random.RandomState(4)
    gy = rng.uniform(-1, 1, f(*xs).shape)
    ggs = [rng.uniform(-1, 1, x.shape) for x in xs]
    gradient_check.check_double_backward(f, xs, gy, ggs, atol=1e-3, rtol=1e-3)


@pytest.mark.parametrize('name', NAMES)
def test_noncontiguous(name):
    f, xs, ref = _make(name, numpy.float64, seed=5)
    xs_nc = [numpy.asfortranarray(x) for x in xs]
    numpy.testing.assert_allclose(f(*xs_nc).array, ref(*xs), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize('rmax,dmax', [(1.5, 0.2), (3.0, 3.0), (1.0, 0.0)])
def test_batch_renormalization_forward_unclipped(rmax, dmax):
    rng = numpy.random.RandomState(9)
    x = rng.uniform(-1, 1, (6, 3, 2))
    g, b = rng.uniform(0.5, 1.5, 3), rng.uniform(-1, 1, 3)
    y = F.batch_renormalization(x, g, b, rmax, dmax, eps=1e-5, running_mean=RM.copy(),
                                running_var=RV.copy())
    numpy.testing.assert_allclose(y.array, _renorm_ref(x, g, b, rmax, dmax, 1e-5, RM, RV))


def test_batch_renormalization_updates_statistics():
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (5, 3))
    g, b = numpy.ones(3), numpy.zeros(3)
    rm, rv = RM.copy(), RV.copy()
    F.batch_renormalization(x, g, b, 2.0, 1.0, running_mean=rm, running_var=rv,
                            decay=0.7, update_statistics=True)
    numpy.testing.assert_allclose(rm, 0.7 * RM + 0.3 * x.mean(0))
    numpy.testing.assert_allclose(rv, 0.7 * RV + 0.3 * x.var(0) * 5 / 4)
    rm2 = RM.copy()
    F.batch_renormalization(x, g, b, 2.0, 1.0, running_mean=rm2, running_var=RV.copy())
    numpy.testing.assert_array_equal(rm2, RM)


@pytest.mark.parametrize('call,name', [
    (lambda: F.group_normalization(numpy.zeros((2, 4), numpy.float32), 3,
                                   numpy.ones(4, numpy.float32),
                                   numpy.ones(4, numpy.float32)), 'group_normalization'),
    (lambda: F.group_normalization(numpy.zeros((2, 4), numpy.float32), 2,
                                   numpy.ones(3, numpy.float32),
                                   numpy.ones(3, numpy.float32)), 'group_normalization'),
    (lambda: F.layer_normalization(numpy.zeros((2, 4, 1), numpy.float32),
                                   numpy.ones(4, numpy.float32),
                                   numpy.ones(4, numpy.float32)), 'layer_normalization'),
    (lambda: F.local_response_normalization(numpy.zeros(4, numpy.float32)),
     'local_response_normalization'),
    (lambda: F.normalize(numpy.zeros((2, 3), numpy.int32)), 'normalize'),
    (lambda: F.normalize(numpy.zeros((2, 3), numpy.float32), axis=2), 'normalize'),
    (lambda: F.batch_renormalization(numpy.zeros((2, 3), numpy.float32),
                                     numpy.ones(2, numpy.float32),
                                     numpy.ones(2, numpy.float32), 1., 0.),
     'batch_renormalization'),
])
def test_bad_input(call, name):
    with pytest.raises((InvalidType, ValueError), match=name):
        call()


@pytest.mark.gpu
@pytest.mark.parametrize('name', NAMES)
def test_gpu(name):
    import cupy
    f, xs, ref = _make(name, numpy.float32)
    if name == 'batch_renormalization':
        pytest.skip('running statistics are NumPy arrays in this case')
    y = f(*[cupy.asarray(x) for x in xs])
    numpy.testing.assert_allclose(cupy.asnumpy(y.array),
                                  ref(*[x.astype(numpy.float64) for x in xs]),
                                  rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('eps', [1e-5, 1e-1])
def test_normalize_zero_vectors(dtype, eps):
    # rows 0 and 2 are all zero: output 0, gradient gy / eps (Chainer), no NaN
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (4, 3)).astype(dtype)
    x[0] = 0
    x[2] = 0
    gy = rng.uniform(-1, 1, x.shape).astype(dtype)
    v = kusari.Variable(x)
    y = F.normalize(v, eps=eps)
    numpy.testing.assert_array_equal(y.array[[0, 2]], 0)
    x64 = x.astype(numpy.float64)
    n = numpy.sqrt((x64 * x64).sum(1, keepdims=True))
    numpy.testing.assert_allclose(y.array, x64 / (n + eps), rtol=1e-6)
    y.grad = gy
    y.backward()
    assert not numpy.isnan(v.grad).any()
    numpy.testing.assert_allclose(v.grad[[0, 2]], gy[[0, 2]] / eps, rtol=1e-5)
    # the other rows: the closed form (I / (n + eps) - x x^T / (n (n + eps)^2)) gy
    for i in (1, 3):
        xi, ni = x64[i], n[i, 0]
        J = numpy.eye(3) / (ni + eps) - numpy.outer(xi, xi) / (ni * (ni + eps) ** 2)
        numpy.testing.assert_allclose(v.grad[i], J @ gy[i], rtol=1e-4)
    ggx = rng.uniform(-1, 1, x.shape).astype(dtype)
    opts = dict(atol=1e-3, rtol=1e-2) if dtype == numpy.float32 else {}
    # the numerical check must stay away from the kink at 0: check the nonzero rows'
    # double backward and the finiteness of the zero rows'
    f = lambda x: F.normalize(x, eps=eps)  # noqa: E731
    xs = x[[1, 3]]
    gradient_check.check_double_backward(f, (xs,), gy[[1, 3]], (ggx[[1, 3]],),
                                         dtype=numpy.float64, **opts)
    v = kusari.Variable(x)
    gx, = kusari.grad([F.normalize(v, eps=eps)], [v], [gy], enable_double_backprop=True)
    g2, = kusari.grad([F.sum(gx * ggx)], [v])
    assert numpy.isfinite(g2.array).all()


def test_normalize_zero_dim():
    x = numpy.array(-0.7)
    y = F.normalize(x, eps=1e-5, axis=())
    assert y.shape == () and isinstance(y.array, numpy.ndarray)
    numpy.testing.assert_allclose(y.array, -0.7 / (0.7 + 1e-5))
    gradient_check.check_backward(lambda x: F.normalize(x, axis=()), x, numpy.array(1.0))
    gradient_check.check_double_backward(lambda x: F.normalize(x, axis=()), x,
                                         numpy.array(1.0), numpy.array(0.3))


def _fixed_brn(*args, **kwargs):
    # deprecated, as in Chainer
    with pytest.warns(DeprecationWarning, match='fixed_batch_renormalization'):
        return F.fixed_batch_renormalization(*args, **kwargs)


def test_fixed_batch_renormalization_is_deprecated():
    o = numpy.ones(2, numpy.float32)
    with pytest.warns(DeprecationWarning, match='fixed_batch_normalization'):
        y = F.fixed_batch_renormalization(numpy.ones((3, 2), numpy.float32), o, o * 0, o,
                                          o, eps=0.0)
    numpy.testing.assert_array_equal(y.array, numpy.zeros((3, 2)))


def test_group_normalization_mixed_dtypes():
    # Chainer accepts float32 gamma/beta with a float16 x (mixed16): computed in
    # float32, returned as float16, gradients of each input in its own dtype.
    rng = numpy.random.RandomState(3)
    x = rng.uniform(-1, 1, (2, 4, 3)).astype(numpy.float16)
    g = rng.uniform(0.5, 1.5, 4).astype(numpy.float32)
    b = rng.uniform(-1, 1, 4).astype(numpy.float32)
    xv, gv, bv = kusari.Variable(x), kusari.Variable(g), kusari.Variable(b)
    y = F.group_normalization(xv, 2, gv, bv)
    assert y.dtype == numpy.float16
    xg = x.astype(numpy.float64).reshape(2, 2, -1)
    ref = ((xg - xg.mean(2, keepdims=True)) /
           numpy.sqrt(xg.var(2, keepdims=True) + 1e-5)).reshape(x.shape)
    ref = ref * g[None, :, None] + b[None, :, None]
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-2, atol=1e-2)
    y.grad = numpy.ones_like(y.array)
    y.backward()
    assert xv.grad.dtype == numpy.float16 and gv.grad.dtype == numpy.float32


def test_group_normalization_groups_errors():
    x = numpy.zeros((2, 4), numpy.float32)
    g = numpy.ones(4, numpy.float32)
    with pytest.raises(TypeError, match='group_normalization'):
        F.group_normalization(x, 2.5, g, g)
    with pytest.raises(ValueError, match='group_normalization'):
        F.group_normalization(x, 3, g, g)


def test_group_normalization_mul_inv_std():
    # Chainer's helper node z = y / sqrt(var(x, axis=1) + eps), differentiable in x and y.
    from kusari.functions.normalization import group_normalization as gn
    rng = numpy.random.RandomState(4)
    x = rng.uniform(-1, 1, (3, 5))
    y = rng.uniform(-1, 1, (3, 5))
    eps = 1e-2
    inv_std = (x.var(axis=1) + eps) ** -0.5

    def f(x, y):
        return gn._MulInvStd(eps, x.mean(axis=1), inv_std, None).apply((x, y))

    z, = f(x, y)
    numpy.testing.assert_allclose(z.array, inv_std[:, None] * y)

    def g(x, y):
        # the node's forward takes precomputed statistics of the given x
        xa = x.array
        return gn._MulInvStd(eps, xa.mean(axis=1), (xa.var(axis=1) + eps) ** -0.5,
                             None).apply((x, y))

    gradient_check.check_backward(g, (x, y), rng.uniform(-1, 1, (3, 5)),
                                  atol=1e-5, rtol=1e-4)
    gradient_check.check_double_backward(
        g, (x, y), rng.uniform(-1, 1, (3, 5)),
        (rng.uniform(-1, 1, (3, 5)), rng.uniform(-1, 1, (3, 5))), atol=1e-4, rtol=1e-3)
