"""The table of scalar distributions shared by the kusari-distributions tests.

Each entry gives Chainer's constructor arguments drawn from a seeded generator, the
equivalent frozen ``scipy.stats`` distribution (the independent reference), points of
the support to evaluate at, and which methods kusari's distribution has.
"""
import types

import numpy
from scipy import stats

import kusari.distributions as D

# methods of the kusari distribution -> method of the scipy frozen distribution
POINTWISE = {
    'log_prob': 'logpdf', 'prob': 'pdf', 'cdf': 'cdf', 'log_cdf': 'logcdf',
    'survival_function': 'sf', 'log_survival_function': 'logsf', 'icdf': 'ppf',
}
MOMENTS = {'entropy': 'entropy', 'mean': 'mean', 'variance': 'var', 'stddev': 'std'}

ALL = ('log_prob', 'prob', 'cdf', 'log_cdf', 'survival_function',
       'log_survival_function', 'icdf', 'entropy', 'mean', 'variance', 'stddev')
BASIC = ('log_prob', 'prob', 'entropy', 'mean', 'variance', 'stddev')


def _u(lo, hi):
    return lambda rng, shape: rng.uniform(lo, hi, shape)


def _eu(lo, hi):
    return lambda rng, shape: numpy.exp(rng.uniform(lo, hi, shape))


def spec(cls, params, scipy, x, methods, discrete=False, reparameterized=(),
         sample_check='ks', kwargs=None):
    return types.SimpleNamespace(
        cls=cls, params=params, scipy=scipy, x=x, methods=methods,
        discrete=discrete, reparameterized=reparameterized,
        sample_check=sample_check, kwargs=kwargs or {})


