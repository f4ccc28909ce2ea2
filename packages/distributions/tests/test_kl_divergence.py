"""kl_divergence for every registered pair, against numerical integration, exact sums,
closed forms (NumPy) or a Monte Carlo estimate; register_kl and cross_entropy."""
import numpy
import pytest
from scipy import integrate
from scipy import stats

import kusari
import kusari.distributions as D
from kusari import gradient_check
from kusari.distributions import distribution as distribution_module
import _dist_cases as cases

DTYPES = [numpy.float32, numpy.float64]
N = 3


def _kl_quad(p, q):
    lo, hi = p.support()

    def integrand(x):
        with numpy.errstate(over='ignore'):   # scipy's gumbel_r far in the left tail
            lp = p.logpdf(x)
            return numpy.exp(lp) * (lp - q.logpdf(x)) if numpy.isfinite(lp) else 0.
    # split at the median so quad sees the bulk of the mass on both sides
    m = p.median()
    return (integrate.quad(integrand, lo, m, limit=200, epsabs=1e-13)[0]
            + integrate.quad(integrand, m, hi, limit=200, epsabs=1e-13)[0])


def _kl_sum(p, q, values):
    lp = p.logpmf(values)
    w = numpy.exp(lp)
    return numpy.sum(numpy.where(w > 0, w * (lp - q.logpmf(values)), 0.))


CONTINUOUS = ['Beta', 'Exponential', 'Gamma', 'Gumbel', 'Laplace', 'LogNormal',
              'Normal', 'NormalLogScale', 'Pareto']
DISCRETE = {'Bernoulli': numpy.arange(2), 'BernoulliLogit': numpy.arange(2),
            'Geometric': numpy.arange(1, 3000), 'Poisson': numpy.arange(0, 200)}


def _pair(name, dtype):
    sp = cases.SCALAR[name]
    p = cases.make_params(sp, (N,), dtype, seed=10)
    q = cases.make_params(sp, (N,), dtype, seed=11)
    if name == 'Pareto':
        # finite only when p's support lies inside q's (scale_p >= scale_q)
        q['scale'] = numpy.minimum(q['scale'], p['scale']) * numpy.array(
            [0.9, 1, 0.5], dtype)
    return sp, p, q


def _check(kl, expected, dtype):
    assert kl.shape == expected.shape and kl.dtype == dtype
    tol = {'rtol': 2e-4, 'atol': 2e-5} if dtype == numpy.float32 else {
        'rtol': 1e-7, 'atol': 1e-9}
    numpy.testing.assert_allclose(kl.array, expected, **tol)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('name', CONTINUOUS + sorted(DISCRETE))
def test_scalar_pairs(name, dtype):
    sp, p, q = _pair(name, dtype)
    kl = D.kl_divergence(sp.cls(**p), sp.cls(**q))
    expected = []
    for i in range(N):
        rp = sp.scipy({k: numpy.float64(v[i]) for k, v in p.items()})
        rq = sp.scipy({k: numpy.float64(v[i]) for k, v in q.items()})
        if name in DISCRETE:
            expected.append(_kl_sum(rp, rq, DISCRETE[name]))
        else:
            expected.append(_kl_quad(rp, rq))
    _check(kl, numpy.array(expected), dtype)


def test_normal_mixed_parameterizations():
    a = D.Normal(numpy.array([0.3]), log_scale=numpy.array([0.2]))
    b = D.Normal(numpy.array([-0.5]), numpy.array([1.7]))
    s1, s2 = numpy.exp(0.2), 1.7
    expected = numpy.log(s2 / s1) + (s1 ** 2 + 0.8 ** 2) / (2 * s2 ** 2) - 0.5
    numpy.testing.assert_allclose(D.kl_divergence(a, b).array, [expected], rtol=1e-12)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('a_ls,b_ls', [(False, False), (True, False), (False, True)])
