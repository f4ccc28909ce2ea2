"""Categorical, OneHotCategorical, Dirichlet, MultivariateNormal and Independent
against scipy.stats (one batch element at a time) and NumPy."""
import numpy
import pytest
from scipy import stats

import kusari
import kusari.distributions as D
import _dist_cases as cases

DTYPES = [numpy.float32, numpy.float64]


def _probs(rng, shape, k=3):
    p = numpy.exp(rng.normal(size=shape + (k,)))
    return p / p.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(2, 3), ()])
@pytest.mark.parametrize('use_logit', [False, True])
def test_categorical(dtype, shape, use_logit):
    rng = numpy.random.RandomState(0)
    logit = rng.normal(size=shape + (4,))
    p = numpy.exp(logit) / numpy.exp(logit).sum(-1, keepdims=True)
    dist = (D.Categorical(logit=logit.astype(dtype)) if use_logit
            else D.Categorical(p.astype(dtype)))
    tol = cases.tolerances(dtype)
    assert dist.batch_shape == shape and dist.event_shape == ()
    x = rng.randint(0, 4, (5,) + shape)
    lp = dist.log_prob(x)
    assert lp.shape == (5,) + shape and lp.dtype == dtype
    numpy.testing.assert_allclose(
        lp.array, numpy.log(numpy.take_along_axis(
            numpy.broadcast_to(p, (5,) + p.shape), x[..., None], -1)[..., 0]), **tol)
    numpy.testing.assert_allclose(dist.prob(x).array, numpy.exp(lp.array), **tol)
    ent = numpy.array([stats.multinomial(1, q).entropy()
                       for q in p.reshape(-1, 4)]).reshape(shape)
    numpy.testing.assert_allclose(dist.entropy.array, ent,
                                  rtol=max(tol['rtol'], 1e-7), atol=tol['atol'])


def test_categorical_samples():
    p = numpy.array([[0.1, 0.2, 0.7], [0.5, 0.5, 0.], [0., 0., 1.]], numpy.float32)
    numpy.random.seed(0)
    s = D.Categorical(p).sample(30000).array
    assert s.shape == (30000, 3)
    for i in range(3):
        freq = numpy.bincount(s[:, i], minlength=3) / 30000.
        numpy.testing.assert_allclose(freq, p[i], atol=0.012)
    assert (s[:, 1] != 2).all() and (s[:, 2] == 2).all()


def test_categorical_bad_index():
    d = D.Categorical(numpy.full((2, 3), 1 / 3., numpy.float32))
    with pytest.raises(TypeError, match='Categorical.log_prob'):
        d.log_prob(numpy.full((2,), 0.5))
    with pytest.raises(ValueError, match='Categorical.log_prob'):
        d.log_prob(numpy.zeros((3,), numpy.int32))


@pytest.mark.parametrize('dtype', DTYPES)
def test_one_hot_categorical(dtype):
    rng = numpy.random.RandomState(0)
    p = _probs(rng, (2, 3))
    dist = D.OneHotCategorical(p.astype(dtype))
    tol = cases.tolerances(dtype)
    assert dist.batch_shape == (2, 3) and dist.event_shape == (3,)
    idx = rng.randint(0, 3, (4, 2, 3))
    x = numpy.eye(3)[idx]
    lp = dist.log_prob(x)
    ref = numpy.array([stats.multinomial(1, p[i, j]).logpmf(x[s, i, j])
                       for s in range(4) for i in range(2) for j in range(3)])
    numpy.testing.assert_allclose(lp.array, ref.reshape(4, 2, 3), rtol=max(
        tol['rtol'], 1e-7), atol=tol['atol'])
    numpy.testing.assert_allclose(dist.mean.array, p, **tol)
    numpy.testing.assert_allclose(dist.variance.array, p * (1 - p), **tol)
    numpy.random.seed(1)
    s = dist.sample(20000).array
    assert s.shape == (20000, 2, 3, 3) and s.dtype == dtype
    assert (s.sum(-1) == 1).all()
    numpy.testing.assert_allclose(s.mean(0), p, atol=0.015)


