"""N-dimensional transposed convolution (``F.deconvolution_nd``, ``_1d``, ``_3d``)."""
from kusari.functions.connection._conv_nodes import DeconvolutionND  # noqa: F401
from kusari.utils.type_check import InvalidType


def _apply(x, W, b, stride, pad, outsize, dilate, groups, ndim, who):
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
        exp = 'x.ndim == %s' % ('N + 2 (N >= 1)' if ndim is None else ndim + 2)
        act = 'x.ndim == %d' % len(shape)
        raise InvalidType(exp, act, msg='Invalid operation is performed in: %s (Forward)'
                          '\n\nExpect: %s\nActual: %s' % (who, exp, act))
    f = DeconvolutionND(nd, stride, pad, outsize, dilate, groups)
    args = (x, W) if b is None else (x, W, b)
    return f.apply(args)[0]


def deconvolution_nd(x, W, b=None, stride=1, pad=0, outsize=None, dilate=1, groups=1):
    """N-dimensional deconvolution (transposed convolution).

    The adjoint of :func:`convolution_nd` with respect to its input, plus a bias.

    Args:
        x (Variable or array): input of shape ``(n, c_I, d_1, ..., d_N)``.
        W (Variable or array): filters of shape ``(c_I, c_O / groups, k_1, ..., k_N)``.
        b (Variable or array): optional bias of shape ``(c_O,)``.
        stride (int or tuple of ints): stride per spatial axis.
        pad (int or tuple of ints): padding removed from each side of the output.
        outsize (None or tuple of ints): output spatial shape; by default
            ``s * (d - 1) + (k - 1) * dilate + 1 - 2 * p`` per axis.
        dilate (int or tuple of ints): filter dilation.
        groups (int): number of channel groups.

    Returns:
        Variable: output of shape ``(n, c_O, l_1, ..., l_N)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[[1., 2., 3.]]], numpy.float32)
    >>> F.deconvolution_nd(x, numpy.ones((1, 1, 2), numpy.float32), stride=2).array
    array([[[1., 1., 2., 2., 3., 3.]]], dtype=float32)
    """
    return _apply(x, W, b, stride, pad, outsize, dilate, groups, None, 'deconvolution_nd')


def deconvolution_1d(x, W, b=None, stride=1, pad=0, outsize=None, dilate=1, groups=1):
    """One-dimensional deconvolution: :func:`deconvolution_nd` on ``(n, c, l)``.

    Args:
        x (Variable or array): ``(n, c_I, l)``.  W: ``(c_I, c_O / groups, k)``.
        b: optional ``(c_O,)``.  stride, pad, outsize, dilate, groups: as in
            :func:`deconvolution_nd`.

    Returns:
        Variable: ``(n, c_O, l_O)``.

    >>> import numpy, kusari.functions as F
    >>> F.deconvolution_1d(numpy.ones((1, 1, 2), numpy.float32),
    ...                    numpy.ones((1, 1, 2), numpy.float32)).array
    array([[[1., 2., 1.]]], dtype=float32)
    """
    return _apply(x, W, b, stride, pad, outsize, dilate, groups, 1, 'deconvolution_1d')


def deconvolution_3d(x, W, b=None, stride=1, pad=0, outsize=None, dilate=1, groups=1):
    """Three-dimensional deconvolution: :func:`deconvolution_nd` on ``(n, c, d, h, w)``.

    Args:
        x (Variable or array): ``(n, c_I, d, h, w)``.
        W (Variable or array): ``(c_I, c_O / groups, k_d, k_h, k_w)``.
        b: optional ``(c_O,)``.  stride, pad, outsize, dilate, groups: as in
            :func:`deconvolution_nd`.

    Returns:
        Variable: ``(n, c_O, d_O, h_O, w_O)``.

    >>> import numpy, kusari.functions as F
    >>> F.deconvolution_3d(numpy.ones((1, 1, 1, 1, 1), numpy.float32),
    ...                    numpy.ones((1, 1, 2, 2, 2), numpy.float32)).shape
    (1, 1, 2, 2, 2)
    """
    return _apply(x, W, b, stride, pad, outsize, dilate, groups, 3, 'deconvolution_3d')
