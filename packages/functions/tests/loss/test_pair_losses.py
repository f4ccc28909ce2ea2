"""Tests of contrastive, cross_covariance, decov, hinge, sigmoid_cross_entropy and
triplet."""
import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _contrastive_ref(x0, x1, y, margin, reduce):
    d = numpy.sqrt(((x0 - x1) ** 2).sum(1))
    loss = 0.5 * (y * d ** 2 + (1 - y) * numpy.maximum(margin - d, 0) ** 2)
    return loss.mean() if reduce == 'mean' else loss


def _cov(y, z):
    return (y - y.mean(0)).T.dot(z - z.mean(0)) / len(y)


def _decov_ref(h, reduce):
    c = _cov(h, h)
    numpy.fill_diagonal(c, 0)
    return 0.5 * (c ** 2).sum() if reduce == 'half_squared_sum' else c


def _hinge_ref(x, t, norm, reduce):
    s = x.copy()
    s[numpy.arange(len(t)), t] *= -1
    loss = numpy.maximum(0, 1 + s)
    if norm == 'L2':
        loss = loss ** 2
    return loss.sum() / len(x) if reduce == 'mean' else loss


def _sce_ref(x, t, normalize, reduce):
    p = 1 / (1 + numpy.exp(-x))
    loss = -(t * numpy.log(p) + (1 - t) * numpy.log(1 - p)) * (t != -1)
    if reduce == 'no':
        return loss
    n = (t != -1).sum() if normalize else len(x)
    return loss.sum() / max(n, 1)


def _triplet_ref(a, p, n, margin, reduce):
    loss = numpy.maximum(((a - p) ** 2).sum(1) - ((a - n) ** 2).sum(1) + margin, 0)
    return loss.mean() if reduce == 'mean' else loss


def _make(case, dtype, seed=0, xp=numpy):
    """(function of float inputs, float inputs, int inputs appended, reference)."""
    rng = numpy.random.RandomState(seed)
    u = lambda *s: rng.uniform(-1, 1, s).astype(dtype)  # noqa
    name, reduce = case
    if name == 'contrastive':
        x0, x1 = u(4, 3), u(4, 3)
        y = numpy.array([1, 0, 1, 0], numpy.int32)
        x1[1] = x0[1] + 0.2     # inside the margin
        yd = xp.asarray(y)
        return ((lambda a, b: F.contrastive(a, b, yd, margin=1.5, reduce=reduce)),
                [x0, x1], lambda a, b: _contrastive_ref(a, b, y, 1.5, reduce))
    if name == 'cross_covariance':
        return ((lambda a, b: F.cross_covariance(a, b, reduce=reduce)), [u(4, 3), u(4, 2)],
                lambda a, b: 0.5 * (_cov(a, b) ** 2).sum()
                if reduce == 'half_squared_sum' else _cov(a, b))
    if name == 'decov':
        return ((lambda h: F.decov(h, reduce=reduce)), [u(4, 3)],
                lambda h: _decov_ref(h, reduce))
    if name.startswith('hinge'):
        norm = name[-2:]
        x = u(4, 3)
        x[numpy.abs(numpy.abs(x) - 1) < 0.1] = 0.5
        t = numpy.array([0, 2, 1, 2], numpy.int32)
        td = xp.asarray(t)
        return ((lambda x: F.hinge(x, td, norm=norm, reduce=reduce)), [x],
                lambda x: _hinge_ref(x, t, norm, reduce))
    if name == 'sigmoid_cross_entropy':
        t = rng.randint(-1, 2, (4, 3)).astype(numpy.int32)
        td = xp.asarray(t)
        return ((lambda x: F.sigmoid_cross_entropy(x, td, reduce=reduce)), [u(4, 3) * 3],
                lambda x: _sce_ref(x, t, True, reduce))
    if name == 'sigmoid_cross_entropy_unnormalized':
        t = rng.randint(-1, 2, (4, 3)).astype(numpy.int32)
        td = xp.asarray(t)
        return ((lambda x: F.sigmoid_cross_entropy(x, td, normalize=False, reduce=reduce)),
                [u(4, 3) * 3], lambda x: _sce_ref(x, t, False, reduce))
    if name == 'triplet':
        a, p, n = u(4, 3), u(4, 3), u(4, 3)
        return ((lambda a, p, n: F.triplet(a, p, n, margin=2.0, reduce=reduce)),
                [a, p, n], lambda a, p, n: _triplet_ref(a, p, n, 2.0, reduce))
    raise ValueError(name)


CASES = [('contrastive', 'mean'), ('contrastive', 'no'),
         ('cross_covariance', 'half_squared_sum'), ('cross_covariance', 'no'),
         ('decov', 'half_squared_sum'), ('decov', 'no'),
         ('hinge_L1', 'mean'), ('hinge_L1', 'no'), ('hinge_L2', 'mean'),
         ('hinge_L2', 'no'),
         ('sigmoid_cross_entropy', 'mean'), ('sigmoid_cross_entropy', 'no'),
         ('sigmoid_cross_entropy_unnormalized', 'mean'),
         ('triplet', 'mean'), ('triplet', 'no')]
IDS = ['-'.join(c) for c in CASES]


@pytest.mark.parametrize('case', CASES, ids=IDS)
@pytest.mark.parametrize('dtype', DTYPES)
def test_forward(case, dtype):
    f, xs, ref = _make(case, dtype)
    y = f(*xs)
    assert y.dtype == dtype
    expect = ref(*[x.astype(numpy.float64) for x in xs])
    assert y.shape == numpy.shape(expect)
    tol = dict(rtol=2e-2, atol=2e-2) if dtype == numpy.float16 else \
        dict(rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **tol)


