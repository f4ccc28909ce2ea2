import numpy
import pytest

import kusari
from kusari import optimizer_hooks, optimizers


def _setup(make_link, dtype, scale_grads):
    rng = numpy.random.RandomState(0)
    arrays = {'a': rng.uniform(-1, 1, (3, 2)).astype(dtype),
              'b/c': rng.uniform(-1, 1, 4).astype(dtype)}
    grads = {k: (scale_grads * rng.uniform(-1, 1, v.shape)).astype(dtype)
             for k, v in arrays.items()}
    link = make_link(arrays)
    for name, param in link.namedparams():
        param.grad = grads[name.lstrip('/')].copy()
    return link, grads


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('scale_grads', [0.1, 10.0])
def test_clipping(dtype, scale_grads, make_link):
    link, grads = _setup(make_link, dtype, scale_grads)
    norm = numpy.sqrt(sum(numpy.sum(g.astype(numpy.float64) ** 2)
                          for g in grads.values()))
    threshold = 1.0
    opt = optimizers.SGD().setup(link)
    hook = optimizer_hooks.GradientClipping(threshold)
    hook(opt)
    rate = min(1.0, threshold / norm)
    assert (rate < 1) == (scale_grads > 1)  # one case clips, the other does not
    tol = {'rtol': 2e-3} if dtype == numpy.float16 else {'rtol': 1e-6}
    new_norm = 0.0
    for name, param in link.namedparams():
        g = grads[name.lstrip('/')].astype(numpy.float64)
        numpy.testing.assert_allclose(param.grad, g * rate, **tol)
        new_norm += numpy.sum(param.grad.astype(numpy.float64) ** 2)
    assert numpy.sqrt(new_norm) <= threshold * 1.002 or rate == 1


def test_attributes_and_registration(make_link):
    hook = optimizer_hooks.GradientClipping(2.0)
    assert (hook.name, hook.timing, hook.threshold) == ('GradientClipping', 'pre', 2.0)
    assert not getattr(hook, 'call_for_each_param', False)
    link, grads = _setup(make_link, numpy.float64, 10.0)
    opt = optimizers.SGD(lr=1.0).setup(link)
    opt.add_hook(hook)
    before = {n: p.array.copy() for n, p in link.namedparams()}
    opt.update()
    total = sum(numpy.sum((before[n] - p.array) ** 2) for n, p in link.namedparams())
    numpy.testing.assert_allclose(numpy.sqrt(total), 2.0)  # the step has norm 2


def test_zero_gradients(make_link):
    link = make_link({'w': numpy.ones(3)})
    link.w.grad = numpy.zeros(3)
    opt = optimizers.SGD().setup(link)
    optimizer_hooks.GradientClipping(1.0)(opt)
    numpy.testing.assert_array_equal(link.w.grad, numpy.zeros(3))


def test_loss_scaling(make_link):
    results = []
    for scale in (None, 128.0):
        link = make_link({'w': numpy.zeros(2)})
        opt = optimizers.SGD(lr=1.0).setup(link)
        opt.add_hook(optimizer_hooks.GradientClipping(1.0))
        if scale:
            opt.loss_scaling(scale=scale)
        opt.update(lambda: (link.w.reshape((1, 2)) @ kusari.Variable(
            numpy.array([[3.0], [4.0]]))).reshape(()))
        results.append(link.w.array.copy())
    numpy.testing.assert_allclose(results[1], results[0])
    numpy.testing.assert_allclose(results[0], [-0.6, -0.8])


@pytest.mark.gpu
def test_gpu(make_link):
    import cupy
    link, grads = _setup(make_link, numpy.float32, 10.0)
    link.to_gpu()
    for name, param in link.namedparams():
        param.grad = cupy.asarray(grads[name.lstrip('/')])
    opt = optimizers.SGD().setup(link)
    optimizer_hooks.GradientClipping(1.0)(opt)
    total = sum(float(cupy.sum(p.grad ** 2)) for p in link.params())
    numpy.testing.assert_allclose(numpy.sqrt(total), 1.0, rtol=1e-5)
