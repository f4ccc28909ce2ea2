"""Hinge loss (``F.hinge``)."""
from kusari import backend
from kusari.functions.loss import _common
from kusari.functions.util import _ops

_NAME = 'hinge'


def hinge(x, t, norm='L1', reduce='mean'):
    """One-vs-all hinge loss of multi-class scores.

    With ``s[n, k] = -x[n, k]`` if ``k == t[n]`` else ``x[n, k]``, the elementwise loss
    is ``max(0, 1 + s)`` (``'L1'``) or its square (``'L2'``); ``reduce='mean'`` sums
    them and divides by ``N``.

    Args:
        x (Variable or array): ``(N, K)`` float scores.
        t (Variable or array): ``(N,)`` int labels in ``[0, K)``.
        norm (str): ``'L1'`` or ``'L2'``.
        reduce (str): ``'mean'`` (a scalar) or ``'no'`` (``(N, K)``).

    Returns:
        Variable: the loss.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[0.5, -2.]])
    >>> F.hinge(x, numpy.array([0]), reduce='no').array
    array([[0.5, 0. ]])
    """
    if norm not in ('L1', 'L2'):
        raise NotImplementedError("%s: norm must be 'L1' or 'L2', got %r" % (_NAME, norm))
    _common.check_reduce(_NAME, reduce, ('mean', 'no'))
    xa, ta = _common.arrays(x, t)
    _ops.check_float(_NAME, 'x', xa)
    if ta.dtype.kind not in 'iu':
        raise _ops.invalid(_NAME, 't.dtype.kind == i', '%s != i' % ta.dtype.kind)
    if xa.ndim != 2:
        raise _ops.invalid(_NAME, 'x.ndim == 2', '%d != 2' % xa.ndim)
    if ta.shape != (xa.shape[0],):
        raise _ops.invalid(_NAME, 't.shape == (x.shape[0],)',
                           '%s != %s' % (ta.shape, (xa.shape[0],)))
    xp = backend.get_array_module(xa)
    K = xa.shape[1]
    if ta.size and bool(((ta < 0) | (ta >= K)).any()):
        raise ValueError('%s: each label t must satisfy 0 <= t < x.shape[1] (= %d)'
                         % (_NAME, K))
    sign = xp.ones(xa.shape, xa.dtype)
    sign[xp.arange(xa.shape[0]), ta] = -1
    loss = _ops.relu(_ops.as_var(x) * sign + 1)
    if norm == 'L2':
        loss = loss * loss
    if reduce == 'mean':
        return _ops.sum(loss) * (1.0 / max(xa.shape[0], 1))
    return loss
