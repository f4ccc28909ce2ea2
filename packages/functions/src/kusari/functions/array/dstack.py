from kusari.functions.array import _join


def _promote(shape):
    # numpy.atleast_3d
    if len(shape) == 0:
        return (1, 1, 1)
    if len(shape) == 1:
        return (1,) + tuple(shape) + (1,)
    if len(shape) == 2:
        return tuple(shape) + (1,)
    return tuple(shape)


def dstack(xs):
    """Concatenate variables along the third axis (depth wise), as :func:`numpy.dstack`.

    Inputs are first promoted to at least 3-D (``(n,)`` becomes ``(1, n, 1)`` and
    ``(m, n)`` becomes ``(m, n, 1)``), then joined along axis 2.

    Args:
        xs (list of Variable or ndarray): arrays of one dtype and ndim whose shapes
            agree except along axis 2.

    Returns:
        ~kusari.Variable: the joined array.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.array([1, 2], numpy.float32)
    >>> b = numpy.array([3, 4], numpy.float32)
    >>> F.dstack((a, b)).array
    array([[[1., 3.],
            [2., 4.]]], dtype=float32)
    """
    return _join.join('dstack', xs, _promote, lambda ndim: 2)
