"""Local response normalization (``F.local_response_normalization``)."""
from kusari import _core
from kusari.functions.util import _ops

_NAME = 'local_response_normalization'


def local_response_normalization(x, n=5, k=2, alpha=1e-4, beta=.75):
    """Local response normalization across channels (Krizhevsky et al., 2012).

    ``y[:, c] = x[:, c] * (k + alpha * sum_{|c' - c| <= n // 2} x[:, c'] ** 2) ** -beta``.

    Args:
        x (Variable or array): float input ``(N, C, ...)``, ``x.ndim >= 2``.
        n (int): the window size across channels (``n // 2`` on each side).
        k (float): the bias.
        alpha (float): the scale of the squared sum.
        beta (float): the exponent.

    Returns:
        Variable: of ``x``'s shape.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.ones((1, 3), numpy.float32)
    >>> F.local_response_normalization(x, n=3, k=1, alpha=1, beta=1).array
    array([[0.33333334, 0.25      , 0.33333334]], dtype=float32)
    """
    xa = _ops.array_of(x)
    _ops.check_float(_NAME, 'x', xa)
    if xa.ndim < 2:
        raise _ops.invalid(_NAME, 'x.ndim >= 2', '%d < 2' % xa.ndim)
    if not isinstance(n, int) or n < 1:
        raise ValueError('%s: n must be a positive integer, got %r' % (_NAME, n))
    xv = _ops.as_var(x)
    x2 = xv * xv
    C = xa.shape[1]
    half = n // 2
    total = x2
    rest = (slice(None),) * (xa.ndim - 2)
    for i in range(1, min(half, C - 1) + 1):
        # the channel c also sees c - i and c + i (when they exist)
        zeros = _ops.as_var(_zeros_like_channels(xa, i))
        lower = _ops.concat([zeros, _core.get_item(x2, (slice(None), slice(0, C - i))
                                                   + rest)], axis=1)
        upper = _ops.concat([_core.get_item(x2, (slice(None), slice(i, C)) + rest),
                             zeros], axis=1)
        total = total + lower + upper
    scale = (total * alpha + k) ** (-beta)
    return xv * scale


def _zeros_like_channels(xa, i):
    from kusari import backend
    xp = backend.get_array_module(xa)
    return xp.zeros((xa.shape[0], i) + xa.shape[2:], xa.dtype)
