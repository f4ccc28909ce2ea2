"""The S-LSTM cell of two children (``F.slstm``)."""
from kusari import _core
from kusari.functions.util import _ops

_NAME = 'slstm'


def _gates(x):
    B = x.shape[0]
    r = _core.reshape(x, (B, x.shape[1] // 4, 4) + x.shape[2:])
    return [_core.get_item(r, (slice(None), slice(None), k)) for k in range(4)]


def slstm(c_prev1, c_prev2, x1, x2):
    """S-LSTM cell merging two child states (tree LSTM of Zhu et al., 2015).

    ``x1`` and ``x2`` hold the gate pre-activations of the two children in the
    layout of :func:`lstm` (``(B, U, 4, ...)``: a, i, f, o).  Then::

        a = tanh(a1 + a2);  i = sigmoid(i1 + i2);  o = sigmoid(o1 + o2)
        c = a * i + sigmoid(f1) * c_prev1 + sigmoid(f2) * c_prev2
        h = o * tanh(c)

    Args:
        c_prev1 (Variable or array): ``(B, U, ...)`` cell state of child 1, float.
        c_prev2 (Variable or array): ``(B, U, ...)`` cell state of child 2.
        x1 (Variable or array): ``(B, 4U, ...)`` pre-activations from child 1.
        x2 (Variable or array): ``(B, 4U, ...)`` pre-activations from child 2.

    Returns:
        tuple: ``(c, h)``, each ``(B, U, ...)``.

    >>> import numpy, kusari.functions as F
    >>> c = numpy.ones((1, 1), numpy.float32)
    >>> x = numpy.zeros((1, 4), numpy.float32)
    >>> c, h = F.slstm(c, c, x, x)
    >>> float(c.array[0, 0])    # sigmoid(0) * 1 + sigmoid(0) * 1
    1.0
    """
    arrs = [_ops.array_of(v) for v in (c_prev1, c_prev2, x1, x2)]
    names = ('c_prev1', 'c_prev2', 'x1', 'x2')
    for n, a in zip(names, arrs):
        _ops.check_float(_NAME, n, a)
    _ops.check_same_dtype(_NAME, names, arrs)
    _ops.check_same_shape(_NAME, names[:2], arrs[:2])
    _ops.check_same_shape(_NAME, names[2:], arrs[2:])
    c1, x1a = arrs[0], arrs[2]
    if x1a.ndim < 2 or c1.ndim != x1a.ndim or x1a.shape[0] != c1.shape[0] or \
            x1a.shape[1] != 4 * c1.shape[1] or x1a.shape[2:] != c1.shape[2:]:
        raise _ops.invalid(_NAME, 'x1.shape == (c_prev1.shape[0], 4 * c_prev1.shape[1], '
                           '*c_prev1.shape[2:])',
                           'x1.shape = %s, c_prev1.shape = %s' % (x1a.shape, c1.shape))
    a1, i1, f1, o1 = _gates(_ops.as_var(x1))
    a2, i2, f2, o2 = _gates(_ops.as_var(x2))
    a = _ops.tanh(a1 + a2)
    i = _ops.sigmoid(i1 + i2)
    o = _ops.sigmoid(o1 + o2)
    c = a * i + _ops.sigmoid(f1) * c_prev1 + _ops.sigmoid(f2) * c_prev2
    h = o * _ops.tanh(c)
    return c, h
