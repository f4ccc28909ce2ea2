import numpy
import pytest

import kusari
from kusari import optimizer_hooks, optimizers


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_clipping_through_sgd(dtype, make_link):
    rng = numpy.random.RandomState(0)
    p0 = rng.uniform(-1, 1, (4, 3)).astype(dtype)
    g0 = rng.uniform(-3, 3, (4, 3)).astype(dtype)
    link = make_link({'w': p0})
    opt = optimizers.SGD(lr=0.5).setup(link)
    opt.add_hook(optimizer_hooks.GradientHardClipping(-1.0, 0.5))
    link.w.grad = g0.copy()
    opt.update()
    assert (g0 < -1).any() and (g0 > 0.5).any()  # both bounds matter
    expected = p0.astype(numpy.float64) - 0.5 * numpy.minimum(
        numpy.maximum(g0.astype(numpy.float64), -1.0), 0.5)
    tol = {'rtol': 1e-2, 'atol': 1e-3} if dtype == numpy.float16 else {'rtol': 1e-6}
    numpy.testing.assert_allclose(link.w.array, expected, **tol)
    assert link.w.grad.min() >= -1.0 and link.w.grad.max() <= 0.5


def test_attributes():
    hook = optimizer_hooks.GradientHardClipping(-2, 3)
    assert (hook.name, hook.timing, hook.call_for_each_param) == (
        'GradientHardClipping', 'pre', True)
    assert (hook.lower_bound, hook.upper_bound) == (-2, 3)


def test_bad_bounds():
    with pytest.raises(ValueError, match='GradientHardClipping.*lower_bound=1.*upper_bound=0'):
        optimizer_hooks.GradientHardClipping(1.0, 0.0)


def test_loss_scaling(make_link):
    results = []
    for scale in (None, 16.0):
        link = make_link({'w': numpy.array([1.0, -2.0])})
        opt = optimizers.SGD(lr=1.0).setup(link)
        opt.add_hook(optimizer_hooks.GradientHardClipping(-0.5, 0.5))
        if scale:
            opt.loss_scaling(scale=scale)
        opt.update(lambda: (link.w.reshape((1, 2)) @ kusari.Variable(
            numpy.array([[2.0], [-0.25]]))).reshape(()))
        results.append(link.w.array.copy())
    numpy.testing.assert_allclose(results[1], results[0])
    numpy.testing.assert_allclose(results[0], [0.5, -1.75])


@pytest.mark.gpu
def test_gpu():
    import cupy
    p = kusari.Parameter(cupy.zeros(3, dtype=cupy.float32))
    p.grad = cupy.asarray([-5.0, 0.1, 5.0], dtype=cupy.float32)
    optimizer_hooks.GradientHardClipping(-1.0, 1.0)(None, p)
    numpy.testing.assert_allclose(cupy.asnumpy(p.grad), [-1.0, 0.1, 1.0], rtol=1e-6)
