"""Constructors, bad input, caching, sample shapes and the package surface."""
import numpy
import pytest

import kusari
import kusari.distributions as D

F32 = numpy.float32


def test_reachable_from_kusari():
    assert kusari.distributions is D
    assert set(D.__all__) >= {
        'Bernoulli', 'Beta', 'Categorical', 'Cauchy', 'Chisquare', 'Dirichlet',
        'Exponential', 'Gamma', 'Geometric', 'Gumbel', 'Independent', 'Laplace',
        'LogNormal', 'MultivariateNormal', 'Normal', 'OneHotCategorical', 'Pareto',
        'Poisson', 'Uniform', 'Distribution', 'kl_divergence', 'register_kl'}
    for name in D.__all__:
        obj = getattr(D, name)
        if isinstance(obj, type) and obj is not D.Distribution:
            assert issubclass(obj, D.Distribution), name


@pytest.mark.parametrize('make', [
    lambda: D.Normal(numpy.zeros(2, F32)),
    lambda: D.Normal(numpy.zeros(2, F32), numpy.ones(2, F32),
                     log_scale=numpy.zeros(2, F32)),
    lambda: D.Bernoulli(),
    lambda: D.Bernoulli(p=numpy.ones(2, F32), logit=numpy.ones(2, F32)),
    lambda: D.Categorical(),
    lambda: D.Uniform(low=numpy.zeros(2, F32)),
    lambda: D.Uniform(low=numpy.zeros(2, F32), high=numpy.ones(2, F32),
                      loc=numpy.zeros(2, F32), scale=numpy.ones(2, F32)),
    lambda: D.MultivariateNormal(numpy.zeros(2, F32)),
])
def test_parameter_choice_errors(make):
    with pytest.raises(ValueError, match='must have a value'):
        make()


@pytest.mark.parametrize('make,who', [
    (lambda: D.Normal(numpy.zeros(2, numpy.int32), numpy.ones(2, F32)), 'Normal'),
    (lambda: D.Gamma([1., 2.], numpy.ones(2, F32)), 'Gamma'),
    (lambda: D.Poisson('3'), 'Poisson'),
    (lambda: D.Dirichlet(numpy.float32(1)), 'Dirichlet'),
    (lambda: D.Categorical(numpy.array(0.5, F32)), 'Categorical'),
])
def test_bad_parameter_type(make, who):
    with pytest.raises((TypeError, ValueError), match=who):
        make()


def test_numpy_scalars_and_variables_accepted():
    d = D.Normal(numpy.float32(0), kusari.Variable(numpy.array(2., F32)))
    assert d.batch_shape == () and d.scale.array == 2
    # integer or float64 points are cast to the parameters' dtype
    assert d.log_prob(numpy.array([0, 1])).dtype == F32
    assert D.Poisson(numpy.ones(2, F32)).log_prob(numpy.array([1, 2])).dtype == F32


@pytest.mark.parametrize('shape,expected', [
    ((), (2,)), (3, (3, 2)), ((3,), (3, 2)), ((4, 5), (4, 5, 2)), ((0,), (0, 2))])
def test_sample_shapes(shape, expected):
    d = D.Normal(numpy.zeros(2, F32), numpy.ones(2, F32))
    assert d.sample(shape).shape == expected


def test_sample_shape_errors():
    d = D.Normal(numpy.zeros(2, F32), numpy.ones(2, F32))
    with pytest.raises(TypeError, match='Normal.sample'):
        d.sample(2.5)
    with pytest.raises(ValueError, match='Normal.sample'):
        d.sample((-1,))


def test_seeded_sampling_is_reproducible():
    d = D.Gamma(numpy.full(3, 2., F32), numpy.ones(3, F32))
    numpy.random.seed(5)
    a = d.sample(4).array
    numpy.random.seed(5)
    b = d.sample(4).array
    numpy.testing.assert_array_equal(a, b)


def test_cached_properties_per_backprop_mode():
    loc = kusari.Variable(numpy.zeros(2, F32))
    d = D.Normal(loc, log_scale=kusari.Variable(numpy.zeros(2, F32)))
    assert d.scale is d.scale    # computed once
    with kusari.no_backprop_mode():
        e = d.entropy
        assert e.creator is None
    assert d.entropy is not e and d.entropy.creator is not None
    with pytest.raises(AttributeError, match='read-only'):
        d.loc = loc


@pytest.mark.parametrize('binary_check', [True, False])
def test_bernoulli_binary_check(binary_check):
    d = D.Bernoulli(numpy.full(3, 0.3, F32), binary_check=binary_check)
    x = numpy.array([0.2, 0.5, 0.9], F32)
    lp, p = d.log_prob(x).array, d.prob(x).array
    if binary_check:
        assert (lp == -numpy.inf).all() and (p == 0).all()
    else:
        assert numpy.isfinite(lp).all() and (p > 0).all()
    numpy.testing.assert_allclose(d.prob(numpy.array([0, 1, 1], F32)).array,
                                  [0.7, 0.3, 0.3], rtol=1e-6)


def test_bernoulli_extreme_probabilities():
    d = D.Bernoulli(numpy.array([0., 1.], F32))
    with numpy.errstate(divide='ignore', invalid='ignore'):
        numpy.testing.assert_array_equal(d.log_prob(numpy.array([0., 1.], F32)).array,
                                         [0., 0.])
        numpy.testing.assert_array_equal(d.log_prob(numpy.array([1., 0.], F32)).array,
                                         [-numpy.inf, -numpy.inf])
    numpy.testing.assert_array_equal(d.entropy.array, [0., 0.])


def test_repr_and_params():
    d = D.Uniform(loc=numpy.zeros(2, F32), scale=numpy.ones(2, F32))
    assert repr(d) == 'Uniform(batch_shape=(2,), event_shape=())'
    assert set(d.params) == {'loc', 'scale'}
    assert set(D.Bernoulli(p=numpy.ones(1, F32) / 2).params) == {'logit'}


def test_base_class_raises_not_implemented():
    d = D.Distribution()
    for name in ('batch_shape', 'event_shape', 'params', 'entropy', 'mean',
                 'variance', 'stddev', 'support', 'covariance', 'mode'):
        with pytest.raises(NotImplementedError):
            getattr(d, name)
    for name in ('cdf', 'icdf', 'log_cdf', 'log_prob', 'prob', 'perplexity',
                 'survival_function', 'log_survival_function', 'sample_n'):
        with pytest.raises(NotImplementedError):
            getattr(d, name)(numpy.zeros(1))


def test_multivariate_normal_copy():
    import copy
    d = D.MultivariateNormal(numpy.zeros(2), scale_tril=numpy.eye(2))
    e = copy.copy(d)
    assert e is not d and e.loc is d.loc