SCALAR = {
    'Normal': spec(
        D.Normal, {'loc': _u(-1, 1), 'scale': _eu(-1, 1)},
        lambda p: stats.norm(p['loc'], p['scale']),
        lambda rng, s: rng.normal(size=s) * 2, ALL,
        reparameterized=('loc', 'scale')),
    'NormalLogScale': spec(
        D.Normal, {'loc': _u(-1, 1), 'log_scale': _u(-1, 1)},
        lambda p: stats.norm(p['loc'], numpy.exp(p['log_scale'])),
        lambda rng, s: rng.normal(size=s) * 2, ALL,
        reparameterized=('loc', 'log_scale')),
    'Bernoulli': spec(
        D.Bernoulli, {'p': _u(0.05, 0.95)},
        lambda p: stats.bernoulli(p['p']),
        lambda rng, s: rng.randint(0, 2, s), BASIC, discrete=True,
        sample_check='pmf'),
    'BernoulliLogit': spec(
        D.Bernoulli, {'logit': _u(-3, 3)},
        lambda p: stats.bernoulli(1 / (1 + numpy.exp(-p['logit']))),
        lambda rng, s: rng.randint(0, 2, s), BASIC, discrete=True,
        sample_check='pmf'),
    'Beta': spec(
        D.Beta, {'a': _u(0.5, 5), 'b': _u(0.5, 5)},
        lambda p: stats.beta(p['a'], p['b']),
        lambda rng, s: rng.uniform(0.02, 0.98, s), BASIC),
    'Cauchy': spec(
        D.Cauchy, {'loc': _u(-1, 1), 'scale': _eu(-1, 1)},
        lambda p: stats.cauchy(p['loc'], p['scale']),
        lambda rng, s: rng.normal(size=s) * 3,
        ('log_prob', 'prob', 'cdf', 'survival_function', 'icdf', 'entropy'),
        reparameterized=('loc', 'scale')),
    'Chisquare': spec(
        D.Chisquare, {'k': lambda rng, s: rng.randint(1, 10, s).astype(float)},
        lambda p: stats.chi2(p['k']),
        lambda rng, s: rng.uniform(0.1, 10, s), BASIC),
    'Exponential': spec(
        D.Exponential, {'lam': _eu(-1, 1)},
        lambda p: stats.expon(scale=1 / p['lam']),
        lambda rng, s: rng.uniform(0.01, 5, s),
        ('log_prob', 'prob', 'cdf', 'icdf', 'entropy', 'mean', 'variance', 'stddev'),
        reparameterized=('lam',)),
    'Gamma': spec(
        D.Gamma, {'k': _u(0.5, 5), 'theta': _u(0.3, 2)},
        lambda p: stats.gamma(p['k'], scale=p['theta']),
        lambda rng, s: rng.uniform(0.05, 6, s), BASIC,
        reparameterized=('theta',)),
    'Geometric': spec(
        D.Geometric, {'p': _u(0.1, 0.9)},
        lambda p: stats.geom(p['p']),
        lambda rng, s: rng.randint(1, 8, s),
        ('log_prob', 'prob', 'mean', 'variance', 'stddev'), discrete=True,
        sample_check='pmf'),
    'Gumbel': spec(
        D.Gumbel, {'loc': _u(-1, 1), 'scale': _eu(-1, 1)},
        lambda p: stats.gumbel_r(p['loc'], p['scale']),
        lambda rng, s: rng.normal(size=s) * 2,
        BASIC + ('cdf', 'log_cdf', 'icdf'), reparameterized=('loc', 'scale')),
    'Laplace': spec(
        D.Laplace, {'loc': _u(-1, 1), 'scale': _eu(-1, 1)},
        lambda p: stats.laplace(p['loc'], p['scale']),
        lambda rng, s: rng.normal(size=s) * 2,
        BASIC + ('cdf', 'survival_function', 'icdf'),
        reparameterized=('loc', 'scale')),
    'LogNormal': spec(
        D.LogNormal, {'mu': _u(-1, 1), 'sigma': _eu(-1, 0)},
        lambda p: stats.lognorm(p['sigma'], scale=numpy.exp(p['mu'])),
        lambda rng, s: rng.uniform(0.05, 5, s), BASIC + ('cdf', 'icdf'),
        reparameterized=('mu', 'sigma')),
    'Pareto': spec(
        D.Pareto, {'scale': _eu(0, 0.5), 'alpha': _eu(1, 2)},
        lambda p: stats.pareto(p['alpha'], scale=p['scale']),
        lambda rng, s: rng.uniform(0.5, 6, s),
        ('log_prob', 'prob', 'cdf', 'entropy', 'mean', 'variance'),
        reparameterized=('scale',)),
    'Poisson': spec(
        D.Poisson, {'lam': _u(0.5, 8)},
        lambda p: stats.poisson(p['lam']),
        lambda rng, s: rng.randint(0, 12, s),
        ('log_prob', 'prob', 'mean', 'variance', 'stddev'), discrete=True,
        sample_check='pmf'),
    'Uniform': spec(
        D.Uniform, {'low': _u(-3, 0), 'high': _u(1, 4)},
        lambda p: stats.uniform(p['low'], p['high'] - p['low']),
        lambda rng, s: rng.uniform(-4, 5, s),
        ('log_prob', 'prob', 'cdf', 'icdf', 'entropy', 'mean', 'variance', 'stddev'),
        reparameterized=('low', 'high')),
    'UniformLocScale': spec(
        D.Uniform, {'loc': _u(-3, 0), 'scale': _u(1, 4)},
        lambda p: stats.uniform(p['loc'], p['scale']),
        lambda rng, s: rng.uniform(-4, 5, s),
        ('log_prob', 'prob', 'cdf', 'icdf', 'entropy', 'mean', 'variance', 'stddev'),
        reparameterized=('loc', 'scale')),
}


def make_params(sp, shape, dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    return {k: numpy.asarray(f(rng, shape), dtype=dtype) for k, f in sp.params.items()}


def tolerances(dtype):
    if numpy.dtype(dtype) == numpy.float32:
        return {'rtol': 2e-4, 'atol': 2e-5}
    return {'rtol': 1e-9, 'atol': 1e-11}


