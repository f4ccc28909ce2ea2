from kusari.functions.array import _join


def _promote(shape):
    # numpy.atleast_2d
    if len(shape) == 0:
        return (1, 1)
    if len(shape) == 1:
        return (1,) + tuple(shape)
    return tuple(shape)


def vstack(xs):
    """Concatenate variables vertically (row wise), as :func:`numpy.vstack`.

    Inputs are first promoted to at least 2-D (a 1-D array of length ``n`` becomes
    ``(1, n)``), then joined along axis 0.

    Args:
        xs (list of Variable or ndarray): arrays of one dtype and ndim whose shapes
            agree except along axis 0.

    Returns:
        ~kusari.Variable: the joined array.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.array([1, 2, 3], numpy.float32)
    >>> b = numpy.array([4, 5, 6], numpy.float32)
    >>> F.vstack((a, b)).array
    array([[1., 2., 3.],
           [4., 5., 6.]], dtype=float32)
    """
    return _join.join('vstack', xs, _promote, lambda ndim: 0)
