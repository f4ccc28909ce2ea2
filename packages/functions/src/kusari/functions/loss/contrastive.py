"""Contrastive loss (``F.contrastive``)."""
from kusari.functions.loss import _common
from kusari.functions.util import _ops

_NAME = 'contrastive'


def contrastive(x0, x1, y, margin=1, reduce='mean'):
    """Contrastive loss of pairs: pull similar pairs together, push others apart.

    With ``d_n = ||x0[n] - x1[n]||_2``, the loss of pair ``n`` is
    ``(y_n d_n^2 + (1 - y_n) max(margin - d_n, 0)^2) / 2``; ``reduce='mean'``
    sums them and divides by ``N``.

    Args:
        x0 (Variable or array): ``(N, K)`` float features.
        x1 (Variable or array): ``(N, K)`` features of the same dtype.
        y (Variable or array): ``(N,)`` int labels, 1 for similar and 0 for
            dissimilar pairs.
        margin (float): the margin (> 0).
        reduce (str): ``'mean'`` (a scalar) or ``'no'`` (``(N,)``).

    Returns:
        Variable: the loss.

    >>> import numpy, kusari.functions as F
    >>> x0 = numpy.array([[0., 0.], [0., 0.]])
    >>> x1 = numpy.array([[3., 4.], [0.3, 0.4]])
    >>> F.contrastive(x0, x1, numpy.array([1, 0]), reduce='no').array
    array([12.5  ,  0.125])
    """
    _common.check_reduce(_NAME, reduce, ('mean', 'no'))
    if margin <= 0:
        raise ValueError('%s: margin should be positive value, got %r' % (_NAME, margin))
    a0, a1, ya = _common.arrays(x0, x1, y)
    _common.check_float_same(_NAME, ('x0', 'x1'), (a0, a1))
    if a0.ndim != 2:
        raise _ops.invalid(_NAME, 'x0.ndim == 2', '%d != 2' % a0.ndim)
    if ya.dtype.kind not in 'iu':
        raise _ops.invalid(_NAME, 'y.dtype.kind == i', '%s != i' % ya.dtype.kind)
    if ya.shape != (a0.shape[0],):
        raise _ops.invalid(_NAME, 'y.shape == (x0.shape[0],)',
                           '%s != %s' % (ya.shape, (a0.shape[0],)))
    yf = ya.astype(a0.dtype)
    diff = _ops.as_var(x0) - x1
    dist_sq = _ops.sum(diff * diff, axis=1)
    dist = _ops.sqrt(dist_sq)
    mdist = _ops.relu(margin - dist)
    loss = (dist_sq * yf + mdist * mdist * (1 - yf)) * 0.5
    if reduce == 'mean':
        return _ops.sum(loss) * (1.0 / max(a0.shape[0], 1))
    return loss
