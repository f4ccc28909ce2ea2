from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import conv
from kusari.utils import type_check


def _pair(func, name, v, minimum):
    if _util.is_int(v):
        v = (v, v)
    else:
        try:
            v = tuple(v)
        except TypeError:
            raise TypeError('%s: %s must be an int or a pair of ints, got %r'
                            % (func, name, v)) from None
    if len(v) != 2 or not all(_util.is_int(a) for a in v):
        raise TypeError('%s: %s must be an int or a pair of ints, got %r'
                        % (func, name, v))
    if min(v) < minimum:
        raise ValueError('%s: %s must be >= %d, got %r' % (func, name, minimum, v))
    return int(v[0]), int(v[1])


def _im2col(x, kh, kw, sy, sx, ph, pw, dy, dx, out_h, out_w):
    xp = backend.get_array_module(x)
    n, c = x.shape[:2]
    img = xp.pad(x, ((0, 0), (0, 0), (ph, ph + sy - 1), (pw, pw + sx - 1)),
                 mode='constant')
    col = xp.empty((n, c, kh, kw, out_h, out_w), dtype=x.dtype)
    for j in range(kh):
        y0 = j * dy
        for i in range(kw):
            x0 = i * dx
            col[:, :, j, i] = img[:, :, y0:y0 + sy * out_h:sy, x0:x0 + sx * out_w:sx]
    return col.reshape(n, c * kh * kw, out_h, out_w)


def _col2im(gcol, c, h, w, kh, kw, sy, sx, ph, pw, dy, dx):
    xp = backend.get_array_module(gcol)
    n, _, out_h, out_w = gcol.shape
    col = gcol.reshape(n, c, kh, kw, out_h, out_w)
    img = xp.zeros((n, c, h + 2 * ph + sy - 1, w + 2 * pw + sx - 1), dtype=gcol.dtype)
    for j in range(kh):
        y0 = j * dy
        for i in range(kw):
            x0 = i * dx
            img[:, :, y0:y0 + sy * out_h:sy, x0:x0 + sx * out_w:sx] += col[:, :, j, i]
    return img[:, :, ph:ph + h, pw:pw + w]


class Im2Col(function_node.FunctionNode):
    """Extract the convolution patches of an image batch into channels."""

    def __init__(self, ksize, stride, pad, cover_all, dilate):
        self.kh, self.kw = _pair('im2col', 'ksize', ksize, 1)
        self.sy, self.sx = _pair('im2col', 'stride', stride, 1)
        self.ph, self.pw = _pair('im2col', 'pad', pad, 0)
        self.dy, self.dx = _pair('im2col', 'dilate', dilate, 1)
        self.cover_all = bool(cover_all)

    def _out_size(self, h, w):
        out_h = conv.get_conv_outsize(h, self.kh, self.sy, self.ph, self.cover_all,
                                      self.dy)
        out_w = conv.get_conv_outsize(w, self.kw, self.sx, self.pw, self.cover_all,
                                      self.dx)
        return out_h, out_w

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        x = in_types[0]
        type_check.expect(x.dtype.kind == 'f', x.ndim == 4)
        shape = type_check.eval(x.shape)
        out_h, out_w = self._out_size(shape[2], shape[3])
        if out_h <= 0 or out_w <= 0:
            _util.invalid('Im2Col', 'output height and width > 0 (x.shape[2:] at least '
                          'the dilated kernel size minus twice the padding)',
                          'x.shape == %s gives output %dx%d' % (shape, out_h, out_w))

    def forward(self, inputs):
        x, = inputs
        out_h, out_w = self._out_size(x.shape[2], x.shape[3])
        return _im2col(x, self.kh, self.kw, self.sy, self.sx, self.ph, self.pw,
                       self.dy, self.dx, out_h, out_w),

    def _params(self):
        return (self.kh, self.kw, self.sy, self.sx, self.ph, self.pw, self.dy, self.dx)

    def backward(self, indexes, grad_outputs):
        return Col2ImGrad(self.inputs[0].shape, self._params(),
                          self.cover_all).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        _, c, h, w = self.inputs[0].shape
        return _col2im(grad_outputs[0], c, h, w, *self._params()),


class Col2ImGrad(function_node.FunctionNode):
    """Gradient of :class:`Im2Col`: add every patch back to its image position."""

    def __init__(self, in_shape, params, cover_all):
        self.in_shape = tuple(in_shape)
        self.params = tuple(params)
        self.cover_all = cover_all

    def forward(self, inputs):
        _, c, h, w = self.in_shape
        return _col2im(inputs[0], c, h, w, *self.params),

    def backward(self, indexes, grad_outputs):
        kh, kw, sy, sx, ph, pw, dy, dx = self.params
        return Im2Col((kh, kw), (sy, sx), (ph, pw), self.cover_all,
                      (dy, dx)).apply(grad_outputs)


def im2col(x, ksize, stride=1, pad=0, cover_all=False, dilate=1):
    """Extract the patches of a convolution into the channel axis.

    For an input of shape ``(n, c, h, w)`` and a kernel of size ``(kh, kw)``, output
    element ``y[b, (ci * kh + j) * kw + i, oy, ox]`` is the zero-padded input
    ``x[b, ci, oy * sy - ph + j * dy, ox * sx - pw + i * dx]``.

    Args:
        x (Variable or ndarray): a float array of shape ``(n, c, h, w)``.
        ksize (int or pair of ints): the kernel size ``(kh, kw)``.
        stride (int or pair of ints): the stride ``(sy, sx)``.
        pad (int or pair of ints): zero padding on both sides ``(ph, pw)``.
        cover_all (bool): use extra output positions so that every input pixel is
            covered (as in convolutions with ``cover_all=True``).
        dilate (int or pair of ints): the dilation ``(dy, dx)``.

    Returns:
        ~kusari.Variable: an array of shape ``(n, c * kh * kw, out_h, out_w)`` where
        ``out_h`` and ``out_w`` follow :func:`kusari.utils.conv.get_conv_outsize`.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    >>> y = F.im2col(x, 2, stride=2)
    >>> y.shape
    (1, 4, 2, 2)
    >>> y.array[0, :, 0, 0]
    array([0., 1., 4., 5.], dtype=float32)
    """
    return Im2Col(ksize, stride, pad, cover_all, dilate).apply((x,))[0]
