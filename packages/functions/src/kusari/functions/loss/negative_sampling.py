"""Negative sampling loss (``F.negative_sampling``)."""
import numpy

from kusari import _core
from kusari import backend
from kusari.functions.activation.softplus import softplus
from kusari.functions.connection.embed_id import embed_id
from kusari.functions.math.sum import sum as _sum
from kusari.functions.util import _ops
from kusari.utils import argument

_NAME = 'negative_sampling'
_IGNORE = -1


def _check(x, t, W):
    xa, ta, wa = (_ops.array_of(v) for v in (x, t, W))
    _ops.check_float(_NAME, 'x', xa)
    _ops.check_float(_NAME, 'W', wa)
    if xa.ndim != 2:
        raise _ops.invalid(_NAME, 'x.ndim == 2', '%d != 2' % xa.ndim)
    if wa.ndim != 2 or wa.shape[1] != xa.shape[1]:
        raise _ops.invalid(_NAME, 'W.ndim == 2 and W.shape[1] == x.shape[1]',
                           'W.shape == %s, x.shape == %s' % (wa.shape, xa.shape))
    if wa.dtype != xa.dtype:
        raise _ops.invalid(_NAME, 'x.dtype == W.dtype', '%s != %s' % (xa.dtype, wa.dtype))
    if ta.dtype.kind not in 'iu':
        raise _ops.invalid(_NAME, 't.dtype.kind == i', '%s != i' % ta.dtype.kind)
    if ta.ndim != 1 or ta.shape[0] != xa.shape[0]:
        raise _ops.invalid(_NAME, 't.ndim == 1 and t.shape[0] == x.shape[0]',
                           't.shape == %s, x.shape == %s' % (ta.shape, xa.shape))
    V = wa.shape[0]
    bad = ((ta < 0) | (ta >= V)) & (ta != _IGNORE)
    if bool(bad.any()):
        raise ValueError('%s: each label t must be in [0, %d) (W.shape[0]) or -1 '
                         '(ignored)' % (_NAME, V))


def negative_sampling(x, t, W, sampler, sample_size, reduce='sum', **kwargs):
    """negative_sampling(x, t, W, sampler, sample_size, reduce='sum', *, return_samples=False)

    Negative sampling loss (Mikolov et al., 2013).

    For an input ``x``, its positive label ``p = t`` and ``sample_size`` labels
    ``N`` drawn by ``sampler``, the loss of one example is

    .. math::
        -\\log \\sigma(x^\\top w_p) - \\sum_{n \\in N} \\log \\sigma(-x^\\top w_n),

    (``σ`` the sigmoid, ``w_i`` the ``i``-th row of ``W``).  Examples with
    ``t == -1`` are ignored (zero loss and gradient).

    Args:
        x (~kusari.Variable or array): ``(B, D)`` inputs.
        t (~kusari.Variable or array): ``(B,)`` int labels in ``[0, V)`` or -1.
        W (~kusari.Variable or array): ``(V, D)`` weights (``x``'s dtype).
        sampler (callable): takes a shape and returns an int array of that shape with
            samples in ``[0, V)``, e.g. ``WalkerAlias(...).sample``.
        sample_size (int): number of negative samples per example.
        reduce (str): ``'sum'`` (a scalar) or ``'no'`` (``(B,)`` losses).
        return_samples (bool): also return the ``(B, sample_size + 1)`` int array
            of samples whose first column is ``t``.

    Returns:
        ~kusari.Variable or tuple: the loss, or ``(loss, samples)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.zeros((2, 3), numpy.float32)
    >>> W = numpy.ones((4, 3), numpy.float32)
    >>> sampler = lambda shape: numpy.ones(shape, numpy.int32)
    >>> loss = F.negative_sampling(x, numpy.array([0, 2]), W, sampler, 2)
    >>> print(round(float(loss.array), 4))   # 2 examples x 3 terms x log 2
    4.1589
    """
    return_samples = False
    if kwargs:
        return_samples, = argument.parse_kwargs(kwargs, ('return_samples', False))
    if reduce not in ('sum', 'no'):
        raise ValueError("%s: only 'sum' and 'no' are valid for 'reduce', but '%s' is "
                         'given' % (_NAME, reduce))
    _check(x, t, W)
    xa, ta, wa = (_ops.array_of(v) for v in (x, t, W))
    xp = backend.get_array_module(xa)
    B, D = xa.shape
    V = wa.shape[0]
    samples = xp.array(sampler((B, sample_size + 1)), copy=True)
    if samples.dtype.kind not in 'iu' or samples.shape != (B, sample_size + 1):
        raise ValueError('%s: sampler must return an int array of shape %s, got %s %s'
                         % (_NAME, (B, sample_size + 1), samples.dtype, samples.shape))
    samples = samples.astype(numpy.int32, copy=False)
    samples[:, 0] = ta
    lookup = samples.copy()
    keep = ta != _IGNORE
    lookup[:, 0] = xp.where(keep, ta, 0)
    if lookup.size and (int(lookup.min()) < 0 or int(lookup.max()) >= V):
        raise ValueError('%s: sampler returned labels outside [0, %d)' % (_NAME, V))
    x = _ops.as_var(x)
    w = embed_id(lookup, W)                                          # (B, S+1, D)
    xb = _core.broadcast_to(_core.reshape(x, (B, 1, D)), w.shape)
    wx = _sum(w * xb, axis=2)                                        # (B, S+1)
    sign = numpy.ones(sample_size + 1, xa.dtype)
    sign[0] = -1
    loss = _sum(softplus(wx * xp.asarray(sign)), axis=1) * xp.asarray(keep.astype(xa.dtype))
    if reduce == 'sum':
        loss = _sum(loss)
    if return_samples:
        return loss, samples
    return loss
