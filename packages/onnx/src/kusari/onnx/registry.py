"""The converter registry: FunctionNode classes (by module and class name) to converters.

Converters are keyed by strings, ``'kusari.functions.activation.relu.ReLU'``, so that
importing :mod:`kusari.onnx` imports neither kusari.functions nor kusari.links; the
converter modules themselves import nothing of kusari but the core.
"""
import importlib

__all__ = ['Converter', 'register', 'lookup', 'function_key', 'registered_converters']

# module -> whether its converters have been loaded
_CONVERTER_MODULES = ['activation', 'array', 'attention', 'connection', 'core_ops', 'loss', 'math',
                      'noise', 'normalization', 'pooling', 'rnn']
_TABLE = {}
_loaded = False


class Converter:
    """One registered converter.

    Attributes:
        key (str): ``module.ClassName`` of the FunctionNode it converts.
        fn: ``fn(ctx, node, inputs, outputs)`` that adds ONNX nodes through ``ctx``.
        ops (tuple of str): the ONNX operators it emits (for the table).
        opset (tuple): ``(lowest, highest)`` opset it supports; ``highest`` None means
            any newer one.
        name (str): the kusari function's public name (for the table).
    """

    def __init__(self, key, fn, ops, opset, name):
        self.key = key
        self.fn = fn
        self.ops = tuple(ops)
        self.opset = opset
        self.name = name

    def supports(self, opset):
        lo, hi = self.opset
        return opset >= lo and (hi is None or opset <= hi)


def register(key, ops, name=None, opset=(13, None)):
    """Decorator registering ``fn`` as the converter of the FunctionNode named ``key``.

    Args:
        key (str or list of str): ``'module.ClassName'`` of one or more FunctionNodes.
        ops (list of str): the ONNX operators the converter emits.
        name (str): the public kusari function (default: the class name).
        opset (tuple): the lowest and highest supported opset (highest None: no limit).
    """
    keys = [key] if isinstance(key, str) else list(key)

    def deco(fn):
        for k in keys:
            _TABLE[k] = Converter(k, fn, ops, opset, name or k.rsplit('.', 1)[1])
        return fn
    return deco


def _load():
    global _loaded
    if not _loaded:
        for mod in _CONVERTER_MODULES:
            importlib.import_module('kusari.onnx.converters.' + mod)
        _loaded = True


def function_key(node):
    """The registry key of a FunctionNode: ``'module.ClassName'`` of its class."""
    cls = type(node)
    return '%s.%s' % (cls.__module__, cls.__name__)


def lookup(node):
    """The :class:`Converter` of ``node``, or None."""
    _load()
    return _TABLE.get(function_key(node))


def registered_converters():
    """All registered converters, sorted by kusari function name."""
    _load()
    return sorted(_TABLE.values(), key=lambda c: (c.name, c.key))
