import numpy
import pytest

import kusari
from kusari import optimizer_hooks, optimizers


def _reference(p, g, threshold, weight_decay, eps):
    p_norm = numpy.linalg.norm(p)
    g_norm = numpy.linalg.norm(g)
    rate = p_norm / (eps + g_norm + weight_decay * p_norm) if p_norm > threshold else 1.0
    return rate * (g + weight_decay * p)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('threshold,weight_decay', [(1e-2, 0.0), (1e-2, 0.1), (100.0, 0.1)])
def test_lars(dtype, threshold, weight_decay, make_link):
    rng = numpy.random.RandomState(0)
    arrays = {'W': rng.uniform(-1, 1, (3, 4)).astype(dtype),
              'b': rng.uniform(-0.001, 0.001, 3).astype(dtype)}  # norm below 1e-2
    grads = {k: rng.uniform(-1, 1, v.shape).astype(dtype) for k, v in arrays.items()}
    link = make_link(arrays)
    opt = optimizers.SGD(lr=0.1).setup(link)
    opt.add_hook(optimizer_hooks.GradientLARS(threshold=threshold,
                                              weight_decay=weight_decay))
    for name, param in link.namedparams():
        param.grad = grads[name.lstrip('/')].copy()
    opt.update()
    tol = {'rtol': 1e-2, 'atol': 1e-3} if dtype == numpy.float16 else {'rtol': 1e-5}
    for key in arrays:
        p = arrays[key].astype(numpy.float64)
        g = grads[key].astype(numpy.float64)
        expected = p - 0.1 * _reference(p, g, threshold, weight_decay, 1e-9)
        numpy.testing.assert_allclose(getattr(link, key).array, expected, **tol)


def test_defaults_and_attributes():
    hook = optimizer_hooks.GradientLARS()
    assert (hook.threshold, hook.weight_decay, hook.eps) == (1e-2, 0.0, 1e-9)
    assert (hook.name, hook.timing, hook.call_for_each_param) == (
        'GradientLARS', 'pre', True)


def test_zero_parameter_and_gradient():
    p = kusari.Parameter(numpy.zeros(3))
    p.grad = numpy.zeros(3)
    optimizer_hooks.GradientLARS(threshold=-1.0, eps=0.0)(None, p)  # 0 / 0
    assert numpy.isnan(p.grad).all()  # as Chainer: 0 / 0, without a warning
    q = kusari.Parameter(numpy.ones(3))
    q.grad = None
    optimizer_hooks.GradientLARS()(None, q)
    assert q.grad is None


def test_loss_scaling(make_link):
    results = []
    for scale in (None, 64.0):
        link = make_link({'w': numpy.array([3.0, 4.0])})
        opt = optimizers.SGD(lr=0.1).setup(link)
        opt.add_hook(optimizer_hooks.GradientLARS(weight_decay=0.5))
        if scale:
            opt.loss_scaling(scale=scale)
        opt.update(lambda: (link.w.reshape((1, 2)) @ kusari.Variable(
            numpy.array([[0.0], [10.0]]))).reshape(()))
        results.append(link.w.array.copy())
    numpy.testing.assert_allclose(results[1], results[0], rtol=1e-12)
    expected = numpy.array([3.0, 4.0]) - 0.1 * _reference(
        numpy.array([3.0, 4.0]), numpy.array([0.0, 10.0]), 1e-2, 0.5, 1e-9)
    numpy.testing.assert_allclose(results[0], expected)


@pytest.mark.gpu
def test_gpu():
    import cupy
    rng = numpy.random.RandomState(0)
    p0 = rng.uniform(-1, 1, 6).astype(numpy.float32)
    g0 = rng.uniform(-1, 1, 6).astype(numpy.float32)
    p = kusari.Parameter(cupy.asarray(p0))
    p.grad = cupy.asarray(g0)
    optimizer_hooks.GradientLARS(weight_decay=0.1)(None, p)
    numpy.testing.assert_allclose(cupy.asnumpy(p.grad),
                                  _reference(p0, g0, 1e-2, 0.1, 1e-9), rtol=1e-5)
