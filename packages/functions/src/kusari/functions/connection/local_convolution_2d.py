"""Locally-connected 2-D convolution (``F.local_convolution_2d``).

Unlike a convolution, every output position has its own filter.  The patches are
extracted with :func:`im2col` and contracted with the per-position filters by one
batched matrix product, so gradients of any order work.
"""
import kusari
from kusari import _core
from kusari.functions.array.cast import cast
from kusari.functions.array.im2col import im2col
from kusari.functions.connection import _util
from kusari.functions.util import _ops

_LABEL = 'local_convolution_2d'


def _pair(x):
    if hasattr(x, '__getitem__'):
        return tuple(int(v) for v in x)
    return int(x), int(x)


def _check(x, W, b, sy, sx):
    _util.check_float(_LABEL, 'x', x)
    _util.check_ndim(_LABEL, 'x', x, 4)
    _util.check_ndim(_LABEL, 'W', W, 6)
    _util.check_float(_LABEL, 'W', W)
    if W.shape[3] != x.shape[1]:
        _util.invalid(_LABEL, 'x.shape[1] == W.shape[3]',
                      '%d != %d' % (x.shape[1], W.shape[3]))
    kh, kw = W.shape[4:]
    if x.shape[2] < kh or x.shape[3] < kw:
        _util.invalid(_LABEL, 'x.shape[2:] >= W.shape[4:]',
                      '%s < %s' % (x.shape[2:], W.shape[4:]))
    out_h = (x.shape[2] - kh) // sy + 1
    out_w = (x.shape[3] - kw) // sx + 1
    if W.shape[1:3] != (out_h, out_w):
        _util.invalid(_LABEL, 'W.shape[1:3] == output size (%d, %d)' % (out_h, out_w),
                      '%s != %s' % (W.shape[1:3], (out_h, out_w)))
    if b is not None:
        if b.dtype != x.dtype:
            _util.invalid(_LABEL, 'b.dtype == x.dtype', '%s != %s' % (b.dtype, x.dtype))
        if b.shape != W.shape[:3]:
            _util.invalid(_LABEL, 'b.shape == W.shape[:3]',
                          '%s != %s' % (b.shape, W.shape[:3]))


def local_convolution_2d(x, W, b=None, stride=1):
    """Two-dimensional local convolution function (unshared weights).

    .. math::

       y_{n,o,i,j} = \\sum_{c,k_y,k_x} x_{n,c,i s_Y + k_y,j s_X + k_x}
                     W_{o,i,j,c,k_y,k_x} + b_{o,i,j}

    There is no padding: ``h_O = (h - k_H) // s_Y + 1`` and
    ``w_O = (w - k_W) // s_X + 1``.

    Args:
        x (Variable or array): input of shape ``(n, c_I, h, w)``.
        W (Variable or array): filters of shape ``(c_O, h_O, w_O, c_I, k_H, k_W)``;
            a float dtype that may differ from ``x``'s (used in ``x``'s dtype, as
            in Chainer; its gradient has its own dtype).
        b (Variable or array or None): bias of shape ``(c_O, h_O, w_O)``, of
            ``x``'s dtype.
        stride (int or pair of ints): ``(s_Y, s_X)``.

    Returns:
        Variable: output of shape ``(n, c_O, h_O, w_O)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(9, dtype=numpy.float32).reshape(1, 1, 3, 3)
    >>> W = numpy.ones((1, 2, 2, 1, 2, 2), numpy.float32)
    >>> W[0, 1, 1] = 0.5
    >>> F.local_convolution_2d(x, W).array
    array([[[[ 8., 12.],
             [20., 12.]]]], dtype=float32)
    """
    sy, sx = _pair(stride)
    if sy < 1 or sx < 1:
        raise ValueError('%s: stride must be positive, got %r' % (_LABEL, stride))
    xa, Wa = _core.as_array(x), _core.as_array(W)
    ba = None if b is None else _core.as_array(b)
    _check(xa, Wa, ba, sy, sx)
    if Wa.dtype != xa.dtype:
        W = cast(W, xa.dtype)
    n = xa.shape[0]
    out_c, out_h, out_w, c, kh, kw = Wa.shape
    k = c * kh * kw
    col = im2col(x, (kh, kw), (sy, sx))                      # (n, k, oh, ow)
    col = _core.transpose(_core.reshape(col, (n, k, out_h * out_w)), (2, 0, 1))
    W2 = _core.transpose(_core.reshape(W, (out_c, out_h * out_w, k)), (1, 2, 0))
    y = _core.MatMul().apply((col, W2))[0]                     # (oh*ow, n, out_c)
    y = _core.reshape(_core.transpose(y, (1, 2, 0)), (n, out_c, out_h, out_w))
    if b is not None:
        y = y + _core.broadcast_to(_core.reshape(b, (1, out_c, out_h, out_w)), y.shape)
    return y


class LocalConvolution2DFunction(_core.FunctionNode):
    """Chainer's graph node of :func:`local_convolution_2d`.

    ``LocalConvolution2DFunction(stride).apply((x, W[, b]))`` gives the output of
    :func:`local_convolution_2d`; its gradients (of any order) are those of the
    function's composition.

    Args:
        stride (int or pair of ints): ``(s_Y, s_X)``.
    """

    def __init__(self, stride=1):
        self.sy, self.sx = _pair(stride)

    @property
    def label(self):
        return 'LocalConvolution2DFunction'

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        with kusari.no_backprop_mode():
            y = local_convolution_2d(*inputs, stride=(self.sy, self.sx))
        return y.array,

    def backward(self, indexes, grad_outputs):
        def f(*inputs):
            return local_convolution_2d(*inputs, stride=(self.sy, self.sx)),
        g = _ops.vjp(f, self.get_retained_inputs(), grad_outputs)
        return tuple(g[i] for i in indexes)
