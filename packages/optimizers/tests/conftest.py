"""Fixtures shared by the tests of kusari-optimizers.

* ``dict_io``: a tiny (de)serializer pair over a flat dict with Chainer's ``a/b/c`` key
  layout (``dict_io.Serializer(target)``, ``dict_io.Deserializer(target)``).
* ``make_link``: build a link holding parameters from a dict of arrays (nested by
  ``'child/name'`` keys).
* ``references``: independent NumPy (float64) implementations of the published update
  rules, by name: ``references[name].init(shape)`` gives the state dict and
  ``references[name].step(p, g, state, t, hp)`` returns the new parameter (updating
  ``state``), ``t`` being the 1-based step number and ``hp`` a dict of hyperparameters.
"""
import math
import types

import numpy
import pytest

import kusari
from kusari import serializer as serializer_module


class _DictSerializer(serializer_module.Serializer):

    def __init__(self, target=None, path=''):
        self.target = {} if target is None else target
        self.path = path

    def __getitem__(self, key):
        return _DictSerializer(self.target, self.path + key.strip('/') + '/')

    def __call__(self, key, value):
        self.target[self.path + key] = (
            value.copy() if isinstance(value, numpy.ndarray) else value)
        return value


class _DictDeserializer(serializer_module.Deserializer):

    def __init__(self, target, path=''):
        self.target = target
        self.path = path

    def __getitem__(self, key):
        return _DictDeserializer(self.target, self.path + key.strip('/') + '/')

    def __call__(self, key, value):
        loaded = self.target[self.path + key]
        if value is None:
            return numpy.array(loaded)  # a fresh, writable copy
        if isinstance(value, numpy.ndarray):
            numpy.copyto(value, loaded)
            return value
        return type(value)(loaded)


@pytest.fixture
def dict_io():
    return types.SimpleNamespace(Serializer=_DictSerializer,
                                 Deserializer=_DictDeserializer)


def _make_link(arrays):
    root = kusari.Chain()
    children = {}
    for key, value in arrays.items():
        parts = key.split('/')
        owner = root
        for name in parts[:-1]:
            if name not in children:
                child = kusari.Chain()
                with owner.init_scope():
                    setattr(owner, name, child)
                children[name] = child
            owner = children[name]
        with owner.init_scope():
            setattr(owner, parts[-1], kusari.Parameter(numpy.array(value)))
    return root


@pytest.fixture
def make_link():
    return _make_link


# ---------------------------------------------------------------- NumPy references

def _ref(init, step):
    return types.SimpleNamespace(init=init, step=step)


def _zeros(*names):
    return lambda shape: {n: numpy.zeros(shape) for n in names}


def _sgd(p, g, s, t, hp):
    return p - hp['lr'] * g


def _momentum(p, g, s, t, hp):
    s['v'] = hp['momentum'] * s['v'] - hp['lr'] * g
    return p + s['v']


def _nesterov(p, g, s, t, hp):
    # Chainer's formulation: the parameter moves with the *updated* velocity
    mu, lr = hp['momentum'], hp['lr']
    s['v'] = mu * s['v'] - lr * g
    return p + mu * mu * s['v'] - (1 + mu) * lr * g


def _corrected_momentum(p, g, s, t, hp):
    s['v'] = hp['momentum'] * s['v'] - g
    return p + hp['lr'] * s['v']


def _ada_grad(p, g, s, t, hp):
    s['h'] = s['h'] + g * g
    return p - hp['lr'] * g / (numpy.sqrt(s['h']) + hp['eps'])


def _ada_delta(p, g, s, t, hp):
    rho, eps = hp['rho'], hp['eps']
    s['msg'] = rho * s['msg'] + (1 - rho) * g * g
    dx = numpy.sqrt((s['msdx'] + eps) / (s['msg'] + eps)) * g
    s['msdx'] = rho * s['msdx'] + (1 - rho) * dx * dx
    return p - dx


def _rmsprop(p, g, s, t, hp):
    a, eps = hp['alpha'], hp['eps']
    s['ms'] = a * s['ms'] + (1 - a) * g * g
    denom = numpy.sqrt(s['ms'] + eps) if hp['eps_inside_sqrt'] else \
        numpy.sqrt(s['ms']) + eps
    return p - hp['lr'] * g / denom