@pytest.mark.parametrize('dtype', DTYPES)
def test_dirichlet(dtype):
    rng = numpy.random.RandomState(0)
    alpha = rng.uniform(0.5, 5, (2, 3, 4))
    dist = D.Dirichlet(alpha.astype(dtype))
    tol = cases.tolerances(dtype)
    rtol = max(tol['rtol'], 1e-8)
    assert dist.batch_shape == (2, 3) and dist.event_shape == (4,)
    x = rng.dirichlet(numpy.ones(4), (5, 2, 3))
    lp = dist.log_prob(x.astype(dtype)).array
    for i, j in numpy.ndindex(2, 3):
        ref = stats.dirichlet(alpha[i, j])
        numpy.testing.assert_allclose(
            lp[:, i, j], [ref.logpdf(x[s, i, j]) for s in range(5)],
            rtol=rtol * 10, atol=tol['atol'] * 10)
        numpy.testing.assert_allclose(dist.entropy.array[i, j], ref.entropy(),
                                      rtol=rtol * 10, atol=tol['atol'] * 10)
        numpy.testing.assert_allclose(dist.mean.array[i, j], ref.mean(), rtol=rtol)
        numpy.testing.assert_allclose(dist.variance.array[i, j], ref.var(), rtol=rtol)
    numpy.random.seed(2)
    s = dist.sample(20000).array
    assert s.shape == (20000, 2, 3, 4) and s.dtype == dtype
    numpy.testing.assert_allclose(s.sum(-1), 1, rtol=1e-5)
    numpy.testing.assert_allclose(s.mean(0), dist.mean.array, atol=0.01)
    numpy.testing.assert_allclose(s.var(0), dist.variance.array, rtol=0.1, atol=1e-3)


def _mvn_params(rng, shape, d):
    loc = rng.uniform(-1, 1, shape + (d,))
    a = rng.normal(size=shape + (d, d))
    cov = a @ numpy.swapaxes(a, -1, -2) + 0.5 * numpy.eye(d)
    return loc, cov, numpy.linalg.cholesky(cov)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(3, 2), (1,), ()])
def test_multivariate_normal(dtype, shape):
    rng = numpy.random.RandomState(0)
    loc, cov, tril = _mvn_params(rng, shape, 3)
    dist = D.MultivariateNormal(loc.astype(dtype), scale_tril=tril.astype(dtype))
    tol = cases.tolerances(dtype)
    tol = {'rtol': max(tol['rtol'], 1e-7) * 5, 'atol': tol['atol'] * 10}
    assert dist.batch_shape == shape and dist.event_shape == (3,) and dist.d == 3
    x = rng.normal(size=(4,) + shape + (3,))
    lp = dist.log_prob(x.astype(dtype))
    assert lp.shape == (4,) + shape and lp.dtype == dtype
    for idx in numpy.ndindex(shape):
        ref = stats.multivariate_normal(loc[idx], cov[idx])
        numpy.testing.assert_allclose(lp.array[(slice(None),) + idx],
                                      ref.logpdf(x[(slice(None),) + idx]), **tol)
        numpy.testing.assert_allclose(dist.entropy.array[idx], ref.entropy(), **tol)
    numpy.testing.assert_allclose(dist.covariance.array, cov, **tol)
    numpy.testing.assert_allclose(dist.variance.array,
                                  numpy.diagonal(cov, axis1=-2, axis2=-1), **tol)
    numpy.testing.assert_allclose(dist.mean.array, loc, **tol)
    numpy.random.seed(3)
    s = dist.sample(40000).array
    assert s.shape == (40000,) + shape + (3,) and s.dtype == dtype
    numpy.testing.assert_allclose(s.mean(0), loc, atol=0.05)
    c = s - s.mean(0)
    emp = numpy.einsum('n...i,n...j->...ij', c, c) / len(s)
    numpy.testing.assert_allclose(emp, cov, rtol=0.05, atol=0.05)


def test_multivariate_normal_errors():
    with pytest.raises(ValueError, match='scale_tril'):
        D.MultivariateNormal(numpy.zeros(3, numpy.float32))
    with pytest.raises(ValueError, match='MultivariateNormal'):
        D.MultivariateNormal(numpy.zeros(3), scale_tril=numpy.eye(2))


