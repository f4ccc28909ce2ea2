"""Deformable convolution (``F.deformable_convolution_2d_sampler``).

The kernel taps are moved by learned offsets: the input is zero-padded, sampled
bilinearly at the shifted tap positions (:func:`spatial_transformer_sampler`) and the
samples are contracted with the filter by a matrix product.  Built from
differentiable kusari functions, so every input gets a gradient.
"""
import numpy

from kusari import _core
from kusari import backend
from kusari.functions.array.concat import concat
from kusari.functions.array.pad import pad as _pad
from kusari.functions.array.spatial_transformer_sampler import \
    spatial_transformer_sampler
from kusari.functions.connection import _util
from kusari.functions.math.matmul import matmul

_LABEL = 'deformable_convolution_2d_sampler'


def _pair(x):
    if hasattr(x, '__getitem__'):
        return tuple(int(v) for v in x)
    return int(x), int(x)


def _check(x, offset, W, b):
    for name, a in (('x', x), ('offset', offset), ('W', W)):
        _util.check_float(_LABEL, name, a)
        _util.check_ndim(_LABEL, name, a, 4)
    for name, a in (('offset', offset), ('W', W)):
        if a.dtype != x.dtype:
            _util.invalid(_LABEL, '%s.dtype == x.dtype' % name,
                          '%s != %s' % (a.dtype, x.dtype))
    if W.shape[1] != x.shape[1]:
        _util.invalid(_LABEL, 'x.shape[1] == W.shape[1]',
                      '%d != %d' % (x.shape[1], W.shape[1]))
    if offset.shape[0] != x.shape[0]:
        _util.invalid(_LABEL, 'offset.shape[0] == x.shape[0]',
                      '%d != %d' % (offset.shape[0], x.shape[0]))
    if offset.shape[1] != 2 * W.shape[2] * W.shape[3]:
        raise ValueError('%s: the shape of the offset does not match the kernel size: '
                         'expected offset.shape[1] == 2 * kh * kw == %d, got %d'
                         % (_LABEL, 2 * W.shape[2] * W.shape[3], offset.shape[1]))
    if b is not None:
        _util.check_ndim(_LABEL, 'b', b, 1)
        if b.dtype != x.dtype:
            _util.invalid(_LABEL, 'b.dtype == x.dtype', '%s != %s' % (b.dtype, x.dtype))
        if b.shape[0] != W.shape[0]:
            _util.invalid(_LABEL, 'b.shape[0] == W.shape[0]',
                          '%d != %d' % (b.shape[0], W.shape[0]))


def _offset2grid(offset, kh, kw, sy, sx, ph, pw, h, w):
    """Sampling coordinates of every tap, normalized for the padded input."""
    n, khkw2, out_h, out_w = offset.shape
    khkw = khkw2 // 2
    xp = backend.get_array_module(offset)
    dtype = offset.dtype
    ys = numpy.arange(out_h, dtype=numpy.float64) * sy
    xs = numpy.arange(out_w, dtype=numpy.float64) * sx
    tap_x = numpy.tile(numpy.arange(kw, dtype=numpy.float64), kh)
    tap_y = numpy.repeat(numpy.arange(kh, dtype=numpy.float64), kw)
    base_x = xp.asarray((xs[None, None, :] + tap_x[:, None, None])[None]
                        .repeat(out_h, axis=2).astype(dtype))
    base_y = xp.asarray((ys[None, :, None] + tap_y[:, None, None])[None]
                        .repeat(out_w, axis=3).astype(dtype))
    off_x = _core.get_item(offset, (slice(None), slice(0, khkw)))
    off_y = _core.get_item(offset, (slice(None), slice(khkw, None)))
    # the padded image spans (w + 2 pw) pixels: its first centre is -1, its last +1
    x_coord = (off_x + base_x) * (2. / (w + 2 * pw - 1)) - 1.
    y_coord = (off_y + base_y) * (2. / (h + 2 * ph - 1)) - 1.
    return concat([x_coord, y_coord], axis=1)


def deformable_convolution_2d_sampler(x, offset, W, b=None, stride=1, pad=0):
    """Two-dimensional deformable convolution function using computed offset.

    Tap ``(ky, kx)`` of output pixel ``(i, j)`` reads the zero-padded input at
    ``(i * sy + ky + offset[:, kh*kw + k, i, j], j * sx + kx + offset[:, k, i, j])``
    with ``k = ky * kw + kx`` (bilinear interpolation), and the taps are combined
    with ``W`` as in :func:`convolution_2d`.  The output size is the spatial size of
    ``offset``.  Double backpropagation is not supported (as in Chainer).

    Args:
        x (Variable or array): input of shape ``(n, c_I, h, w)``.
        offset (Variable or array): offsets of shape ``(n, 2 * k_H * k_W, h_O, w_O)``;
            the first ``k_H * k_W`` channels are horizontal offsets, the rest
            vertical ones.
        W (Variable or array): filter of shape ``(c_O, c_I, k_H, k_W)``.
        b (Variable or array or None): bias of shape ``(c_O,)``.
        stride (int or pair of ints): ``(s_Y, s_X)``.
        pad (int or pair of ints): ``(p_H, p_W)``, zero padding of the input.

    Returns:
        Variable: output of shape ``(n, c_O, h_O, w_O)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(9, dtype=numpy.float32).reshape(1, 1, 3, 3)
    >>> W = numpy.ones((1, 1, 2, 2), numpy.float32)
    >>> offset = numpy.zeros((1, 8, 2, 2), numpy.float32)  # no offset: a convolution
    >>> F.deformable_convolution_2d_sampler(x, offset, W).array
    array([[[[ 8., 12.],
             [20., 24.]]]], dtype=float32)
    """
    sy, sx = _pair(stride)
    ph, pw = _pair(pad)
    xa, oa, Wa = _core.as_array(x), _core.as_array(offset), _core.as_array(W)
    ba = None if b is None else _core.as_array(b)
    _check(xa, oa, Wa, ba)
    out_c, _, kh, kw = Wa.shape
    n, c, h, w = xa.shape
    out_h, out_w = oa.shape[2:]

    grid = _offset2grid(offset, kh, kw, sy, sx, ph, pw, h, w)
    grid = _core.reshape(grid, (n, 2, kh * kw, out_h * out_w))
    x_pad = _pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), 'constant')
    x_st = spatial_transformer_sampler(x_pad, grid)  # (n, c, kh*kw, out_h*out_w)
    x_st = _core.reshape(_core.transpose(x_st, (0, 3, 1, 2)),
                         (n * out_h * out_w, c * kh * kw))
    W2 = _core.reshape(_core.transpose(W, (1, 2, 3, 0)), (c * kh * kw, out_c))
    y = matmul(x_st, W2)
    y = _core.transpose(_core.reshape(y, (n, out_h, out_w, out_c)), (0, 3, 1, 2))
    if b is not None:
        y = y + _core.broadcast_to(_core.reshape(b, (1, out_c, 1, 1)), y.shape)
    return y
