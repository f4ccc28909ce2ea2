"""Builders shared by the kusari-serializers tests (core only: no links/optimizers)."""
import math
import types

import numpy
import pytest

import kusari
from kusari import initializers
from kusari import optimizer


def linear(n_in, n_out, dtype=numpy.float32, seed=0):
    """A Link shaped like L.Linear: W (n_out, n_in), b (n_out,)."""
    rng = numpy.random.RandomState(seed)
    link = kusari.Link()
    with link.init_scope():
        link.W = kusari.Parameter(rng.randn(n_out, n_in).astype(dtype))
        link.b = kusari.Parameter(rng.randn(n_out).astype(dtype))
    return link


def uninit_linear(dtype=numpy.float32):
    """A Link like L.Linear(None, n) before its first call: W, b uninitialized."""
    link = kusari.Link()
    with link.init_scope():
        link.W = kusari.Parameter(initializers.Zero(dtype))
        link.b = kusari.Parameter(initializers.Zero(dtype))
    return link


def batchnorm(n, seed=0):
    """A Link shaped like L.BatchNormalization: gamma, beta; avg_mean, avg_var, N."""
    rng = numpy.random.RandomState(seed)
    link = kusari.Link()
    with link.init_scope():
        link.gamma = kusari.Parameter(rng.rand(n).astype(numpy.float32))
        link.beta = kusari.Parameter(rng.rand(n).astype(numpy.float32))
    link.add_persistent('avg_mean', rng.rand(n).astype(numpy.float32))
    link.add_persistent('avg_var', rng.rand(n).astype(numpy.float32) + 1)
    link.add_persistent('N', seed)
    return link


def mlp(seed=0):
    """Chain(l1=Linear(4, 5), bn=BatchNormalization(5), l2=Linear(5, 3))."""
    return kusari.Chain(l1=linear(4, 5, seed=seed), bn=batchnorm(5, seed=seed + 1),
                        l2=linear(5, 3, seed=seed + 2))


class AdamRule(optimizer.UpdateRule):
    """Chainer's Adam update in plain NumPy (alpha, beta1, beta2, eps; eta=1)."""

    def init_state(self, param):
        self.state['m'] = numpy.zeros_like(param.array)
        self.state['v'] = numpy.zeros_like(param.array)

    def update_core_cpu(self, param):
        hp = self.hyperparam
        m, v = self.state['m'], self.state['v']
        g = param.grad
        m += (1 - hp.beta1) * (g - m)
        v += (1 - hp.beta2) * (g * g - v)
        lr = hp.alpha * math.sqrt(1 - hp.beta2 ** self.t) / (1 - hp.beta1 ** self.t)
        param.array -= lr * m / (numpy.sqrt(v) + hp.eps)


class CoreAdam(optimizer.GradientMethod):
    """A GradientMethod giving every parameter an :class:`AdamRule`."""

    def __init__(self, alpha=0.001):
        super().__init__()
        self.hyperparam.alpha = alpha
        self.hyperparam.beta1 = 0.9
        self.hyperparam.beta2 = 0.999
        self.hyperparam.eps = 1e-8

    def create_update_rule(self):
        return AdamRule(self.hyperparam)


def adam_reference(param, grad, m, v, t, alpha=0.01, beta1=0.9, beta2=0.999,
                   eps=1e-8):
    """One Adam step from scratch in float64: returns (param, m, v)."""
    param, grad, m, v = (numpy.asarray(a, numpy.float64) for a in (param, grad, m, v))
    m = m + (1 - beta1) * (grad - m)
    v = v + (1 - beta2) * (grad * grad - v)
    lr = alpha * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return param - lr * m / (numpy.sqrt(v) + eps), m, v


def snapshot(obj):
    """Copy every array/scalar of a link hierarchy or an optimizer (for comparisons)."""
    out = {}
    if isinstance(obj, kusari.Link):
        for path, link in obj.namedlinks():
            for name in sorted(link._params):
                arr = getattr(link, name).array
                out[path + '/' + name] = None if arr is None else arr.copy()
            for name in sorted(link._persistent):
                value = getattr(link, name)
                out[path + '/' + name] = value.copy() if isinstance(
                    value, numpy.ndarray) else value
    else:
        out['t'] = obj.t
        out['epoch'] = obj.epoch
        for path, param in obj.target.namedparams():
            rule = param.update_rule
            out[path + '/t'] = rule.t
            state = rule.state
            out[path + '/state'] = None if state is None else {
                k: v.copy() for k, v in state.items()}
            out[path + '/enabled'] = rule.enabled
    return out


def assert_same(a, b):
    """Assert two snapshots are identical (values, dtypes, types)."""
    assert a.keys() == b.keys()
    for key in a:
        x, y = a[key], b[key]
        if isinstance(x, dict):
            assert isinstance(y, dict) and x.keys() == y.keys(), key
            for k in x:
                numpy.testing.assert_array_equal(x[k], y[k], err_msg=key)
        elif isinstance(x, numpy.ndarray):
            assert isinstance(y, numpy.ndarray), key
            assert x.dtype == y.dtype and x.shape == y.shape, key
            numpy.testing.assert_array_equal(x, y, err_msg=key)
        else:
            assert type(x) is type(y) and x == y, (key, x, y)


@pytest.fixture
def helpers():
    """The builders of this module as a namespace."""
    return types.SimpleNamespace(
        linear=linear, uninit_linear=uninit_linear, batchnorm=batchnorm, mlp=mlp,
        AdamRule=AdamRule, CoreAdam=CoreAdam, adam_reference=adam_reference,
        snapshot=snapshot, assert_same=assert_same)
