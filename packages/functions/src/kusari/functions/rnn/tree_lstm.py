"""TreeLSTM units, N-ary and Child-Sum (``F.tree_lstm``)."""
from kusari import _core
from kusari.functions.activation.sigmoid import sigmoid
from kusari.functions.activation.tanh import tanh
from kusari.utils import type_check

_LABEL = 'tree_lstm'


def _invalid(expect, actual):
    return type_check.InvalidType(
        expect, actual, msg='Invalid operation is performed in: %s (Forward)\n\n'
        'Expect: %s\nActual: %s' % (_LABEL, expect, actual))


def _check(cs, x):
    if x.ndim < 2:
        raise _invalid('x.ndim >= 2', '%d < 2' % x.ndim)
    if x.dtype.kind != 'f':
        raise _invalid('x.dtype.kind == f', '%s != f' % x.dtype.kind)
    n = len(cs)
    for k, c in enumerate(cs):
        name = 'c%d' % (k + 1)
        if c.dtype != x.dtype:
            raise _invalid('%s.dtype == x.dtype' % name, '%s != %s' % (c.dtype, x.dtype))
        if c.ndim != x.ndim:
            raise _invalid('%s.ndim == x.ndim' % name, '%d != %d' % (c.ndim, x.ndim))
        if c.shape[0] != x.shape[0]:
            raise _invalid('%s.shape[0] == x.shape[0]' % name,
                           '%d != %d' % (c.shape[0], x.shape[0]))
        if x.shape[1] != (3 + n) * c.shape[1]:
            raise _invalid('x.shape[1] == (3 + %d) * %s.shape[1]' % (n, name),
                           '%d != %d' % (x.shape[1], (3 + n) * c.shape[1]))
        if x.shape[2:] != c.shape[2:]:
            raise _invalid('x.shape[2:] == %s.shape[2:]' % name,
                           '%s != %s' % (x.shape[2:], c.shape[2:]))


def tree_lstm(*inputs):
    """TreeLSTM unit as an activation function (N-ary and Child-Sum TreeLSTM).

    With the children's cell states ``c_1, ..., c_n`` and the input ``x``, ``x`` is
    split along its second axis into ``3 + n`` consecutive blocks of the width of
    ``c_k``: ``a, i, o, f_1, ..., f_n``.  Then

    .. math::

       c = \\tanh(a) \\sigma(i) + \\sum_k \\sigma(f_k) c_k, \\qquad
       h = \\sigma(o) \\tanh(c).

    Args:
        inputs: ``c_1, ..., c_n, x``: ``n >= 1`` cell states of shape ``(B, U, ...)``
            and the input of shape ``(B, (3 + n) U, ...)``, all of one float dtype.

    Returns:
        tuple of two Variables: ``(c, h)``, the new cell state and the output.

    >>> import numpy, kusari.functions as F
    >>> c1 = numpy.ones((1, 2), numpy.float32)
    >>> c2 = numpy.zeros((1, 2), numpy.float32)
    >>> x = numpy.zeros((1, 10), numpy.float32)
    >>> c, h = F.tree_lstm(c1, c2, x)   # sigmoid(0) * c1 + sigmoid(0) * c2
    >>> c.array
    array([[0.5, 0.5]], dtype=float32)
    """
    if len(inputs) < 2:
        raise _invalid('in_types.size() >= 2', '%d < 2' % len(inputs))
    cs, x = inputs[:-1], inputs[-1]
    _check([_core.as_array(c) for c in cs], _core.as_array(x))
    n = len(cs)
    xa = _core.as_array(x)
    u = xa.shape[1] // (3 + n)
    rest = (slice(None),) * (xa.ndim - 2)

    def block(k):
        return _core.get_item(x, (slice(None), slice(k * u, (k + 1) * u)) + rest)
    c = tanh(block(0)) * sigmoid(block(1))
    for k in range(n):
        c = c + sigmoid(block(3 + k)) * cs[k]
    h = sigmoid(block(2)) * tanh(c)
    return c, h