def test_uniform(dtype, a_ls, b_ls):
    def make(lo, hi, loc_scale):
        lo, hi = numpy.asarray(lo, dtype), numpy.asarray(hi, dtype)
        return (D.Uniform(loc=lo, scale=hi - lo) if loc_scale
                else D.Uniform(low=lo, high=hi))
    p = make([0., -1., 0.], [1., 1., 3.], a_ls)
    q = make([-1., -1., 0.5], [2., 1., 3.], b_ls)
    kl = D.kl_divergence(p, q).array
    numpy.testing.assert_allclose(kl[:2], [numpy.log(3.), 0.], rtol=1e-6)
    assert kl[2] == numpy.inf   # p has mass where q has none


def test_pareto_infinite():
    p = D.Pareto(numpy.array([1.]), numpy.array([2.]))
    q = D.Pareto(numpy.array([2.]), numpy.array([2.]))
    assert D.kl_divergence(p, q).array[0] == numpy.inf


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('cls', [D.Categorical, D.OneHotCategorical])
def test_categorical_pairs(cls, dtype):
    rng = numpy.random.RandomState(0)
    p = rng.dirichlet(numpy.ones(4), (2, 3))
    q = rng.dirichlet(numpy.ones(4), (2, 3))
    kl = D.kl_divergence(cls(p.astype(dtype)), cls(q.astype(dtype)))
    expected = numpy.array([[stats.entropy(p[i, j], q[i, j]) for j in range(3)]
                            for i in range(2)])
    _check(kl, expected, dtype)


@pytest.mark.parametrize('dtype', DTYPES)
def test_multivariate_normal_pair(dtype):
    rng = numpy.random.RandomState(0)
    d = 3
    locs, covs, trils = [], [], []
    for _ in range(2):
        loc = rng.uniform(-1, 1, (2, d))
        a = rng.normal(size=(2, d, d))
        cov = a @ numpy.swapaxes(a, -1, -2) + 0.5 * numpy.eye(d)
        locs.append(loc), covs.append(cov), trils.append(numpy.linalg.cholesky(cov))
    kl = D.kl_divergence(
        D.MultivariateNormal(locs[0].astype(dtype), scale_tril=trils[0].astype(dtype)),
        D.MultivariateNormal(locs[1].astype(dtype), scale_tril=trils[1].astype(dtype)))
    expected = []
    for b in range(2):
        inv = numpy.linalg.inv(covs[1][b])
        diff = locs[1][b] - locs[0][b]
        expected.append(0.5 * (numpy.trace(inv @ covs[0][b]) + diff @ inv @ diff - d
                               + numpy.log(numpy.linalg.det(covs[1][b])
                                           / numpy.linalg.det(covs[0][b]))))
    tol = {'rtol': 1e-3, 'atol': 1e-4} if dtype == numpy.float32 else {'rtol': 1e-9}
    assert kl.dtype == dtype
    numpy.testing.assert_allclose(kl.array, expected, **tol)


def test_dirichlet_pair_monte_carlo():
    rng = numpy.random.RandomState(0)
    a1 = rng.uniform(0.5, 5, (2, 3))
    a2 = rng.uniform(0.5, 5, (2, 3))
    kl = D.kl_divergence(D.Dirichlet(a1), D.Dirichlet(a2)).array
    for i in range(2):
        x = rng.dirichlet(a1[i], 200000).T
        diff = stats.dirichlet.logpdf(x, a1[i]) - stats.dirichlet.logpdf(x, a2[i])
        se = diff.std() / numpy.sqrt(diff.size)
        assert abs(kl[i] - diff.mean()) < 5 * se, (kl[i], diff.mean(), se)


