import warnings

import numpy
import pytest

import kusari
from kusari import optimizer_hooks, optimizers


def _link_and_grads(make_link, dtype=numpy.float64):
    rng = numpy.random.RandomState(0)
    arrays = {'l/W': rng.uniform(-1, 1, (3, 2)).astype(dtype),
              'l/b': rng.uniform(-1, 1, 3).astype(dtype)}
    grads = {k: rng.uniform(-1, 1, v.shape).astype(dtype) for k, v in arrays.items()}
    return make_link(arrays), arrays, grads


def _set_grads(link, grads):
    for name, param in link.namedparams():
        param.grad = grads[name.lstrip('/')].copy()


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_weight_decay_through_sgd(dtype, make_link):
    link, arrays, grads = _link_and_grads(make_link, dtype)
    opt = optimizers.SGD(lr=0.5).setup(link)
    opt.add_hook(optimizer_hooks.WeightDecay(0.2))
    _set_grads(link, grads)
    opt.update()
    tol = {'rtol': 1e-2, 'atol': 1e-3} if dtype == numpy.float16 else {'rtol': 1e-6}
    for name, param in link.namedparams():
        key = name.lstrip('/')
        p = arrays[key].astype(numpy.float64)
        expected = p - 0.5 * (grads[key] + 0.2 * p)
        numpy.testing.assert_allclose(param.array, expected, **tol)


def test_attributes_and_direct_call():
    hook = optimizer_hooks.WeightDecay(0.1)
    assert hook.name == 'WeightDecay' and hook.timing == 'pre'
    assert hook.call_for_each_param is True and hook.rate == 0.1
    p = kusari.Parameter(numpy.array([1.0, -2.0]))
    p.grad = numpy.array([0.5, 0.5])
    grad = p.grad
    hook(None, p)
    assert p.grad is grad  # in place
    numpy.testing.assert_allclose(p.grad, [0.6, 0.3])
    q = kusari.Parameter(numpy.array([1.0]))
    q.grad = None
    hook(None, q)  # no gradient: nothing to do
    assert q.grad is None


def test_non_contiguous_gradient():
    p = kusari.Parameter(numpy.arange(6.0).reshape(2, 3))
    base = numpy.ones((3, 2))
    p.grad = base.T
    optimizer_hooks.WeightDecay(0.5)(None, p)
    numpy.testing.assert_allclose(base.T, 1 + 0.5 * numpy.arange(6.0).reshape(2, 3))


def test_post_timing_does_not_change_the_update(make_link):
    link, arrays, grads = _link_and_grads(make_link)
    opt = optimizers.SGD(lr=0.5).setup(link)
    opt.add_hook(optimizer_hooks.WeightDecay(0.2), timing='post')
    _set_grads(link, grads)
    opt.update()
    for name, param in link.namedparams():
        key = name.lstrip('/')
        numpy.testing.assert_allclose(param.array, arrays[key] - 0.5 * grads[key])
        # the hook ran after the update, on the updated parameter
        numpy.testing.assert_allclose(param.grad, grads[key] + 0.2 * param.array)


def test_hook_on_one_update_rule(make_link):
    link, arrays, grads = _link_and_grads(make_link)
    opt = optimizers.SGD(lr=1.0).setup(link)
    link.l.W.update_rule.add_hook(optimizer_hooks.WeightDecay(0.5))
    _set_grads(link, grads)
    opt.update()
    numpy.testing.assert_allclose(link.l.W.array,
                                  arrays['l/W'] - grads['l/W'] - 0.5 * arrays['l/W'])
    numpy.testing.assert_allclose(link.l.b.array, arrays['l/b'] - grads['l/b'])


@pytest.mark.parametrize('on_rule', [False, True])
def test_loss_scaling(make_link, on_rule):
    # the decay must not depend on the loss scale, whether the hook sees scaled
    # gradients (optimizer hook) or unscaled ones (update-rule hook)
    results = []
    for scale in (None, 64.0):
        link = make_link({'w': numpy.array([1.0, -2.0, 3.0])})
        opt = optimizers.SGD(lr=0.1).setup(link)
        hook = optimizer_hooks.WeightDecay(0.5)
        if on_rule:
            link.w.update_rule.add_hook(hook)
        else:
            opt.add_hook(hook)
        if scale is not None:
            opt.loss_scaling(scale=scale)
        target = kusari.Variable(numpy.array([[0.5], [0.5], [0.5]]))

        def lossfun():
            return (link.w.reshape((1, 3)) @ target).reshape(())
        opt.update(lossfun)
        results.append(link.w.array.copy())
    numpy.testing.assert_allclose(results[1], results[0], rtol=1e-12)
    numpy.testing.assert_allclose(results[0], [1, -2, 3] - 0.1 * (0.5 + 0.5 * numpy.array(
        [1.0, -2.0, 3.0])))


def test_chainer_v1_spelling(make_link):
    link, arrays, grads = _link_and_grads(make_link)
    opt = optimizers.SGD(lr=0.5).setup(link)
    with pytest.warns(DeprecationWarning, match='kusari.optimizer_hooks.WeightDecay'):
        hook = kusari.optimizer.WeightDecay(0.2)
    assert isinstance(hook, optimizer_hooks.WeightDecay)
    opt.add_hook(hook)
    _set_grads(link, grads)
    opt.update()
    key = 'l/W'
    numpy.testing.assert_allclose(
        link.l.W.array, arrays[key] - 0.5 * (grads[key] + 0.2 * arrays[key]))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        for name in ('Lasso', 'GradientClipping', 'GradientNoise'):
            old = getattr(kusari.optimizer, name)(1.0)
            assert isinstance(old, getattr(optimizer_hooks, name))
        old = kusari.optimizer.GradientHardClipping(-1.0, 1.0)
        assert isinstance(old, optimizer_hooks.GradientHardClipping)


@pytest.mark.gpu
def test_gpu(make_link):
    import cupy
    link, arrays, grads = _link_and_grads(make_link, numpy.float32)
    link.to_gpu()
    opt = optimizers.SGD(lr=0.5).setup(link)
    opt.add_hook(optimizer_hooks.WeightDecay(0.2))
    for name, param in link.namedparams():
        param.grad = cupy.asarray(grads[name.lstrip('/')])
    opt.update()
    for name, param in link.namedparams():
        key = name.lstrip('/')
        numpy.testing.assert_allclose(
            cupy.asnumpy(param.array), arrays[key] - 0.5 * (grads[key] + 0.2 * arrays[key]),
            rtol=1e-5)
