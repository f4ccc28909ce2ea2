"""Bilinear function (``F.bilinear``)."""
from kusari import _core
from kusari.functions.connection._util import check_float, invalid

_LABEL = 'BilinearFunction'


def _flat2(v, name):
    a = _core.as_array(v)
    if a.ndim < 2:
        invalid(_LABEL, '%s.ndim >= 2' % name, '%d < 2' % a.ndim)
    if a.ndim > 2:
        v = _core.reshape(v, (a.shape[0], -1))
    return v


def bilinear(e1, e2, W, V1=None, V2=None, b=None):
    """Bilinear function, an extension of the linear function.

    ``y[n, l] = sum_{j, k} e1[n, j] e2[n, k] W[j, k, l]
    + sum_j e1[n, j] V1[j, l] + sum_k e2[n, k] V2[k, l] + b[l]``.
    ``V1``, ``V2`` and ``b`` must be all given or all omitted.  Built from
    differentiable matrix products, so gradients of any order work.

    Args:
        e1 (Variable or array): left input of shape ``(N, J)`` (more axes are
            flattened into ``J``).
        e2 (Variable or array): right input of shape ``(N, K)``.
        W (Variable or array): quadratic weight of shape ``(J, K, L)``.
        V1 (Variable or array): left linear weight ``(J, L)``, or None.
        V2 (Variable or array): right linear weight ``(K, L)``, or None.
        b (Variable or array): bias ``(L,)``, or None.

    Returns:
        Variable: output of shape ``(N, L)``.

    >>> import numpy, kusari.functions as F
    >>> e1 = numpy.array([[1., 2.]], numpy.float32)
    >>> e2 = numpy.array([[3.]], numpy.float32)
    >>> W = numpy.ones((2, 1, 1), numpy.float32)
    >>> F.bilinear(e1, e2, W).array
    array([[9.]], dtype=float32)
    """
    flags = (V1 is None, V2 is None, b is None)
    if any(flags) and not all(flags):
        raise ValueError('bilinear: V1, V2 and b must be all None or all given')
    e1 = _flat2(e1, 'e1')
    e2 = _flat2(e2, 'e2')
    a1, a2, aw = _core.as_array(e1), _core.as_array(e2), _core.as_array(W)
    check_float(_LABEL, 'e1', a1)
    check_float(_LABEL, 'e2', a2)
    check_float(_LABEL, 'W', aw)
    if aw.ndim != 3:
        invalid(_LABEL, 'W.ndim == 3', '%d != 3' % aw.ndim)
    if a1.shape[0] != a2.shape[0]:
        invalid(_LABEL, 'e1.shape[0] == e2.shape[0]', '%d != %d' % (a1.shape[0], a2.shape[0]))
    if a1.shape[1] != aw.shape[0]:
        invalid(_LABEL, 'e1.shape[1] == W.shape[0]', '%d != %d' % (a1.shape[1], aw.shape[0]))
    if a2.shape[1] != aw.shape[1]:
        invalid(_LABEL, 'e2.shape[1] == W.shape[1]', '%d != %d' % (a2.shape[1], aw.shape[1]))
    if not (a1.dtype == a2.dtype == aw.dtype):
        invalid(_LABEL, 'e1.dtype == e2.dtype == W.dtype',
                '%s, %s, %s' % (a1.dtype, a2.dtype, aw.dtype))
    n, j = a1.shape
    k = a2.shape[1]
    L = aw.shape[2]
    if V1 is not None:
        v1, v2, ab = _core.as_array(V1), _core.as_array(V2), _core.as_array(b)
        if v1.shape != (j, L):
            invalid(_LABEL, 'V1.shape == (%d, %d)' % (j, L), 'V1.shape == %s' % (v1.shape,))
        if v2.shape != (k, L):
            invalid(_LABEL, 'V2.shape == (%d, %d)' % (k, L), 'V2.shape == %s' % (v2.shape,))
        if ab.shape != (L,):
            invalid(_LABEL, 'b.shape == (%d,)' % L, 'b.shape == %s' % (ab.shape,))
        for name, a in (('V1', v1), ('V2', v2), ('b', ab)):
            if a.dtype != a1.dtype:
                invalid(_LABEL, '%s.dtype == e1.dtype' % name, '%s != %s' % (a.dtype, a1.dtype))
    e1 = _core.as_variable(e1)
    e2 = _core.as_variable(e2)
    W = _core.as_variable(W)
    # t[n, k, l] = sum_j e1[n, j] W[j, k, l]
    t = _core.reshape(e1 @ _core.reshape(W, (j, k * L)), (n, k, L))
    # y[n, l] = sum_k e2[n, k] t[n, k, l]
    y = _core.reshape(_core.reshape(e2, (n, 1, k)) @ t, (n, L))
    if V1 is not None:
        y = y + e1 @ _core.as_variable(V1) + e2 @ _core.as_variable(V2) \
            + _core.broadcast_to(b, (n, L))
    return y
