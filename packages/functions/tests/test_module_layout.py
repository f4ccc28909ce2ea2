"""Chainer's module layout: ``kusari.functions.<family>.<name>`` is a module."""
import importlib
import pkgutil
import types

import numpy
import pytest

import kusari.functions as F

FAMILIES = ['activation', 'array', 'attention', 'connection', 'evaluation', 'loss', 'math',
            'noise', 'normalization', 'pooling', 'rnn', 'util']


def _submodules(family):
    pkg = importlib.import_module('kusari.functions.' + family)
    return pkg, [m.name for m in pkgutil.iter_modules(pkg.__path__)
                 if not m.name.startswith('_')]


@pytest.mark.parametrize('family', FAMILIES)
def test_every_submodule_is_bound_as_a_module(family):
    pkg, names = _submodules(family)
    assert names
    for name in names:
        obj = getattr(pkg, name)
        assert isinstance(obj, types.ModuleType), (family, name, obj)
        assert obj is importlib.import_module('kusari.functions.%s.%s' % (family, name))


@pytest.mark.parametrize('family', FAMILIES)
def test_functions_stay_functions_at_the_top(family):
    pkg = importlib.import_module('kusari.functions.' + family)
    for name in pkg.__all__:
        obj = getattr(F, name)
        assert callable(obj) and not isinstance(obj, types.ModuleType), name


def test_import_as_gives_the_module():
    # ``import a.b.c as m`` reads the attribute: it must be the module
    import kusari.functions.math.einsum as einsum_module
    import kusari.functions.connection.shift as shift_module
    assert isinstance(einsum_module, types.ModuleType)
    assert einsum_module.einsum is F.einsum
    assert shift_module.shift is F.shift


# Paths that Chainer's tests and users reach through the modules, and what they are.
CHAINER_PATHS = [
    ('math.einsum', 'einsum', 'einsum'), ('math.einsum', 'EinSum', None),
    ('math.sparse_matmul', 'sparse_matmul', 'sparse_matmul'),
    ('math.sparse_matmul', 'CooMatMul', None),
    ('connection.shift', 'shift', 'shift'),
    ('connection.local_convolution_2d', 'local_convolution_2d', 'local_convolution_2d'),
    ('connection.convolution_2d', 'Convolution2DFunction', None),
    ('connection.embed_id', 'EmbedIDGrad', None),
    ('normalization.batch_renormalization', 'batch_renormalization',
     'batch_renormalization'),
    ('normalization.batch_renormalization', 'fixed_batch_renormalization',
     'fixed_batch_renormalization'),
    ('loss.negative_sampling', 'negative_sampling', 'negative_sampling'),
    ('loss.crf1d', 'argmax_crf1d', 'argmax_crf1d'),
    ('array.flip', 'flip', 'flip'), ('array.flip', '_flip', None),
    ('noise.dropout', 'Dropout', None),
    ('rnn.lstm', 'LSTMGrad', None), ('rnn.slstm', 'SLSTMGrad', None),
    ('math.exponential', 'Exp', None), ('math.identity', 'Identity', None),
    ('math.identity', 'identity', 'identity'), ('math.minmax', 'max', 'max'),
    ('math.trigonometric', 'Sin', None), ('math.sqrt', 'sqrt', 'sqrt'),
    ('math.maximum', 'maximum', 'maximum'), ('math.clip', 'clip', 'clip'),
    ('math.det', 'batch_det', 'batch_det'), ('math.basic_math', 'Add', None),
    ('math.basic_math', 'PowVarConst', None),
]


@pytest.mark.parametrize('module, name, function', CHAINER_PATHS)
def test_chainer_paths(module, name, function):
    family, mod = module.split('.')
    m = getattr(getattr(F, family), mod)
    assert isinstance(m, types.ModuleType)
    obj = getattr(m, name)
    if function is not None:
        assert obj is getattr(F, function)


def test_basic_math_labels_and_constants():
    from kusari.functions.math import basic_math
    assert basic_math.Add().label == '_ + _'
    assert basic_math.AddConstant(2.0).label == '_ + 2.0'
    assert basic_math.PowConstVar(2.0).label == '2.0 ** _'
    import kusari
    assert basic_math.Add is kusari.basic_math.Add      # one class, core's


def test_flip_helper():
    from kusari.functions.array.flip import _flip
    x = numpy.arange(6).reshape(2, 3)
    numpy.testing.assert_array_equal(_flip(x, 1), x[:, ::-1])


def test_negative_sampling_link_looks_the_function_up_in_its_module(monkeypatch):
    L = pytest.importorskip('kusari.links')
    from kusari.functions.loss import negative_sampling as ns_module
    calls = []
    original = ns_module.negative_sampling

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(ns_module, 'negative_sampling', spy)
    link = L.NegativeSampling(3, [1, 2, 3], 2)
    x = numpy.ones((2, 3), numpy.float32)
    link(x, numpy.array([0, 1], numpy.int32))
    assert calls == [1]
