"""Two-dimensional depthwise convolution (``F.depthwise_convolution_2d``)."""
from kusari import _core
from kusari.functions.connection._conv_nodes import ConvolutionND
from kusari.functions.connection._util import check_float, invalid


def depthwise_convolution_2d(x, W, b=None, stride=1, pad=0):
    """Two-dimensional depthwise convolution.

    Each input channel ``c`` is convolved separately with the ``c_M`` filters
    ``W[:, c]``; output channel ``c * c_M + m`` is the result of filter ``W[m, c]``
    (channels are not summed).  This is :func:`convolution_2d` with
    ``groups = c_I`` and the filters rearranged, so its gradients (of any order)
    are those of the grouped convolution.

    Args:
        x (Variable or array): input of shape ``(n, c_I, h, w)``.
        W (Variable or array): filters of shape ``(c_M, c_I, k_H, k_W)``
            (``c_M`` is the channel multiplier).
        b (Variable or array): optional bias of shape ``(c_M * c_I,)``.
        stride (int or pair of ints): stride of filter applications.
        pad (int or pair of ints): zero padding on each side.

    Returns:
        Variable: output of shape ``(n, c_I * c_M, h_O, w_O)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.ones((1, 2, 2, 2), numpy.float32)
    >>> W = numpy.array([1., 2.], numpy.float32).reshape(1, 2, 1, 1)
    >>> F.depthwise_convolution_2d(x, W).array[0, :, 0, 0]
    array([1., 2.], dtype=float32)
    """
    label = 'DepthwiseConvolution2D'
    xa = _core.as_array(x)
    Wa = _core.as_array(W)
    check_float(label, 'x', xa)
    check_float(label, 'W', Wa)
    if xa.ndim != 4:
        invalid(label, 'x.ndim == 4', '%d != 4' % xa.ndim)
    if Wa.ndim != 4:
        invalid(label, 'W.ndim == 4', '%d != 4' % Wa.ndim)
    if xa.shape[1] != Wa.shape[1]:
        invalid(label, 'x.shape[1] == W.shape[1]', '%d != %d' % (xa.shape[1], Wa.shape[1]))
    cm, ci, kh, kw = Wa.shape
    if b is not None:
        ba = _core.as_array(b)
        if ba.ndim != 1 or ba.shape[0] != cm * ci:
            invalid(label, 'b.shape == (W.shape[0] * W.shape[1],)',
                    '%s != (%d,)' % (ba.shape, cm * ci))
    Wg = _core.reshape(_core.transpose(W, (1, 0, 2, 3)), (ci * cm, 1, kh, kw))
    f = ConvolutionND(2, stride, pad, False, 1, ci)
    args = (x, Wg) if b is None else (x, Wg, b)
    return f.apply(args)[0]