def test_independent_pair():
    rng = numpy.random.RandomState(0)
    m1, m2 = rng.normal(size=(2, 4, 5))
    s1, s2 = numpy.exp(rng.uniform(-1, 1, (2, 4, 5)))
    p = D.Independent(D.Normal(m1, s1), 1)
    q = D.Independent(D.Normal(m2, s2), 1)
    elem = numpy.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5
    kl = D.kl_divergence(p, q)
    assert kl.shape == (4,)
    numpy.testing.assert_allclose(kl.array, elem.sum(-1), rtol=1e-12)
    numpy.testing.assert_allclose(
        D.kl_divergence(D.Independent(D.Normal(m1, s1), 2),
                        D.Independent(D.Normal(m2, s2), 2)).array, elem.sum(), rtol=1e-12)
    with pytest.raises(ValueError, match='event shapes'):
        D.kl_divergence(p, D.Independent(D.Normal(m2, s2), 2))


def test_every_chainer_pair_is_registered():
    names = ['Bernoulli', 'Beta', 'Categorical', 'Dirichlet', 'Exponential', 'Gamma',
             'Geometric', 'Gumbel', 'Independent', 'Laplace', 'LogNormal',
             'MultivariateNormal', 'Normal', 'OneHotCategorical', 'Pareto',
             'Poisson', 'Uniform']
    registered = distribution_module._KLDIVERGENCE
    for n in names:
        assert (getattr(D, n), getattr(D, n)) in registered, n


@pytest.mark.parametrize('name', ['Normal', 'Beta', 'Gamma', 'Gumbel', 'Laplace',
                                  'Poisson', 'Bernoulli', 'Geometric', 'LogNormal',
                                  'Exponential', 'Pareto'])
def test_kl_backward(name):
    sp, p, q = _pair(name, numpy.float64)
    keys = sorted(p)
    rng = numpy.random.RandomState(1)

    def f(*vs):
        half = len(keys)
        return D.kl_divergence(sp.cls(**dict(zip(keys, vs[:half]))),
                               sp.cls(**dict(zip(keys, vs[half:]))))
    if name == 'Pareto':
        # the support boundary scale_p == scale_q is not differentiable: stay inside
        p['scale'] = q['scale'] * 1.5
    gradient_check.check_backward(
        f, tuple(p[k] for k in keys) + tuple(q[k] for k in keys), rng.normal(size=N),
        dtype=numpy.float64, atol=1e-6, rtol=1e-5, eps=1e-6)


def test_unregistered_pair():
    with pytest.raises(NotImplementedError, match=r'\(Normal, Cauchy\)'):
        D.kl_divergence(D.Normal(numpy.zeros(1), numpy.ones(1)),
                        D.Cauchy(numpy.zeros(1), numpy.ones(1)))


def test_register_kl_and_subclass_lookup():
    class MyNormal(D.Normal):
        pass

    class Other(D.Normal):
        pass

    n = D.Normal(numpy.zeros(1), numpy.ones(1))
    mine = MyNormal(numpy.ones(1), numpy.ones(1))
    # a subclass inherits its base pair's KL
    numpy.testing.assert_allclose(D.kl_divergence(mine, n).array, [0.5])
    try:
        @D.register_kl(MyNormal, Other)
        def _kl(p, q):
            return kusari.as_variable(numpy.array([42.]))
        assert _kl is not None
        assert D.kl_divergence(mine, Other(numpy.zeros(1), numpy.ones(1))).array[0] == 42
    finally:
        distribution_module._KLDIVERGENCE.pop((MyNormal, Other), None)
    with pytest.raises(TypeError, match='register_kl'):
        D.register_kl(D.Normal, int)


def test_cross_entropy():
    p = D.Normal(numpy.array([0.]), numpy.array([1.]))
    q = D.Normal(numpy.array([1.]), numpy.array([2.]))
    # H(p, q) = E_p[-log q] = log(sqrt(2 pi) * 2) + (1 + 1) / (2 * 4)
    expected = numpy.log(numpy.sqrt(2 * numpy.pi) * 2) + 2 / 8.
    numpy.testing.assert_allclose(D.cross_entropy(p, q).array, [expected], rtol=1e-12)