@pytest.mark.parametrize('lower', [True, False])
@pytest.mark.parametrize('d', [3, 1, 0])
def test_triangular_inv(lower, d):
    from kusari.distributions import multivariate_normal as mvn
    from kusari import gradient_check
    rng = numpy.random.RandomState(0)
    x = numpy.tril(rng.normal(size=(d, d))) + 3 * numpy.eye(d)
    if not lower:
        x = x.T
    y = mvn._triangular_inv(x, lower=lower).array
    numpy.testing.assert_allclose(y, numpy.linalg.inv(x) if d else x, atol=1e-12)
    if d:
        # only the triangle is read: perturbing the other entries changes nothing
        other = numpy.triu(numpy.ones((d, d)), 1) if lower else numpy.tril(
            numpy.ones((d, d)), -1)
        numpy.testing.assert_array_equal(
            mvn._triangular_inv(x + 5 * other, lower=lower).array, y)
        gradient_check.check_backward(
            lambda v: mvn._triangular_inv(v, lower=lower), x, rng.normal(size=(d, d)),
            dtype=numpy.float64, atol=1e-6, rtol=1e-5)
        gradient_check.check_double_backward(
            lambda v: mvn._triangular_inv(v, lower=lower), x, rng.normal(size=(d, d)),
            rng.normal(size=(d, d)), dtype=numpy.float64, atol=1e-5, rtol=1e-4)


def test_triangular_inv_bad_input():
    from kusari.distributions import multivariate_normal as mvn
    with pytest.raises(TypeError, match=r'triangular_inv.*shape \(2, 3\)'):
        mvn._triangular_inv(numpy.zeros((2, 3)))


@pytest.mark.parametrize('inner_shape,ndims', [
    ((4, 5), 1), ((4, 5), 2), ((4, 5), 0), ((4, 5), None), ((5,), 1), ((), None)])
def test_independent_normal(inner_shape, ndims):
    rng = numpy.random.RandomState(0)
    loc = rng.uniform(-1, 1, inner_shape)
    scale = numpy.exp(rng.uniform(-1, 1, inner_shape))
    base = D.Normal(loc, scale)
    dist = D.Independent(base, ndims)
    r = max(0, len(inner_shape) - 1) if ndims is None else ndims
    bnd = len(inner_shape) - r
    assert dist.reinterpreted_batch_ndims == r
    assert dist.batch_shape == inner_shape[:bnd]
    assert dist.event_shape == inner_shape[bnd:]
    x = rng.normal(size=(3,) + inner_shape)
    ref_lp = stats.norm(loc, scale).logpdf(x)
    axes = tuple(range(-r, 0)) if r else ()
    numpy.testing.assert_allclose(dist.log_prob(x).array, ref_lp.sum(axis=axes),
                                  rtol=1e-10)
    numpy.testing.assert_allclose(dist.prob(x).array, numpy.exp(ref_lp).prod(axis=axes),
                                  rtol=1e-10)
    numpy.testing.assert_allclose(
        dist.entropy.array, stats.norm(loc, scale).entropy().sum(axis=axes), rtol=1e-10)
    numpy.testing.assert_allclose(
        dist.cdf(x).array, stats.norm(loc, scale).cdf(x).prod(axis=axes), rtol=1e-10)
    numpy.testing.assert_allclose(
        dist.log_cdf(x).array, stats.norm(loc, scale).logcdf(x).sum(axis=axes),
        rtol=1e-10)
    numpy.testing.assert_allclose(dist.mean.array, loc)
    assert dist.support == 'real' and dist.params.keys() == {'loc', 'scale'}
    assert dist.sample((2, 3)).shape == (2, 3) + inner_shape
    with pytest.raises(RuntimeError, match='not invertible'):
        dist.icdf(x)


def test_independent_covariance():
    rng = numpy.random.RandomState(0)
    loc, cov, tril = _mvn_params(rng, (2, 3), 2)
    dist = D.Independent(D.MultivariateNormal(loc, scale_tril=tril), 1)
    assert dist.batch_shape == (2,) and dist.event_shape == (3, 2)
    c = dist.covariance.array
    assert c.shape == (2, 6, 6)
    for b in range(2):
        expected = numpy.zeros((6, 6))
        for i in range(3):
            expected[2 * i:2 * i + 2, 2 * i:2 * i + 2] = cov[b, i]
        numpy.testing.assert_allclose(c[b], expected, rtol=1e-10, atol=1e-12)
    x = rng.normal(size=(2, 3, 2))
    ref = [sum(stats.multivariate_normal(loc[b, i], cov[b, i]).logpdf(x[b, i])
               for i in range(3)) for b in range(2)]
    numpy.testing.assert_allclose(dist.log_prob(x).array, ref, rtol=1e-8)


def test_independent_errors():
    base = D.Normal(numpy.zeros((4, 5)), numpy.ones((4, 5)))
    with pytest.raises(ValueError, match='reinterpreted_batch_ndims'):
        D.Independent(base, 3)
    with pytest.raises(TypeError, match='Independent'):
        D.Independent(numpy.zeros(3))
    assert isinstance(D.Independent(base).entropy, kusari.Variable)
