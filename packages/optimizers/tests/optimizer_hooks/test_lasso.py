import numpy
import pytest

import kusari
from kusari import optimizer_hooks, optimizers


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_lasso_through_sgd(dtype, make_link):
    p0 = numpy.array([[1.5, -0.25, 0.0], [-3.0, 2.0, 0.5]], dtype=dtype)
    g0 = numpy.array([[0.5, 0.5, -0.5], [0.0, 1.0, -1.0]], dtype=dtype)
    link = make_link({'w': p0})
    opt = optimizers.SGD(lr=0.5).setup(link)
    opt.add_hook(optimizer_hooks.Lasso(0.1))
    link.w.grad = g0.copy()
    opt.update()
    p = p0.astype(numpy.float64)
    expected = p - 0.5 * (g0.astype(numpy.float64) + 0.1 * numpy.sign(p))
    tol = {'rtol': 1e-2, 'atol': 1e-3} if dtype == numpy.float16 else {'rtol': 1e-6}
    numpy.testing.assert_allclose(link.w.array, expected, **tol)


def test_attributes_and_skip_without_grad():
    hook = optimizer_hooks.Lasso(0.5)
    assert (hook.name, hook.timing, hook.call_for_each_param) == ('Lasso', 'pre', True)
    p = kusari.Parameter(numpy.array([1.0]))
    p.grad = None
    hook(None, p)
    assert p.grad is None


def test_loss_scaling(make_link):
    results = []
    for scale in (None, 32.0):
        link = make_link({'w': numpy.array([1.0, -2.0])})
        opt = optimizers.SGD(lr=0.1).setup(link)
        opt.add_hook(optimizer_hooks.Lasso(0.5))
        if scale:
            opt.loss_scaling(scale=scale)
        opt.update(lambda: (link.w.reshape((1, 2)) @ kusari.Variable(
            numpy.ones((2, 1)))).reshape(()))
        results.append(link.w.array.copy())
    numpy.testing.assert_allclose(results[1], results[0])
    numpy.testing.assert_allclose(results[0], [1 - 0.1 * 1.5, -2 - 0.1 * 0.5])


@pytest.mark.gpu
def test_gpu():
    import cupy
    p = kusari.Parameter(cupy.asarray([1.0, -2.0, 0.0], dtype=cupy.float32))
    p.grad = cupy.zeros(3, dtype=cupy.float32)
    optimizer_hooks.Lasso(0.5)(None, p)
    numpy.testing.assert_allclose(cupy.asnumpy(p.grad), [0.5, -0.5, 0.0])
