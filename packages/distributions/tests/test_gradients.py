"""Numerical gradient checks through log_prob, entropy, moments and reparameterized samples."""
import numpy
import pytest

import kusari
import kusari.distributions as D
from kusari import gradient_check
import _dist_cases as cases

SHAPE = (2, 3)
OPTS = {'dtype': numpy.float64, 'atol': 1e-6, 'rtol': 1e-5, 'eps': 1e-6}


def _setup(name):
    sp = cases.SCALAR[name]
    params = cases.make_params(sp, SHAPE, numpy.float64, seed=4)
    names = sorted(params)
    return sp, params, names


def _x(name, sp, params, rng, shape):
    x = numpy.asarray(sp.x(rng, shape), numpy.float64)
    if name.startswith('Uniform'):
        lo = params.get('low', params.get('loc'))
        hi = params['high'] if 'high' in params else lo + params['scale']
        x = lo + (hi - lo) * rng.uniform(0.1, 0.9, shape)   # away from the edges
    if name == 'Pareto':
        x = params['scale'] * rng.uniform(1.1, 3, shape)
    return x


@pytest.mark.parametrize('name', sorted(cases.SCALAR))
def test_log_prob_backward(name):
    sp, params, names = _setup(name)
    rng = numpy.random.RandomState(5)
    x = _x(name, sp, params, rng, (4,) + SHAPE)

    def f(*ps):
        return sp.cls(**dict(zip(names, ps))).log_prob(x)
    gradient_check.check_backward(f, tuple(params[k] for k in names),
                                  rng.normal(size=(4,) + SHAPE), **OPTS)


@pytest.mark.parametrize('name,method', [
    (n, m) for n, sp in sorted(cases.SCALAR.items())
    for m in ('entropy', 'mean', 'variance', 'cdf') if m in sp.methods])
def test_property_backward(name, method):
    sp, params, names = _setup(name)
    rng = numpy.random.RandomState(6)
    x = _x(name, sp, params, rng, SHAPE)

    def f(*ps):
        d = sp.cls(**dict(zip(names, ps)))
        return d.cdf(x) if method == 'cdf' else getattr(d, method)
    gradient_check.check_backward(f, tuple(params[k] for k in names),
                                  rng.normal(size=SHAPE), **OPTS)


@pytest.mark.parametrize('name', sorted(n for n, sp in cases.SCALAR.items()
                                        if sp.reparameterized))
def test_reparameterized_sample_backward(name):
    # the same noise on every evaluation: reseed before each draw
    sp, params, names = _setup(name)
    rng = numpy.random.RandomState(7)
    wrt = list(sp.reparameterized)
    fixed = {k: v for k, v in params.items() if k not in wrt}

    def f(*ps):
        numpy.random.seed(11)
        return sp.cls(**dict(zip(wrt, ps)), **fixed).sample(5)
    gradient_check.check_backward(f, tuple(params[k] for k in wrt),
                                  rng.normal(size=(5,) + SHAPE), **OPTS)


def test_reparameterized_sample_gradient_values():
    # d sample / d loc = 1 and d sample / d scale = eps for the normal
    loc = kusari.Variable(numpy.zeros(3))
    scale = kusari.Variable(numpy.full(3, 2.))
    numpy.random.seed(0)
    s = D.Normal(loc, scale).sample(4)
    numpy.random.seed(0)
    eps = numpy.random.standard_normal((4, 3))
    numpy.testing.assert_allclose(s.array, 2 * eps)
    kusari.functions.sum(s).backward()
    numpy.testing.assert_allclose(loc.grad, [4., 4., 4.])
    numpy.testing.assert_allclose(scale.grad, eps.sum(0))


def test_non_reparameterized_samples_have_no_graph():
    a = kusari.Variable(numpy.full(3, 2.))
    s = D.Beta(a, numpy.full(3, 3.)).sample(2)
    kusari.functions.sum(s).backward()
    assert a.grad is None


@pytest.mark.parametrize('use_logit', [False, True])
def test_categorical_backward(use_logit):
    rng = numpy.random.RandomState(0)
    logit = rng.normal(size=(2, 4))
    p = numpy.exp(logit) / numpy.exp(logit).sum(-1, keepdims=True)
    x = rng.randint(0, 4, (3, 2))

    def f(v):
        d = D.Categorical(logit=v) if use_logit else D.Categorical(v)
        return d.log_prob(x), d.entropy
    gradient_check.check_backward(f, logit if use_logit else p,
                                  (rng.normal(size=(3, 2)), rng.normal(size=2)), **OPTS)


def test_one_hot_categorical_backward():
    rng = numpy.random.RandomState(0)
    p = rng.uniform(0.1, 1, (2, 3))
    x = numpy.eye(3)[rng.randint(0, 3, (4, 2))]
    gradient_check.check_backward(
        lambda v: D.OneHotCategorical(v).log_prob(x), p, rng.normal(size=(4, 2)),
        **OPTS)


