from kusari.functions.array import _join


def hstack(xs):
    """Concatenate variables horizontally (column wise), as :func:`numpy.hstack`.

    1-D (and 0-D, taken as length 1) inputs are joined along axis 0, others along
    axis 1.

    Args:
        xs (list of Variable or ndarray): arrays of one dtype and ndim whose shapes
            agree except along the joined axis.

    Returns:
        ~kusari.Variable: the joined array.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.array([[1], [2]], numpy.float32)
    >>> b = numpy.array([[3, 4], [5, 6]], numpy.float32)
    >>> F.hstack((a, b)).array
    array([[1., 3., 4.],
           [2., 5., 6.]], dtype=float32)
    """
    return _join.join('hstack', xs, lambda s: s if len(s) else (1,),
                      lambda ndim: 0 if ndim == 1 else 1)
