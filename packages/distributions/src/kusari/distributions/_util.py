"""Helpers shared by the distributions (private to kusari-distributions)."""
import functools
import warnings

import numpy

import kusari
import kusari.functions as F
from kusari import backend
from kusari import function_node


class cached_property:
    """A read-only property computed once per ``config.enable_backprop`` value.

    Parameters of a distribution turn into Variables (and derived quantities such as
    ``log_scale``) once; the cache is keyed by the backprop mode so that a value
    computed under ``no_backprop_mode`` (without a graph) is never reused where a
    graph is needed, as with Chainer's ``chainer.utils.cache.cached_property``.
    """

    def __init__(self, func):
        functools.update_wrapper(self, func)
        self.func = func
        self.name = func.__name__

    def __get__(self, obj, cls):
        if obj is None:
            return self
        caches = obj.__dict__.setdefault('_cache_' + self.name, {})
        key = bool(kusari.config.enable_backprop)
        try:
            return caches[key]
        except KeyError:
            value = caches[key] = self.func(obj)
            return value

    def __set__(self, obj, value):
        # A data descriptor, so that an instance attribute cannot shadow it.
        raise AttributeError('attribute {!r} of {} is read-only'.format(
            self.name, type(obj).__name__))


def check_param(who, name, value, ndim_min=0):
    """Validate a distribution parameter: a float array or Variable of ``ndim >= ndim_min``.

    Returns the value, a NumPy scalar (``numpy.float32(1)``) turned into a 0-d array.
    """
    if isinstance(value, numpy.generic):
        value = numpy.asarray(value)
    array = value.array if isinstance(value, kusari.Variable) else value
    dtype = getattr(array, 'dtype', None)
    if dtype is None or getattr(array, 'shape', None) is None:
        raise TypeError(
            '{}: {} must be a kusari.Variable or an ndarray of floating point '
            'values, but got {}'.format(who, name, type(value).__name__))
    if dtype.kind != 'f':
        raise TypeError(
            '{}: {} must have a floating point dtype, but got {}'.format(
                who, name, dtype))
    if array.ndim < ndim_min:
        raise ValueError(
            '{}: {} must have at least {} dimension(s), but got shape {}'.format(
                who, name, ndim_min, array.shape))
    return value


def as_input(x, dtype):
    """Return a point ``x`` given to log_prob/cdf/... in ``dtype``.

    Arrays (and Python numbers) are cast, so an integer or float64 sample works with
    float32 parameters; a Variable is used as it is (its graph must be kept).
    """
    if isinstance(x, kusari.Variable):
        return x
    xp = backend.get_array_module(x)
    return xp.asarray(x, dtype=dtype)


def array_of(x):
    """The ndarray of a Variable, or ``x`` itself."""
    return x.array if isinstance(x, kusari.Variable) else x


def broadcast_shape(*shapes):
    return numpy.broadcast_shapes(*shapes)


def where(condition, x, y):
    """``F.where`` with NumPy broadcasting of its three operands."""
    condition = array_of(condition)
    xp = backend.get_array_module(condition, array_of(x), array_of(y))
    shape = broadcast_shape(condition.shape, x.shape, y.shape)
    condition = xp.broadcast_to(condition, shape)
    if x.shape != shape:
        x = F.broadcast_to(x, shape)
    if y.shape != shape:
        y = F.broadcast_to(y, shape)
    return F.where(condition, x, y)


def full_like(x, value):
    """A constant array of ``x``'s shape and dtype, on its device."""
    a = array_of(x)
    xp = backend.get_array_module(a)
    return xp.full(a.shape, value, dtype=a.dtype)


def random_module(array):
    """``numpy.random`` (the global state, so ``numpy.random.seed`` applies) or ``cupy.random``."""
    return backend.get_array_module(array).random


def lbeta(a, b):
    """log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b)."""
    return F.lgamma(a) + F.lgamma(b) - F.lgamma(a + b)


class ModifiedXLogX(function_node.FunctionNode):
    """y = x log x with 0 log 0 = 0 (the entropy term of discrete distributions)."""

    def __init__(self, logx):
        super().__init__()
        self._logx = logx

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        self._x_zero = x == 0
        y = x * self._logx.array
        y = xp.where(self._x_zero, x.dtype.type(0), y)
        return xp.asarray(y, dtype=x.dtype),

    def backward(self, indexes, grad_outputs):
        if self._x_zero.any():
            # d/dx x log x = 1 + log x diverges at 0: say so, as Chainer does.
            warnings.warn('modified_xlogx: cannot calculate the gradient for a '
                          'zero input', RuntimeWarning)
        gy, = grad_outputs
        keep = (~self._x_zero).astype(gy.dtype)
        return gy * ((1 + self._logx) * keep),


def modified_xlogx(x):
    """x log x, 0 where x == 0, differentiable (except at 0)."""
    x = kusari.as_variable(x)
    xp = backend.get_array_module(x.array)
    positive = x.array > 0
    safe = where(positive, x, xp.ones_like(x.array))
    return ModifiedXLogX(F.log(safe)).apply((x,))[0]


def _cast(xp, a, dtype):
    return xp.asarray(a, dtype=dtype)


def standard_normal(like, shape):
    """Standard normal noise of ``like``'s dtype (float16 drawn in float32) and device."""
    xp = backend.get_array_module(like)
    dtype = like.dtype
    if xp is numpy:
        return numpy.random.standard_normal(shape).astype(dtype, copy=False)
    draw = numpy.float32 if dtype == numpy.float16 else dtype
    return xp.random.standard_normal(shape, dtype=draw).astype(dtype, copy=False)


def uniform01(like, shape):
    """Uniform [0, 1) noise of ``like``'s dtype and device."""
    xp = backend.get_array_module(like)
    dtype = like.dtype
    if xp is numpy:
        return numpy.random.uniform(0, 1, shape).astype(dtype, copy=False)
    draw = numpy.float32 if dtype == numpy.float16 else dtype
    return xp.random.uniform(0, 1, shape, dtype=draw).astype(dtype, copy=False)
