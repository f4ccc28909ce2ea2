"""Private helpers of the evaluation family."""
from kusari.utils import type_check


def invalid(func, expect, actual):
    """An :class:`~kusari.utils.type_check.InvalidType` whose message names ``func``."""
    return type_check.InvalidType(
        expect, actual,
        msg='Invalid operation is performed in: %s (Forward)\n\nExpect: %s\nActual: %s'
        % (func, expect, actual))


def check_scores_labels(func, y, t, t_int32=False):
    """Check scores ``y`` of shape (N, C, ...) against labels ``t`` of shape (N, ...)."""
    if y.dtype.kind != 'f':
        raise invalid(func, 'y.dtype.kind == f', '%s != f' % y.dtype.kind)
    if t_int32:
        if t.dtype != 'int32':
            raise invalid(func, 't.dtype == int32', '%s != int32' % t.dtype)
    elif t.dtype.kind != 'i':
        raise invalid(func, 't.dtype.kind == i', '%s != i' % t.dtype.kind)
    ys, ts = y.shape, t.shape
    tn = len(ts)
    if len(ys) < 2 or len(ys) < tn:
        raise invalid(func, 'y.ndim >= max(2, t.ndim)', 'y.ndim == %d, t.ndim == %d'
                      % (len(ys), tn))
    if tn == 0 or ys[0] != ts[0]:
        raise invalid(func, 'y.shape[0] == t.shape[0]', '%s, %s' % (ys, ts))
    if ys[2:tn + 1] != ts[1:]:
        raise invalid(func, 'y.shape[2:t.ndim + 1] == t.shape[1:]',
                      '%s != %s' % (ys[2:tn + 1], ts[1:]))
    for i in range(tn + 1, len(ys)):
        if ys[i] != 1:
            raise invalid(func, 'y.shape[%d] == 1' % i, '%d != 1' % ys[i])
