import numpy
import pytest

import kusari
from kusari import optimizer_hooks, optimizers
from kusari.optimizer_hooks import gradient_noise


def test_custom_noise_function(make_link):
    calls = []

    def noise_func(xp, shape, dtype, hook, rule):
        calls.append((xp, shape, dtype, hook, rule.t))
        return xp.full(shape, 0.25, dtype=dtype)

    link = make_link({'w': numpy.zeros((2, 2), numpy.float32)})
    opt = optimizers.SGD(lr=1.0).setup(link)
    hook = optimizer_hooks.GradientNoise(0.3, noise_func=noise_func)
    opt.add_hook(hook)
    link.w.grad = numpy.ones((2, 2), numpy.float32)
    opt.update()
    numpy.testing.assert_allclose(link.w.array, numpy.full((2, 2), -1.25))
    assert calls == [(numpy, (2, 2), numpy.float32, hook, 0)]


def test_default_noise_statistics():
    class Rule:
        t = 3
    hook = optimizer_hooks.GradientNoise(eta=0.3)
    assert hook.noise_func is gradient_noise.exponential_decay_noise
    assert (hook.name, hook.timing, hook.call_for_each_param) == (
        'GradientNoise', 'pre', True)
    numpy.random.seed(0)
    noise = gradient_noise.exponential_decay_noise(
        numpy, (200, 100), numpy.float64, hook, Rule())
    expected_std = numpy.sqrt(0.3 / (1 + 3) ** 0.55)
    assert abs(noise.mean()) < 0.01
    numpy.testing.assert_allclose(noise.std(), expected_std, rtol=0.02)


def test_hook_adds_seeded_noise(make_link):
    link = make_link({'w': numpy.zeros(5)})
    opt = optimizers.SGD(lr=1.0).setup(link)
    opt.add_hook(optimizer_hooks.GradientNoise(1.0))
    link.w.grad = numpy.zeros(5)
    numpy.random.seed(1)
    opt.update()
    numpy.random.seed(1)
    expected = -numpy.random.normal(0, 1.0, 5)  # t = 0: std = sqrt(eta)
    numpy.testing.assert_allclose(link.w.array, expected)


def test_skip_without_grad():
    p = kusari.Parameter(numpy.zeros(2))
    p.grad = None
    optimizer_hooks.GradientNoise(1.0)(None, p)
    assert p.grad is None


def test_loss_scaling(make_link):
    results = []
    for scale in (None, 8.0):
        link = make_link({'w': numpy.zeros(2)})
        opt = optimizers.SGD(lr=1.0).setup(link)
        opt.add_hook(optimizer_hooks.GradientNoise(
            0.5, noise_func=lambda xp, shape, dtype, hook, rule: xp.full(shape, hook.eta)))
        if scale:
            opt.loss_scaling(scale=scale)
        opt.update(lambda: (link.w.reshape((1, 2)) @ kusari.Variable(
            numpy.ones((2, 1)))).reshape(()))
        results.append(link.w.array.copy())
    numpy.testing.assert_allclose(results[1], results[0])
    numpy.testing.assert_allclose(results[0], [-1.5, -1.5])


@pytest.mark.gpu
def test_gpu():
    import cupy

    class Rule:
        t = 0
    p = kusari.Parameter(cupy.zeros(1000, dtype=cupy.float32))
    p.grad = cupy.zeros(1000, dtype=cupy.float32)
    optimizer_hooks.GradientNoise(0.01)(Rule(), p)
    assert 0.05 < float(p.grad.std()) < 0.15
