"""Matrix products: :func:`matmul` and the deprecated :func:`batch_matmul`.

Both are compositions of core's ``MatMul``, ``Transpose`` and ``Reshape`` nodes, so
gradients of any order work.
"""
import warnings

import numpy

from kusari import _core
from kusari.functions.math import _util

_MatMul = _core.MatMul


def _check_matmul(func, a, b, transa, transb):
    _util.check_float(func, 'a', a)
    _util.check_float(func, 'b', b)
    an, bn = a.ndim, b.ndim
    if an == 0 or bn == 0:
        return
    if bn == 1:
        ia = -2 if transa and an > 1 else -1
        ka, kb = a.shape[ia], b.shape[0]
        texts = ('a.shape[%d]' % ia, 'b.shape[0]')
    elif an == 1:
        ib = -1 if transb and bn > 1 else -2
        ka, kb = a.shape[0], b.shape[ib]
        texts = ('a.shape[0]', 'b.shape[%d]' % ib)
    else:
        ia = -2 if transa else -1
        ib = -1 if transb else -2
        ka, kb = a.shape[ia], b.shape[ib]
        texts = ('a.shape[%d]' % ia, 'b.shape[%d]' % ib)
        try:
            numpy.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise _util.invalid(func, 'a.shape[:-2] and b.shape[:-2] broadcastable',
                                '%s, %s' % (a.shape[:-2], b.shape[:-2])) from None
    if ka != kb:
        raise _util.invalid(func, '%s == %s' % texts, '%d != %d' % (ka, kb))


def matmul(a, b, transa=False, transb=False):
    """Matrix product of two arrays (NumPy's ``matmul`` semantics).

    1-D operands are vectors; 2-D operands are matrices; with more dimensions the
    operands are stacks of matrices in the last two axes, broadcast along the others.
    If either operand is 0-D the result is the elementwise product.

    Args:
        a (Variable or array): left operand, float.
        b (Variable or array): right operand, float (mixed float dtypes are
            computed in the promoted dtype, as in Chainer).
        transa (bool): transpose each matrix of ``a`` (nothing for 1-D ``a``).
        transb (bool): transpose each matrix of ``b`` (nothing for 1-D ``b``).

    Returns:
        Variable: the product.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.array([[1., 0.], [0., 1.]], numpy.float32)
    >>> b = numpy.array([[4., 1.], [2., 2.]], numpy.float32)
    >>> F.matmul(a, b).array
    array([[4., 1.],
           [2., 2.]], dtype=float32)
    >>> F.matmul(a, b, transb=True).array
    array([[4., 2.],
           [1., 2.]], dtype=float32)
    """
    a = _util.as_variable(a)
    b = _util.as_variable(b)
    _check_matmul('matmul', a.array, b.array, transa, transb)
    a, b = _util.promote(a, b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if transa:
        a = _util.swap_last(a)
    if transb:
        b = _util.swap_last(b)
    return _MatMul().apply((a, b))[0]


def batch_matmul(a, b, transa=False, transb=False):
    """Batched matrix products of two sets of matrices (deprecated: use :func:`matmul`).

    Args:
        a (Variable or array): float array of shape ``(B, M, N)`` (B matrices) or
            ``(B, N)`` (B column vectors of shape ``(N, 1)``).
        b (Variable or array): float array, treated the same way (dtypes as in
            :func:`matmul`).
        transa (bool): transpose each matrix of ``a``.
        transb (bool): transpose each matrix of ``b``.

    Returns:
        Variable: the 3-D array of the B products.

    >>> import numpy, warnings, kusari.functions as F
    >>> a = numpy.ones((2, 3), numpy.float32)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter('ignore')
    ...     F.batch_matmul(a, a, transb=True).shape
    (2, 3, 3)
    """
    warnings.warn('batch_matmul is deprecated. Use matmul instead.',
                  DeprecationWarning, stacklevel=2)
    a = _util.as_variable(a)
    b = _util.as_variable(b)
    for name, v in (('a', a), ('b', b)):
        if v.dtype.kind != 'f':
            raise _util.invalid('batch_matmul', '%s.dtype.kind == f' % name,
                                '%s != f' % v.dtype.kind)
        if not 2 <= v.ndim <= 3:
            raise _util.invalid('batch_matmul', '2 <= %s.ndim <= 3' % name,
                                '%s.ndim == %d' % (name, v.ndim))
    if a.ndim == 2:
        a = _util.reshape(a, a.shape + (1,))
    if b.ndim == 2:
        b = _util.reshape(b, b.shape + (1,))
    ka = a.shape[1] if transa else a.shape[2]
    kb = b.shape[2] if transb else b.shape[1]
    if ka != kb or a.shape[0] != b.shape[0]:
        raise _util.invalid('batch_matmul', 'a and b of compatible shapes',
                            '%s, %s (transa=%s, transb=%s)'
                            % (a.shape, b.shape, transa, transb))
    return matmul(a, b, transa, transb)