def test_dirichlet_backward():
    rng = numpy.random.RandomState(0)
    alpha = rng.uniform(0.5, 3, (2, 3))
    x = rng.dirichlet(numpy.ones(3), (4, 2))

    def f(a):
        d = D.Dirichlet(a)
        return d.log_prob(x), d.entropy, d.variance
    gradient_check.check_backward(
        f, alpha, (rng.normal(size=(4, 2)), rng.normal(size=2),
                   rng.normal(size=(2, 3))), **OPTS)


def test_multivariate_normal_backward():
    rng = numpy.random.RandomState(0)
    loc = rng.normal(size=(2, 3))
    tril = numpy.tril(rng.normal(size=(2, 3, 3))) + 2 * numpy.eye(3)
    mask = numpy.tril(numpy.ones((3, 3)))
    x = rng.normal(size=(4, 2, 3))

    def f(m, t):
        d = D.MultivariateNormal(m, scale_tril=t * mask)
        return d.log_prob(x), d.entropy

    gradient_check.check_backward(f, (loc, tril),
                                  (rng.normal(size=(4, 2)), rng.normal(size=2)), **OPTS)

    def g(m, t):
        numpy.random.seed(1)
        return D.MultivariateNormal(m, scale_tril=t * mask).sample(4)
    gradient_check.check_backward(g, (loc, tril), rng.normal(size=(4, 2, 3)), **OPTS)


def test_bernoulli_log_prob_double_backward():
    from kusari.distributions import bernoulli
    rng = numpy.random.RandomState(0)
    logit = rng.normal(size=(2, 3))
    x = rng.randint(0, 2, (2, 3)).astype(numpy.float64)
    gradient_check.check_double_backward(
        lambda v: bernoulli._bernoulli_log_prob(v, x), logit,
        rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), dtype=numpy.float64,
        atol=1e-5, rtol=1e-4)


def test_bernoulli_infinite_logit_backward_runs():
    from kusari.distributions import bernoulli
    logit = kusari.Variable(numpy.array([numpy.inf, -numpy.inf, 1.]))
    x = numpy.array([1., 0., 1.])
    y = bernoulli._bernoulli_log_prob(logit, x)
    numpy.testing.assert_allclose(y.array[:2], [0., 0.])
    with numpy.errstate(invalid='ignore'):
        kusari.functions.sum(y).backward()
    assert numpy.isnan(logit.grad[:2]).all() and numpy.isfinite(logit.grad[2])


def test_modified_xlogx():
    from kusari.distributions import _util
    x = numpy.array([0., 0.5, 2.])
    numpy.testing.assert_allclose(_util.modified_xlogx(x).array,
                                  [0., 0.5 * numpy.log(0.5), 2 * numpy.log(2.)])
    rng = numpy.random.RandomState(0)
    xs = rng.uniform(0.1, 1, (2, 3))
    gradient_check.check_backward(_util.modified_xlogx, xs, rng.normal(size=(2, 3)),
                                  **OPTS)
    v = kusari.Variable(numpy.zeros(3))
    with pytest.warns(RuntimeWarning, match='zero input'):
        kusari.functions.sum(_util.modified_xlogx(v)).backward()


def test_laplace_standard_cdf_icdf():
    from kusari.distributions import laplace
    from scipy import stats
    rng = numpy.random.RandomState(0)
    x = rng.normal(size=(2, 3)) * 3
    numpy.testing.assert_allclose(laplace._laplace_cdf(x).array, stats.laplace.cdf(x),
                                  rtol=1e-12)
    q = rng.uniform(0.02, 0.98, (2, 3))
    numpy.testing.assert_allclose(laplace._laplace_icdf(q).array, stats.laplace.ppf(q),
                                  rtol=1e-12)
    gradient_check.check_backward(laplace._laplace_cdf, x, rng.normal(size=(2, 3)),
                                  **OPTS)
    gradient_check.check_backward(laplace._laplace_icdf, q, rng.normal(size=(2, 3)),
                                  **OPTS)


def test_chainer_utils_module():
    from kusari.distributions import utils
    assert utils._modified_xlogx is utils.modified_xlogx
    numpy.testing.assert_allclose(utils._modified_xlogx(numpy.array([0., 2.])).array,
                                  [0., 2 * numpy.log(2.)])


def test_poisson_log_prob_0d_int_sample_keeps_dtype():
    # NumPy 1.x promotes a 0-d float32 array plus 1 to float64; log_prob must not.
    import scipy.stats
    lam = numpy.array(2.5, numpy.float32)
    y = kusari.distributions.Poisson(lam).log_prob(numpy.array(3, numpy.int32))
    assert y.dtype == numpy.float32
    numpy.testing.assert_allclose(y.array, scipy.stats.poisson.logpmf(3, 2.5), rtol=1e-5)


def test_bernoulli_log_prob_double_backward_with_float32_x_and_float64_logit():
    from kusari.distributions import bernoulli
    rng = numpy.random.RandomState(0)
    logit = rng.normal(size=(3,)).astype(numpy.float32)
    x = rng.randint(0, 2, (3,)).astype(numpy.float32)
    gradient_check.check_double_backward(
        lambda l: bernoulli._bernoulli_log_prob(l, x), logit,
        rng.normal(size=(3,)).astype(numpy.float32),
        rng.normal(size=(3,)).astype(numpy.float32), dtype=numpy.float64,
        atol=1e-3, rtol=1e-2)
