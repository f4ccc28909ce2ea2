"""The distributions on CuPy arrays: the same values as on the CPU, samples on the GPU."""
import numpy
import pytest

import kusari.distributions as D
import _dist_cases as cases


@pytest.mark.gpu
@pytest.mark.parametrize('name', sorted(cases.SCALAR))
def test_scalar_distribution_on_gpu(name):
    import cupy
    sp = cases.SCALAR[name]
    params = cases.make_params(sp, (2, 3), numpy.float32)
    cpu = sp.cls(**params)
    gpu = sp.cls(**{k: cupy.asarray(v) for k, v in params.items()})
    assert gpu.xp is cupy
    x = numpy.asarray(sp.x(numpy.random.RandomState(1), (4, 2, 3))).astype(numpy.float32)
    for method in sp.methods:
        if method == 'icdf':
            continue
        if method in cases.POINTWISE:
            a, b = getattr(cpu, method)(x), getattr(gpu, method)(cupy.asarray(x))
        else:
            a, b = getattr(cpu, method), getattr(gpu, method)
        assert isinstance(b.array, cupy.ndarray), method
        numpy.testing.assert_allclose(cupy.asnumpy(b.array), a.array, rtol=1e-4,
                                      atol=1e-5, err_msg=method)
    s = gpu.sample(1000)
    assert isinstance(s.array, cupy.ndarray) and s.shape == (1000, 2, 3)


@pytest.mark.gpu
def test_multivariate_on_gpu():
    import cupy
    rng = numpy.random.RandomState(0)
    p = rng.dirichlet(numpy.ones(3), (2,)).astype(numpy.float32)
    for cls in (D.Categorical, D.OneHotCategorical):
        d = cls(cupy.asarray(p))
        assert isinstance(d.sample(10).array, cupy.ndarray)
        kl = D.kl_divergence(d, cls(cupy.asarray(p[::-1].copy())))
        assert isinstance(kl.array, cupy.ndarray)
    alpha = rng.uniform(1, 3, (2, 3)).astype(numpy.float32)
    d = D.Dirichlet(cupy.asarray(alpha))
    numpy.testing.assert_allclose(cupy.asnumpy(d.entropy.array),
                                  D.Dirichlet(alpha).entropy.array, rtol=1e-4)
    loc = rng.normal(size=(2, 3)).astype(numpy.float32)
    tril = (numpy.tril(rng.normal(size=(2, 3, 3))) + 2 * numpy.eye(3)).astype(numpy.float32)
    x = rng.normal(size=(4, 2, 3)).astype(numpy.float32)
    cpu = D.MultivariateNormal(loc, scale_tril=tril)
    gpu = D.MultivariateNormal(cupy.asarray(loc), scale_tril=cupy.asarray(tril))
    numpy.testing.assert_allclose(cupy.asnumpy(gpu.log_prob(cupy.asarray(x)).array),
                                  cpu.log_prob(x).array, rtol=1e-4, atol=1e-4)
    assert gpu.sample(5).shape == (5, 2, 3)