@pytest.mark.parametrize('case', CASES, ids=IDS)
@pytest.mark.parametrize('dtype', DTYPES)
def test_backward(case, dtype):
    f, xs, ref = _make(case, dtype, seed=1)
    y = f(*xs)
    gy = numpy.random.RandomState(2).uniform(-1, 1, y.shape).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(f, xs, gy, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('case', CASES, ids=IDS)
def test_double_backward(case):
    f, xs, ref = _make(case, numpy.float64, seed=3)
    rng = numpy.random.RandomState(4)
    gy = rng.uniform(-1, 1, f(*xs).shape)
    ggxs = [rng.uniform(-1, 1, x.shape) for x in xs]
    gradient_check.check_double_backward(f, xs, gy, ggxs)


@pytest.mark.parametrize('case', CASES, ids=IDS)
def test_noncontiguous(case):
    f, xs, ref = _make(case, numpy.float64, seed=5)
    xs_nc = [numpy.asfortranarray(x) for x in xs]
    assert not xs_nc[0].flags.c_contiguous
    numpy.testing.assert_allclose(f(*xs_nc).array, ref(*xs))


def test_sigmoid_cross_entropy_backward_paths_agree():
    f, xs, ref = _make(('sigmoid_cross_entropy', 'mean'), numpy.float64)
    v = kusari.Variable(xs[0])
    g1, = kusari.grad([f(v)], [v])
    g2, = kusari.grad([f(v)], [v], enable_double_backprop=True)
    numpy.testing.assert_allclose(g1.array, g2.array)


def test_contrastive_bad_input():
    a = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match='contrastive'):
        F.contrastive(a, a, numpy.zeros(2, numpy.float32))
    with pytest.raises(InvalidType, match='contrastive'):
        F.contrastive(a, a, numpy.zeros(3, numpy.int32))
    with pytest.raises(ValueError, match='contrastive'):
        F.contrastive(a, a, numpy.zeros(2, numpy.int32), margin=0)


def test_cross_covariance_bad_input():
    with pytest.raises(InvalidType, match='cross_covariance'):
        F.cross_covariance(numpy.zeros((2, 3), numpy.float32),
                           numpy.zeros((3, 3), numpy.float32))


def test_decov_bad_input():
    with pytest.raises(InvalidType, match='decov'):
        F.decov(numpy.zeros((2, 3, 1), numpy.float32))


def test_hinge_bad_input():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError, match='hinge'):
        F.hinge(x, numpy.array([0, 3], numpy.int32))
    with pytest.raises(InvalidType, match='hinge'):
        F.hinge(x, numpy.array([0, 1, 1], numpy.int32))
    with pytest.raises(NotImplementedError, match='hinge'):
        F.hinge(x, numpy.array([0, 1], numpy.int32), norm='L3')


def test_sigmoid_cross_entropy_bad_input():
    with pytest.raises(InvalidType, match='sigmoid_cross_entropy'):
        F.sigmoid_cross_entropy(numpy.zeros((2, 3), numpy.float32),
                                numpy.zeros((2, 2), numpy.int32))
    with pytest.raises(InvalidType, match='sigmoid_cross_entropy'):
        F.sigmoid_cross_entropy(numpy.zeros((2, 3), numpy.float32),
                                numpy.zeros((2, 3), numpy.float32))


def test_triplet_bad_input():
    a = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match='triplet'):
        F.triplet(a, a, numpy.zeros((2, 4), numpy.float32))
    with pytest.raises(ValueError, match='triplet'):
        F.triplet(a, a, a, margin=-1)


@pytest.mark.gpu
@pytest.mark.parametrize('case', CASES, ids=IDS)
def test_gpu(case):
    import cupy
    f, xs, ref = _make(case, numpy.float32, xp=cupy)
    xg = [kusari.Variable(cupy.asarray(x)) for x in xs]
    y = f(*xg)
    numpy.testing.assert_allclose(cupy.asnumpy(y.array), ref(*[x.astype(numpy.float64)
                                                               for x in xs]),
                                  rtol=1e-4, atol=1e-5)
    kusari.backward([y], [cupy.ones(y.shape, y.dtype)])
    fc, xs_c, _ = _make(case, numpy.float32)
    xc = [kusari.Variable(x) for x in xs_c]
    yc = fc(*xc)
    kusari.backward([yc], [numpy.ones(yc.shape, yc.dtype)])
    for a, b in zip(xg, xc):
        numpy.testing.assert_allclose(cupy.asnumpy(a.grad), b.grad, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_contrastive_zero_distance_has_a_zero_gradient(reduce, dtype):
    # Chainer divides by max(d, 1e-8): identical pairs get 0, not NaN
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (5, 3)).astype(dtype)
    t = numpy.array([0, 1, 0, 1, 0], numpy.int32)
    v0, v1 = kusari.Variable(x), kusari.Variable(x.copy())
    y = F.contrastive(v0, v1, t, 1, reduce)
    y.grad = numpy.ones(y.shape, dtype)
    y.backward()
    numpy.testing.assert_array_equal(v0.grad, numpy.zeros_like(x))
    numpy.testing.assert_array_equal(v1.grad, numpy.zeros_like(x))
    # away from zero the gradient is unchanged: dissimilar pair at distance 0.5
    x1 = x.copy()
    x1[:, 0] += 0.5
    v0 = kusari.Variable(x)
    y = F.contrastive(v0, x1, t, 1, 'no')
    y.grad = numpy.ones(5, dtype)
    y.backward()
    # d/dx0 of (1 - d)^2 / 2 with d = 0.5 along -e0: (1 - d) * e0; of d^2 / 2: -0.5 e0
    want = numpy.zeros_like(x)
    want[:, 0] = numpy.where(t == 0, 0.5, -0.5)
    tol = 1e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(v0.grad, want, rtol=tol, atol=tol)
