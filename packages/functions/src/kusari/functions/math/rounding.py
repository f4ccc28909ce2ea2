"""Non-differentiable elementwise functions: ceil, floor, fix, sign.

Their outputs are Variables without a creator (``requires_grad`` is False), as in
Chainer: they cut the graph.
"""
from kusari import _core
from kusari import backend
from kusari.functions.activation import _common

__all__ = ['ceil', 'floor', 'fix', 'sign']


def _apply(name, fname, x):
    if isinstance(x, _core.Variable):
        x = x.array
    if not backend.is_array(x):
        raise TypeError('%s: expected a Variable or an array, got %s'
                        % (name, type(x).__name__))
    if x.dtype.kind not in 'fiu':
        raise _common.invalid(name, 'x.dtype.kind in (f, i, u)',
                              '%s not in (f, i, u)' % x.dtype.kind)
    xp = backend.get_array_module(x)
    return _core.as_variable(_common.force_array(getattr(xp, fname)(x), x.dtype))


def ceil(x):
    """Elementwise ceiling :math:`y_i = \\lceil x_i \\rceil` (no gradient).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, numeric dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``, without gradient.

    >>> import numpy, kusari.functions as F
    >>> F.ceil(numpy.array([-1.5, 0.2, 2.], numpy.float32)).array
    array([-1.,  1.,  2.], dtype=float32)
    """
    return _apply('ceil', 'ceil', x)


def floor(x):
    """Elementwise floor :math:`y_i = \\lfloor x_i \\rfloor` (no gradient).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, numeric dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``, without gradient.

    >>> import numpy, kusari.functions as F
    >>> F.floor(numpy.array([-1.5, 0.2, 2.], numpy.float32)).array
    array([-2.,  0.,  2.], dtype=float32)
    """
    return _apply('floor', 'floor', x)


def fix(x):
    """Elementwise rounding towards zero (no gradient).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, numeric dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``, without gradient.

    >>> import numpy, kusari.functions as F
    >>> F.fix(numpy.array([-1.5, 0.7, 2.], numpy.float32)).array
    array([-1.,  0.,  2.], dtype=float32)
    """
    return _apply('fix', 'fix', x)


def sign(x):
    """Elementwise sign: -1, 0 or 1 (no gradient; it unchains the graph).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, numeric dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``, without gradient.

    >>> import numpy, kusari.functions as F
    >>> F.sign(numpy.array([-2., 0., 3.], numpy.float32)).array
    array([-1.,  0.,  1.], dtype=float32)
    """
    return _apply('sign', 'sign', x)
