"""BlackOut loss (``F.black_out``)."""
from kusari import _core
from kusari.functions.array.concat import concat
from kusari.functions.connection.embed_id import embed_id
from kusari.functions.math.exponential import exp
from kusari.functions.math.exponential import log
from kusari.functions.math.logsumexp import logsumexp
from kusari.functions.math.sum import sum as _sum
from kusari.functions.util import _ops

_NAME = 'black_out'


def _check(x, t, W, samples):
    xa, ta, wa, sa = (_ops.array_of(v) for v in (x, t, W, samples))
    _ops.check_float(_NAME, 'x', xa)
    _ops.check_float(_NAME, 'W', wa)
    if xa.ndim != 2:
        raise _ops.invalid(_NAME, 'x.ndim == 2', '%d != 2' % xa.ndim)
    if wa.ndim != 2 or wa.shape[1] != xa.shape[1]:
        raise _ops.invalid(_NAME, 'W.ndim == 2 and W.shape[1] == x.shape[1]',
                           'W.shape == %s, x.shape == %s' % (wa.shape, xa.shape))
    if wa.dtype != xa.dtype:
        raise _ops.invalid(_NAME, 'x.dtype == W.dtype', '%s != %s' % (xa.dtype, wa.dtype))
    B, V = xa.shape[0], wa.shape[0]
    for name, a, nd in (('t', ta, 1), ('samples', sa, 2)):
        if a.dtype.kind not in 'iu':
            raise _ops.invalid(_NAME, '%s.dtype.kind == i' % name, '%s != i' % a.dtype.kind)
        if a.ndim != nd or a.shape[0] != B:
            raise _ops.invalid(_NAME, '%s.ndim == %d and %s.shape[0] == x.shape[0] (= %d)'
                               % (name, nd, name, B), '%s.shape == %s' % (name, a.shape))
        if a.size and (int(a.min()) < 0 or int(a.max()) >= V):
            raise ValueError('%s: %s must be in [0, %d) (W.shape[0]), got values in '
                             '[%d, %d]' % (_NAME, name, V, int(a.min()), int(a.max())))


def black_out(x, t, W, samples, reduce='mean'):
    """BlackOut loss (Ji et al., 2015): a sampled approximation of softmax.

    With scores ``s_y = W_y^T x`` and ``p(y) = exp(s_y) / sum_{u in {t} + S}
    exp(s_u)`` over the target and the negative samples ``S``, the loss of one example
    is

    .. math::
        -\\log p(t) - \\sum_{s \\in S} \\log(1 - p(s)).

    Args:
        x (~kusari.Variable or array): ``(N, D)`` inputs.
        t (~kusari.Variable or array): ``(N,)`` int targets in ``[0, V)``.
        W (~kusari.Variable or array): ``(V, D)`` weights (``x``'s dtype).
        samples (~kusari.Variable or array): ``(N, S)`` int negative samples.
        reduce (str): ``'mean'`` (mean over the batch) or ``'no'``.

    Returns:
        ~kusari.Variable: a scalar (``'mean'``) or ``(N,)`` losses (``'no'``).

    >>> import numpy, kusari.functions as F
    >>> x = numpy.zeros((1, 2), numpy.float32)
    >>> W = numpy.ones((3, 2), numpy.float32)
    >>> loss = F.black_out(x, numpy.array([0]), W, numpy.array([[1, 2]]))
    >>> print(round(float(loss.array), 4))   # -log(1/3) - 2 log(2/3)
    1.9095
    """
    if reduce not in ('mean', 'no'):
        raise ValueError("%s: only 'mean' and 'no' are valid for 'reduce', but '%s' is "
                         'given' % (_NAME, reduce))
    _check(x, t, W, samples)
    B = _ops.array_of(x).shape[0]
    x = _ops.as_var(x)
    xb = _core.reshape(x, (B, 1, x.shape[1]))
    neg_emb = embed_id(_ops.array_of(samples), W)               # (N, S, D)
    neg_y = _sum(neg_emb * _core.broadcast_to(xb, neg_emb.shape), axis=2)   # (N, S)
    pos_emb = embed_id(_ops.array_of(t), W)                     # (N, D)
    pos_y = _sum(pos_emb * x, axis=1)                           # (N,)
    logz = logsumexp(concat([_core.reshape(pos_y, (B, 1)), neg_y], axis=1), axis=1)
    blogz = _core.broadcast_to(_core.reshape(logz, (B, 1)), neg_y.shape)
    ny = log(1 - exp(neg_y - blogz))
    loss = -(pos_y - logz + _sum(ny, axis=1))
    if reduce == 'mean':
        loss = _sum(loss) / max(B, 1)
    return loss
