"""Helpers shared by the kusari-links tests."""
import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import backend
from kusari import serializer as serializer_module
from kusari.initializers import _util as array_util


def require_F(*names):
    """Skip the calling test when one of the kusari.functions it needs is missing."""
    missing = [n for n in names if not hasattr(F, n)]
    if missing:
        pytest.skip('kusari.functions lacks {} (not written yet)'.format(
            ', '.join(missing)))


class DictSerializer(serializer_module.Serializer):
    """Saves values into a flat dict with keys like ``'l1/W'`` (as save_npz does)."""

    def __init__(self, target=None, path=''):
        self.target = {} if target is None else target
        self.path = path

    def __getitem__(self, key):
        return DictSerializer(self.target, self.path + key + '/')

    def __call__(self, key, value):
        if value is None:
            stored = None
        elif array_util.is_array(value):
            stored = backend.CpuDevice().send(value).copy()
        else:
            stored = numpy.asarray(value)
        self.target[self.path + key] = stored
        return value


class DictDeserializer(serializer_module.Deserializer):
    """Loads values from a flat dict (the semantics of load_npz)."""

    def __init__(self, source, path=''):
        self.source = source
        self.path = path

    def __getitem__(self, key):
        return DictDeserializer(self.source, self.path + key + '/')

    def __call__(self, key, value):
        data = self.source[self.path + key]
        if data is None:
            return value
        if value is None:
            return numpy.array(data)
        if array_util.is_array(value):
            array_util.copy_into(value, data)
            return value
        return type(value)(numpy.asarray(data).item())


def to_numpy(x):
    if isinstance(x, kusari.Variable):
        x = x.array
    return backend.CpuDevice().send(x)


def outputs_of(y):
    """The output Variables of a link call as a flat list."""
    if isinstance(y, (tuple, list)):
        flat = []
        for v in y:
            flat.extend(outputs_of(v))
        return flat
    return [y]


def backprop(y, seed=0):
    """Backpropagate random upstream gradients from the outputs ``y``."""
    rng = numpy.random.RandomState(seed)
    outs = outputs_of(y)
    grads = [rng.uniform(-1, 1, o.shape).astype(o.dtype) for o in outs]
    xp = backend.get_array_module(outs[0].array)
    grads = [xp.asarray(g) for g in grads]
    kusari.backward(outs, grads)


def assert_params_equal(a, b):
    pa = dict(a.namedparams())
    pb = dict(b.namedparams())
    assert sorted(pa) == sorted(pb)
    for name in pa:
        numpy.testing.assert_array_equal(to_numpy(pa[name].array),
                                         to_numpy(pb[name].array), err_msg=name)


def check_common(make_link, inputs, call=None, persistents=()):
    """Common link behaviour: gradients reach every parameter, copy() in its three
    modes, to_device('@numpy'), disable/enable_update, and a serialization round
    trip through :class:`DictSerializer`.

    Args:
        make_link: A zero-argument callable building a fresh link.
        inputs: The arrays the link is called with.
        call: ``call(link, *inputs)`` (default ``link(*inputs)``).
        persistents: Names of persistent values compared after deserialization.
    """
    if call is None:
        def call(link, *xs):
            return link(*xs)

    # gradients reach every parameter
    link = make_link()
    y = call(link, *inputs)
    link.cleargrads()
    backprop(y)
    params = dict(link.namedparams())
    assert params, 'the link has no parameters'
    for name, p in params.items():
        assert p.grad is not None, 'no gradient reached ' + name
        assert p.grad.shape == p.shape, name
        assert numpy.isfinite(to_numpy(p.grad)).all(), name

    y_ref = [to_numpy(v) for v in outputs_of(call(link, *inputs))]

    # copy(): share / copy / init
    shared = link.copy('share')
    assert shared is not link and shared.name is None
    for (n1, p1), (n2, p2) in zip(sorted(link.namedparams()), sorted(shared.namedparams())):
        assert n1 == n2 and p1 is not p2 and p1.array is p2.array
    copied = link.copy('copy')
    assert_params_equal(link, copied)
    for (_, p1), (_, p2) in zip(sorted(link.namedparams()), sorted(copied.namedparams())):
        assert p1.array is not p2.array
    y_copy = [to_numpy(v) for v in outputs_of(call(copied, *inputs))]
    for a, b in zip(y_ref, y_copy):
        numpy.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    inited = link.copy('init')
    for (n1, p1), (_, p2) in zip(sorted(link.namedparams()), sorted(inited.namedparams())):
        assert p1.shape == p2.shape and p1.dtype == p2.dtype, n1

    # to_device('@numpy') round trip
    moved = link.copy('copy').to_device('@numpy')
    assert isinstance(moved.device, backend.CpuDevice)
    for _, p in moved.namedparams():
        assert isinstance(p.array, numpy.ndarray)
    assert_params_equal(link, moved)

    # disable_update / enable_update
    for p in link.params():
        p.update_rule = kusari.UpdateRule()
    link.disable_update()
    assert all(not p.update_rule.enabled for p in link.params())
    assert not link.update_enabled
    link.enable_update()
    assert all(p.update_rule.enabled for p in link.params())

    # serialization round trip
    saved = {}
    DictSerializer(saved).save(link)
    for name in params:
        assert name.lstrip('/') in saved, name
    fresh = make_link()
    DictDeserializer(saved).load(fresh)
    assert_params_equal(link, fresh)
    for name in persistents:
        a, b = getattr(link, name), getattr(fresh, name)
        numpy.testing.assert_array_equal(to_numpy(numpy.asarray(a) if not
                                                  array_util.is_array(a) else a),
                                         to_numpy(numpy.asarray(b) if not
                                                  array_util.is_array(b) else b))
    y_loaded = [to_numpy(v) for v in outputs_of(call(fresh, *inputs))]
    for a, b in zip(y_ref, y_loaded):
        numpy.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    return link


