"""Triplet loss (``F.triplet``)."""
from kusari.functions.loss import _common
from kusari.functions.util import _ops

_NAME = 'triplet'


def triplet(anchor, positive, negative, margin=0.2, reduce='mean'):
    """Triplet loss: the anchor should be closer to the positive than the negative.

    ``loss_n = max(||a_n - p_n||^2 - ||a_n - n_n||^2 + margin, 0)`` (squared
    Euclidean distances); ``reduce='mean'`` averages over ``N``.

    Args:
        anchor (Variable or array): ``(N, K)`` float.
        positive (Variable or array): ``(N, K)``, same dtype.
        negative (Variable or array): ``(N, K)``, same dtype.
        margin (float): the margin (> 0).
        reduce (str): ``'mean'`` or ``'no'`` (``(N,)``).

    Returns:
        Variable: the loss.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.array([[0., 0.]])
    >>> p = numpy.array([[1., 0.]])
    >>> n = numpy.array([[0., 0.5]])
    >>> F.triplet(a, p, n, margin=0.5).array
    array(1.25)
    """
    if margin <= 0:
        raise ValueError('%s: margin should be positive value, got %r' % (_NAME, margin))
    _common.check_reduce(_NAME, reduce, ('mean', 'no'))
    arrs = _common.arrays(anchor, positive, negative)
    _common.check_float_same(_NAME, ('anchor', 'positive', 'negative'), arrs)
    if arrs[0].ndim != 2:
        raise _ops.invalid(_NAME, 'anchor.ndim == 2', '%d != 2' % arrs[0].ndim)
    a = _ops.as_var(anchor)
    dp = a - positive
    dn = a - negative
    dist = _ops.sum(dp * dp - dn * dn, axis=1) + margin
    loss = _ops.relu(dist)
    if reduce == 'mean':
        return _ops.sum(loss) * (1.0 / max(arrs[0].shape[0], 1))
    return loss