def _rmsprop_graves(p, g, s, t, hp):
    a = hp['alpha']
    s['n'] = a * s['n'] + (1 - a) * g * g
    s['g'] = a * s['g'] + (1 - a) * g
    s['delta'] = hp['momentum'] * s['delta'] - hp['lr'] * g / numpy.sqrt(
        s['n'] - s['g'] ** 2 + hp['eps'])
    return p + s['delta']


def _adam_init(shape):
    return {'m': numpy.zeros(shape), 'v': numpy.zeros(shape), 'vhat': numpy.zeros(shape)}


def _adam(p, g, s, t, hp):
    b1, b2 = hp['beta1'], hp['beta2']
    s['m'] = b1 * s['m'] + (1 - b1) * g
    s['v'] = b2 * s['v'] + (1 - b2) * g * g
    if hp['amsgrad']:
        s['vhat'] = numpy.maximum(s['vhat'], s['v'])
        v = s['vhat']
    else:
        v = s['v']
    alpha_t = hp['alpha'] * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    step = alpha_t / (numpy.sqrt(v) + hp['eps'])
    if hp['adabound']:
        final_lr = hp['final_lr'] * hp['alpha'] / hp.get('initial_alpha', hp['alpha'])
        lower = final_lr * (1 - 1 / (hp['gamma'] * t + 1))
        upper = final_lr * (1 + 1 / (hp['gamma'] * t))
        step = numpy.clip(step, lower, upper)
    return p - hp['eta'] * (step * s['m'] + hp['weight_decay_rate'] * p)


def _smorms3_init(shape):
    return {'mem': numpy.ones(shape), 'g': numpy.zeros(shape), 'g2': numpy.zeros(shape)}


def _smorms3(p, grad, s, t, hp):
    r = 1 / (s['mem'] + 1)
    s['g'] = (1 - r) * s['g'] + r * grad
    s['g2'] = (1 - r) * s['g2'] + r * grad * grad
    x = s['g'] ** 2 / (s['g2'] + hp['eps'])
    new_p = p - grad * numpy.minimum(x, hp['lr']) / (numpy.sqrt(s['g2']) + hp['eps'])
    s['mem'] = 1 + s['mem'] * (1 - x)
    return new_p


def _msvag(p, g, s, t, hp):
    beta = hp['beta']
    bt = beta ** t
    rho = min((1 - beta) ** 2 * (1 - bt ** 2) / ((1 - bt) ** 2 * (1 - beta ** 2)), 0.9999)
    s['m'] = beta * s['m'] + (1 - beta) * g
    s['v'] = beta * s['v'] + (1 - beta) * g * g
    mt = s['m'] / (1 - bt)
    vt = s['v'] / (1 - bt)
    var = (vt - mt ** 2) / (1 - rho)
    with numpy.errstate(divide='ignore', invalid='ignore'):
        factor = mt ** 2 / (mt ** 2 + rho * var)
    factor = numpy.where(numpy.isnan(factor), 0.0, numpy.clip(factor, 0, 1))
    return p - hp['eta'] * (hp['lr'] * mt * factor + hp['weight_decay_rate'] * p)


REFERENCES = {
    'SGD': _ref(_zeros(), _sgd),
    'MomentumSGD': _ref(_zeros('v'), _momentum),
    'NesterovAG': _ref(_zeros('v'), _nesterov),
    'CorrectedMomentumSGD': _ref(_zeros('v'), _corrected_momentum),
    'AdaGrad': _ref(_zeros('h'), _ada_grad),
    'AdaDelta': _ref(_zeros('msg', 'msdx'), _ada_delta),
    'RMSprop': _ref(_zeros('ms'), _rmsprop),
    'RMSpropGraves': _ref(_zeros('n', 'g', 'delta'), _rmsprop_graves),
    'Adam': _ref(_adam_init, _adam),
    'SMORMS3': _ref(_smorms3_init, _smorms3),
    'MSVAG': _ref(_zeros('m', 'v'), _msvag),
}


@pytest.fixture
def references():
    return REFERENCES