def check_gpu_round_trip(make_link, inputs, call=None, rtol=1e-4, atol=1e-5):
    """On a GPU: the link moved to '@cupy:0' computes what it computes on the CPU,
    gradients reach every parameter there, and it comes back with to_device('@numpy')."""
    import cupy
    if call is None:
        def call(link, *xs):
            return link(*xs)
    link = make_link()
    y_cpu = [to_numpy(v) for v in outputs_of(call(link, *inputs))]
    link.to_device('@cupy:0')
    for _, p in link.namedparams():
        assert isinstance(p.array, cupy.ndarray)
    gpu_inputs = [cupy.asarray(x) if isinstance(x, numpy.ndarray) else x for x in inputs]
    y_gpu = call(link, *gpu_inputs)
    for a, b in zip(y_cpu, outputs_of(y_gpu)):
        numpy.testing.assert_allclose(a, to_numpy(b), rtol=rtol, atol=atol)
    link.cleargrads()
    backprop(y_gpu)
    for name, p in link.namedparams():
        assert p.grad is not None, name
    link.to_device('@numpy')
    for _, p in link.namedparams():
        assert isinstance(p.array, numpy.ndarray)


def assert_invalid(exc_info, name):
    """The error message names the link/function ``name``."""
    assert name in str(exc_info.value), str(exc_info.value)


def _tuple(v, n):
    return tuple(v) if hasattr(v, '__len__') else (v,) * n


def conv_ref(x, W, b=None, stride=1, pad=0, dilate=1, groups=1):
    """Naive N-d convolution (cross-correlation) in float64, for small shapes."""
    import itertools
    x = numpy.asarray(x, numpy.float64)
    W = numpy.asarray(W, numpy.float64)
    nd = x.ndim - 2
    stride, pad, dilate = _tuple(stride, nd), _tuple(pad, nd), _tuple(dilate, nd)
    xp = numpy.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in pad])
    N, C = x.shape[:2]
    M, k = W.shape[0], W.shape[2:]
    out = [(xp.shape[2 + i] - (k[i] - 1) * dilate[i] - 1) // stride[i] + 1
           for i in range(nd)]
    y = numpy.zeros((N, M) + tuple(out))
    cg, mg = C // groups, M // groups
    for g in range(groups):
        cs, ms = slice(g * cg, (g + 1) * cg), slice(g * mg, (g + 1) * mg)
        for o in itertools.product(*[range(s) for s in out]):
            for kk in itertools.product(*[range(s) for s in k]):
                idx = tuple(o[i] * stride[i] + kk[i] * dilate[i] for i in range(nd))
                patch = xp[(slice(None), cs) + idx]
                y[(slice(None), ms) + o] += patch @ W[(ms, slice(None)) + kk].T
    if b is not None:
        y += numpy.asarray(b, numpy.float64).reshape((1, M) + (1,) * nd)
    return y


def deconv_ref(x, W, b=None, stride=1, pad=0, dilate=1, groups=1):
    """Naive N-d transposed convolution in float64 (W: (C, M // groups, k...))."""
    import itertools
    x = numpy.asarray(x, numpy.float64)
    W = numpy.asarray(W, numpy.float64)
    nd = x.ndim - 2
    stride, pad, dilate = _tuple(stride, nd), _tuple(pad, nd), _tuple(dilate, nd)
    N, C = x.shape[:2]
    mg, k = W.shape[1], W.shape[2:]
    M = mg * groups
    full = [stride[i] * (x.shape[2 + i] - 1) + (k[i] - 1) * dilate[i] + 1
            for i in range(nd)]
    y = numpy.zeros((N, M) + tuple(full))
    cg = C // groups
    for g in range(groups):
        cs, ms = slice(g * cg, (g + 1) * cg), slice(g * mg, (g + 1) * mg)
        for i in itertools.product(*[range(s) for s in x.shape[2:]]):
            for kk in itertools.product(*[range(s) for s in k]):
                pos = tuple(i[d] * stride[d] + kk[d] * dilate[d] for d in range(nd))
                y[(slice(None), ms) + pos] += \
                    x[(slice(None), cs) + i] @ W[(cs, slice(None)) + kk]
    y = y[(slice(None), slice(None)) + tuple(
        slice(pad[d], full[d] - pad[d]) for d in range(nd))]
    if b is not None:
        y += numpy.asarray(b, numpy.float64).reshape((1, M) + (1,) * nd)
    return y
