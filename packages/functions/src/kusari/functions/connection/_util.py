"""Input checks shared by the connection and pooling families.

They raise :class:`kusari.utils.type_check.InvalidType` with Chainer's message
(``Invalid operation is performed in: <label> (Forward)`` followed by the failed
expectation and the actual value), so errors name the function that failed.
"""
import numpy

from kusari.utils import type_check

_FLOATS = (numpy.dtype(numpy.float16), numpy.dtype(numpy.float32),
           numpy.dtype(numpy.float64))


def invalid(label, expect, actual):
    """Raise InvalidType for ``label`` with the expectation and what was found."""
    msg = ('Invalid operation is performed in: %s (Forward)\n\nExpect: %s\nActual: %s'
           % (label, expect, actual))
    raise type_check.InvalidType(expect, actual, msg=msg)


class OutsizeError(type_check.InvalidType, AssertionError):
    """A non-positive estimated output size: InvalidType, and Chainer's AssertionError.

    Chainer checks the estimated deconvolution output size with ``assert``; kusari
    raises this so that code catching either exception works.
    """


def invalid_outsize(label, outs):
    """Raise :class:`OutsizeError` for the estimated output size ``outs``."""
    expect, actual = 'output size > 0', 'output size %s' % (outs,)
    msg = ('Invalid operation is performed in: %s (Forward)\n\nExpect: %s\nActual: %s'
           % (label, expect, actual))
    raise OutsizeError(expect, actual, msg=msg)


def check_float(label, name, a):
    """``a`` must be a float16/32/64 array."""
    dt = a.dtype
    if dt not in _FLOATS:
        invalid(label, '%s.dtype in (float16, float32, float64)' % name,
                '%s.dtype == %s' % (name, dt))


def check_ndim(label, name, a, ndim):
    if a.ndim != ndim:
        invalid(label, '%s.ndim == %d' % (name, ndim), '%d != %d' % (a.ndim, ndim))


def check_n_inputs(label, inputs, lo, hi):
    n = len(inputs)
    if n < lo or n > hi:
        invalid(label, '%d <= in_types.size() <= %d' % (lo, hi), 'in_types.size() == %d' % n)


def prod(t):
    p = 1
    for v in t:
        p *= v
    return p


def work_dtype(dtype):
    """float16 is computed in float32 (BLAS has no half precision)."""
    return numpy.float32 if dtype == numpy.float16 else dtype
