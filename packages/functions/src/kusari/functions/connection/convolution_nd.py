"""N-dimensional convolution (``F.convolution_nd``, ``convolution_1d``, ``convolution_3d``)."""
from kusari.functions.connection._conv_nodes import ConvolutionND, ConvolutionNDGradW  # noqa: F401
from kusari.utils.type_check import InvalidType


def _apply(x, W, b, stride, pad, cover_all, dilate, groups, ndim, who):
    shape = getattr(x, 'shape', None)
    if shape is None:
        raise TypeError('%s: x must be a Variable or an array, got %s'
                        % (who, type(x).__name__))
    nd = len(shape) - 2 if ndim is None else ndim
    if ndim is not None and len(shape) != ndim + 2:
        # the 1-D/3-D wrappers raise ValueError, as in Chainer
        raise ValueError('%s: the input must have %d dimensions under the channel '
                         'dimension, got x.shape == %s' % (who, ndim, tuple(shape)))
    if nd < 1:
        raise InvalidType('x.ndim == %s' % ('N + 2 (N >= 1)' if ndim is None else ndim + 2),
                          'x.ndim == %d' % len(shape),
                          msg='Invalid operation is performed in: %s (Forward)\n\n'
                              'Expect: x.ndim == %s\nActual: %d'
                              % (who, 'N + 2 (N >= 1)' if ndim is None else ndim + 2,
                                 len(shape)))
    f = ConvolutionND(nd, stride, pad, cover_all, dilate, groups)
    args = (x, W) if b is None else (x, W, b)
    return f.apply(args)[0]


def convolution_nd(x, W, b=None, stride=1, pad=0, cover_all=False, dilate=1, groups=1):
    """N-dimensional convolution.

    The generalization of :func:`convolution_2d` to ``N`` spatial dimensions:
    ``y[n, o, i_1..i_N] = b[o] + sum_{c, k_1..k_N} W[o, c, k_1..k_N] *
    x[n, c', i_1 * s_1 - p_1 + k_1 * d_1, ...]`` with zero padding.

    Args:
        x (Variable or array): input of shape ``(n, c_I, d_1, ..., d_N)``.
        W (Variable or array): filters of shape ``(c_O, c_I / groups, k_1, ..., k_N)``.
        b (Variable or array): optional bias of shape ``(c_O,)``.
        stride (int or tuple of ints): stride per spatial axis.
        pad (int or tuple of ints): zero padding per spatial axis (both sides).
        cover_all (bool): add output positions so that every input element is
            covered by a filter.
        dilate (int or tuple of ints): filter dilation per spatial axis.
        groups (int): number of channel groups.

    Returns:
        Variable: output of shape ``(n, c_O, l_1, ..., l_N)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(5, dtype=numpy.float32).reshape(1, 1, 5)
    >>> W = numpy.array([[[1., -1.]]], numpy.float32)
    >>> F.convolution_nd(x, W).array
    array([[[-1., -1., -1., -1.]]], dtype=float32)
    """
    return _apply(x, W, b, stride, pad, cover_all, dilate, groups, None, 'convolution_nd')


def convolution_1d(x, W, b=None, stride=1, pad=0, cover_all=False, dilate=1, groups=1):
    """One-dimensional convolution: :func:`convolution_nd` on inputs ``(n, c, l)``.

    Args:
        x (Variable or array): ``(n, c_I, l)``.  W: ``(c_O, c_I / groups, k)``.
        b: optional ``(c_O,)``.  stride, pad, cover_all, dilate, groups: as in
            :func:`convolution_nd`.

    Returns:
        Variable: ``(n, c_O, l_O)``.

    >>> import numpy, kusari.functions as F
    >>> F.convolution_1d(numpy.ones((1, 1, 4), numpy.float32),
    ...                  numpy.ones((2, 1, 3), numpy.float32), pad=1).array
    array([[[2., 3., 3., 2.],
            [2., 3., 3., 2.]]], dtype=float32)
    """
    return _apply(x, W, b, stride, pad, cover_all, dilate, groups, 1, 'convolution_1d')


def convolution_3d(x, W, b=None, stride=1, pad=0, cover_all=False, dilate=1, groups=1):
    """Three-dimensional convolution: :func:`convolution_nd` on ``(n, c, d, h, w)``.

    Args:
        x (Variable or array): ``(n, c_I, d, h, w)``.
        W (Variable or array): ``(c_O, c_I / groups, k_d, k_h, k_w)``.
        b: optional ``(c_O,)``.  stride, pad, cover_all, dilate, groups: as in
            :func:`convolution_nd`.

    Returns:
        Variable: ``(n, c_O, d_O, h_O, w_O)``.

    >>> import numpy, kusari.functions as F
    >>> F.convolution_3d(numpy.ones((1, 1, 2, 2, 2), numpy.float32),
    ...                  numpy.ones((1, 1, 2, 2, 2), numpy.float32)).array
    array([[[[[8.]]]]], dtype=float32)
    """
    return _apply(x, W, b, stride, pad, cover_all, dilate, groups, 3, 'convolution_3d')
