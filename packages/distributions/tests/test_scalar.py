"""The scalar distributions against scipy.stats: pointwise functions and moments."""
import warnings

import numpy
import pytest

import kusari
import _dist_cases as cases

SHAPES = [(2, 3), ()]
DTYPES = [numpy.float32, numpy.float64]


def _method_cases():
    for name, sp in cases.SCALAR.items():
        for method in sp.methods:
            yield name, method


@pytest.mark.parametrize('shape', SHAPES)
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('name,method', list(_method_cases()))
def test_against_scipy(name, method, dtype, shape):
    sp = cases.SCALAR[name]
    params = cases.make_params(sp, shape, dtype)
    ref = sp.scipy({k: v.astype(numpy.float64) for k, v in params.items()})
    dist = sp.cls(**params)
    rng = numpy.random.RandomState(1)
    if method in cases.POINTWISE:
        if method == 'icdf':
            x = rng.uniform(0.01, 0.99, (4,) + shape)
        else:
            x = sp.x(rng, (4,) + shape)
        x = numpy.asarray(x).astype(dtype)
        scipy_name = cases.POINTWISE[method]
        if sp.discrete:
            scipy_name = scipy_name.replace('pdf', 'pmf')
        with numpy.errstate(divide='ignore'):
            expected = getattr(ref, scipy_name)(x.astype(numpy.float64))
        y = getattr(dist, method)(x)
        assert y.shape == (4,) + shape
    else:
        expected = getattr(ref, cases.MOMENTS[method])()
        y = getattr(dist, method)
        assert y.shape == shape
    assert isinstance(y, kusari.Variable)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, expected, **cases.tolerances(dtype))


@pytest.mark.parametrize('name', sorted(cases.SCALAR))
def test_shapes_and_support(name):
    sp = cases.SCALAR[name]
    params = cases.make_params(sp, (2, 3), numpy.float32)
    dist = sp.cls(**params)
    assert dist.batch_shape == (2, 3)
    assert dist.event_shape == ()
    assert isinstance(dist.support, str)
    assert set(dist.params) <= set(params) | {'logit', 'scale', 'loc', 'p'}
    for v in dist.params.values():
        assert isinstance(v, kusari.Variable) and v.shape == (2, 3)
    assert dist.xp is numpy
    assert dist.sample().shape == (2, 3)
    assert dist.sample(5).shape == (5, 2, 3)
    assert dist.sample((4, 5)).shape == (4, 5, 2, 3)
    assert dist.sample_n(3).shape == (3, 2, 3)


@pytest.mark.parametrize('name', sorted(cases.SCALAR))
@pytest.mark.parametrize('dtype', DTYPES)
def test_sample_distribution(name, dtype):
    # A seeded goodness-of-fit test of the samples of every batch element: the
    # Kolmogorov-Smirnov distance for continuous distributions, the frequencies of
    # the values for discrete ones.
    sp = cases.SCALAR[name]
    params = cases.make_params(sp, (3,), dtype, seed=2)
    ref_params = {k: v.astype(numpy.float64) for k, v in params.items()}
    numpy.random.seed(3)
    n = 20000
    smp = sp.cls(**params).sample(n).array
    assert smp.shape == (n, 3)
    if not sp.discrete:
        assert smp.dtype == dtype
    from scipy import stats
    for i in range(3):
        one = sp.scipy({k: v[i] for k, v in ref_params.items()})
        col = smp[:, i].astype(numpy.float64)
        if sp.sample_check == 'ks':
            d = stats.kstest(col, one.cdf).statistic
            assert d < 1.95 / numpy.sqrt(n), (i, d)
        else:
            values = numpy.arange(col.min(), col.max() + 1)
            freq = numpy.array([(col == v).mean() for v in values])
            pmf = one.pmf(values)
            # 5 standard errors of each frequency
            se = numpy.sqrt(pmf * (1 - pmf) / n)
            assert numpy.all(abs(freq - pmf) <= 5 * se + 1e-4), (i, freq, pmf)
            numpy.testing.assert_allclose(col.mean(), one.mean(),
                                          atol=5 * one.std() / numpy.sqrt(n))


def test_cauchy_moments_undefined():
    import kusari.distributions as D
    d = D.Cauchy(numpy.zeros(2, numpy.float32), numpy.ones(2, numpy.float32))
    with pytest.warns(RuntimeWarning, match='undefined'):
        assert numpy.isnan(d.mean.array).all()
    with pytest.warns(RuntimeWarning, match='undefined'):
        assert numpy.isnan(d.variance.array).all()


def test_pareto_infinite_moments():
    import kusari.distributions as D
    d = D.Pareto(numpy.ones(3), numpy.array([0.5, 1.5, 3.]))
    numpy.testing.assert_array_equal(d.mean.array[:1], [numpy.inf])
    numpy.testing.assert_array_equal(d.variance.array[:2], [numpy.inf, numpy.inf])
    assert numpy.isfinite(d.mean.array[1:]).all()


def test_no_warnings_for_points_outside_the_support():
    import kusari.distributions as D
    x = numpy.array([-1., 0.5, 2.])
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        for d in (D.Beta(numpy.float64(2), numpy.float64(3)),
                  D.Gamma(numpy.float64(2), numpy.float64(3)),
                  D.Exponential(numpy.float64(2)),
                  D.Pareto(numpy.float64(1), numpy.float64(3)),
                  D.Uniform(low=numpy.float64(0), high=numpy.float64(1))):
            y = d.log_prob(x).array
            assert y[0] == -numpy.inf, type(d).__name__
