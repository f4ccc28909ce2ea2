import numpy

from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


def _coords(in_size, out_size, mode, align_corners):
    """Sampling positions along one axis: the two source indices of each output and
    the weight of the second (computed in float64 on the host)."""
    if mode == 'bilinear':
        if align_corners:
            t = numpy.linspace(0, in_size - 1, num=out_size, dtype=numpy.float64)
        else:
            t = (numpy.arange(out_size, dtype=numpy.float64) + 0.5) * (
                in_size / out_size) - 0.5
            t = numpy.maximum(t, 0)
        w, i0 = numpy.modf(t)
        i0 = i0.astype(numpy.intp)
        i1 = numpy.minimum(i0 + 1, in_size - 1)
    else:   # nearest
        i0 = numpy.minimum(numpy.floor(numpy.arange(out_size, dtype=numpy.float64) * (
            in_size / out_size)), in_size - 1).astype(numpy.intp)
        i1 = i0
        w = numpy.zeros(out_size)
    return i0, i1, w


def _interp_last(x, i0, i1, w):
    """Linear interpolation along the last axis: ``x[..., i0] (1 - w) + x[..., i1] w``."""
    xp = backend.get_array_module(x)
    w = xp.asarray(w.astype(x.dtype))
    return x[..., xp.asarray(i0)] * (1 - w) + x[..., xp.asarray(i1)] * w


def _interp_last_adjoint(g, i0, i1, w, in_size):
    """The adjoint of :func:`_interp_last`: scatter ``g`` back to ``in_size`` entries."""
    xp = backend.get_array_module(g)
    lead = g.shape[:-1]
    rows = int(numpy.prod(lead, dtype=numpy.int64))
    out = g.shape[-1]
    base = numpy.arange(rows, dtype=numpy.int64)[:, None] * in_size
    index = numpy.concatenate((base + i0[None, :], base + i1[None, :]), axis=1)
    gw = g.reshape(rows, out).astype(numpy.float64)
    w = xp.asarray(w)
    weights = xp.concatenate((gw * (1 - w), gw * w), axis=1)
    r = _util.flat_bincount(xp, xp.asarray(index), weights, rows * in_size, g.dtype)
    return r.reshape(lead + (in_size,))


class _Geometry:
    def __init__(self, in_hw, out_hw, mode, align_corners):
        self.in_hw = in_hw
        self.out_hw = out_hw
        self.v = _coords(in_hw[0], out_hw[0], mode, align_corners)
        self.u = _coords(in_hw[1], out_hw[1], mode, align_corners)

    def resize(self, x):
        t = _interp_last(x, *self.u)                        # (B, C, H, oW)
        t = _interp_last(t.swapaxes(2, 3), *self.v)         # (B, C, oW, oH)
        return t.swapaxes(2, 3)

    def resize_adjoint(self, gy):
        g = _interp_last_adjoint(gy.swapaxes(2, 3), *self.v, self.in_hw[0])
        g = g.swapaxes(2, 3)                                # (B, C, H, oW)
        return _interp_last_adjoint(g, *self.u, self.in_hw[1])


def _check_args(output_shape, mode, align_corners):
    try:
        out = tuple(output_shape)
    except TypeError:
        out = None
    if out is None or len(out) != 2 or not all(_util.is_int(s) and s > 0 for s in out):
        raise ValueError('resize_images: output_shape must be a pair of positive ints, '
                         'got %r' % (output_shape,))
    if mode not in ('bilinear', 'nearest'):
        raise ValueError("resize_images: mode must be 'bilinear' or 'nearest', got %r"
                         % (mode,))
    return (int(out[0]), int(out[1])), mode, bool(align_corners)


class ResizeImages(function_node.FunctionNode):
    """Resize a batch of images by bilinear or nearest-neighbour sampling."""

    def __init__(self, output_shape, mode='bilinear', align_corners=True):
        self.out_hw, self.mode, self.align_corners = _check_args(
            output_shape, mode, align_corners)

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        x = in_types[0]
        type_check.expect(x.dtype.kind == 'f', x.ndim == 4)

    def forward(self, inputs):
        x, = inputs
        if x.shape[2] == 0 or x.shape[3] == 0:
            _util.invalid('ResizeImages', 'x.shape[2] > 0 and x.shape[3] > 0',
                          'x.shape == %s' % (x.shape,))
        self._geo = _Geometry(x.shape[2:], self.out_hw, self.mode, self.align_corners)
        return self._geo.resize(x),

    def backward(self, indexes, grad_outputs):
        return ResizeImagesGrad(self._geo, self.mode,
                                self.align_corners).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return self._geo.resize_adjoint(grad_outputs[0]),


class ResizeImagesGrad(function_node.FunctionNode):
    """Gradient of :class:`ResizeImages` (its adjoint linear map)."""

    def __init__(self, geometry, mode, align_corners):
        self._geo = geometry
        self.mode = mode
        self.align_corners = align_corners

    def forward(self, inputs):
        return self._geo.resize_adjoint(inputs[0]),

    def backward(self, indexes, grad_outputs):
        return ResizeImages(self._geo.out_hw, self.mode,
                            self.align_corners).apply(grad_outputs)


def resize_images(x, output_shape, *, mode='bilinear', align_corners=True):
    """Resize images to ``output_shape``.

    With ``mode='bilinear'`` each output pixel interpolates the four nearest input
    pixels.  With ``align_corners=True`` the corner pixels of input and output are
    aligned (output row ``i`` samples input row ``i * (h - 1) / (h_O - 1)``); with
    ``False`` the sampling follows OpenCV (pixel centres: ``(i + 0.5) * h / h_O - 0.5``,
    clamped at 0).  With ``mode='nearest'`` output row ``i`` copies input row
    ``floor(i * h / h_O)`` (``align_corners`` is ignored).

    Args:
        x (Variable or ndarray): a float array of shape ``(n, c, h, w)``.
        output_shape (tuple of ints): ``(h_O, w_O)`` (height first, unlike OpenCV).
        mode (str): ``'bilinear'`` or ``'nearest'``.
        align_corners (bool): see above.

    Returns:
        ~kusari.Variable: the resized images, of shape ``(n, c, h_O, w_O)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[[[0, 1], [2, 3]]]], numpy.float32)
    >>> F.resize_images(x, (3, 3)).array[0, 0]
    array([[0. , 0.5, 1. ],
           [1. , 1.5, 2. ],
           [2. , 2.5, 3. ]], dtype=float32)
    >>> F.resize_images(x, (4, 4), mode='nearest').array[0, 0, 0]
    array([0., 0., 1., 1.], dtype=float32)
    """
    return ResizeImages(output_shape, mode, align_corners).apply((x,))[0]
