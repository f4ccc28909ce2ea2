"""Shift function (``F.shift``)."""
from kusari import _core
from kusari import backend
from kusari.functions.connection._util import check_float, invalid


def _pair(v, name):
    if isinstance(v, (tuple, list)):
        if len(v) != 2:
            raise ValueError('shift: %s must be an int or a pair, got %r' % (name, v))
        return int(v[0]), int(v[1])
    return int(v), int(v)


def _shift_array(x, kh, kw, dy, dx):
    # Channel group i moves by (ky, kx) * dilation with (ky, kx) taken from the
    # kernel grid; the center group goes last (it is the remainder group).
    xp = backend.get_array_module(x)
    n, c, h, w = x.shape
    groups = kh * kw
    gsize = c // groups
    y = xp.zeros_like(x)
    for i in range(groups):
        g = i
        if g == (groups - 1) // 2:
            g = groups - 1
        elif g == groups - 1:
            g = (groups - 1) // 2
        ky = g // kw - kh // 2
        kx = g % kw - kw // 2
        cs = i * gsize
        ce = (i + 1) * gsize if i < groups - 1 else c
        oy = ky * dy   # y[r] = x[r - oy]
        ox = kx * dx
        ys0, ys1 = max(0, oy), min(h, h + oy)
        xs0, xs1 = max(0, ox), min(w, w + ox)
        if ys0 >= ys1 or xs0 >= xs1 or cs >= ce:
            continue
        y[:, cs:ce, ys0:ys1, xs0:xs1] = x[:, cs:ce, ys0 - oy:ys1 - oy, xs0 - ox:xs1 - ox]
    return y


class Shift(_core.FunctionNode):
    """Shift of channel groups (see :func:`shift`)."""

    def __init__(self, ksize=3, dilate=1):
        self.kh, self.kw = _pair(ksize, 'ksize')
        if self.kh % 2 != 1 or self.kw % 2 != 1:
            raise ValueError('shift: ksize must be odd, got %r' % (ksize,))
        self.dy, self.dx = _pair(dilate, 'dilate')

    @property
    def label(self):
        return 'ShiftFunction'

    def forward(self, inputs):
        label = self.label
        if len(inputs) != 1:
            invalid(label, 'in_types.size() == 1', 'in_types.size() == %d' % len(inputs))
        x, = inputs
        check_float(label, 'x', x)
        if x.ndim != 4:
            invalid(label, 'x.ndim == 4', '%d != 4' % x.ndim)
        if x.shape[1] < self.kh * self.kw:
            invalid(label, 'x.shape[1] >= %d' % (self.kh * self.kw),
                    '%d < %d' % (x.shape[1], self.kh * self.kw))
        return _shift_array(x, self.kh, self.kw, self.dy, self.dx),

    def backward_array(self, indexes, grad_outputs):
        return _shift_array(grad_outputs[0], self.kh, self.kw, -self.dy, -self.dx),

    def backward(self, indexes, grad_outputs):
        return Shift((self.kh, self.kw), (-self.dy, -self.dx)).apply(grad_outputs)


def shift(x, ksize=3, dilate=1):
    """Shift function (a zero-FLOP, zero-parameter alternative to convolution).

    The channels are split into ``kh * kw`` groups (the remainder joins the last);
    group ``i`` is shifted spatially: ``y[:, c, r, q] = x[:, c, r - ky * dy, q - kx * dx]``
    with ``(ky, kx) = (g // kw - kh // 2, g % kw - kw // 2)``, where ``g = i`` except that the center group
    and the last group swap places (so the unshifted group comes last).  Pixels
    shifted in from outside are zero.  See `Shift: A Zero FLOP, Zero Parameter
    Alternative to Spatial Convolutions <https://arxiv.org/abs/1711.08141>`_.

    Args:
        x (Variable or array): input of shape ``(n, c, h, w)`` with
            ``c >= kh * kw``.
        ksize (int or pair of ints): odd size of the shift grid.
        dilate (int or pair of ints): shift step per grid cell.

    Returns:
        Variable: output of the same shape as ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(3, dtype=numpy.float32).reshape(1, 1, 1, 3)
    >>> x = numpy.repeat(x, 9, axis=1)
    >>> F.shift(x).array[0, :, 0]   # rows moved vertically leave a 1-row map
    array([[0., 0., 0.],
           [0., 0., 0.],
           [0., 0., 0.],
           [1., 2., 0.],
           [0., 0., 0.],
           [0., 0., 1.],
           [0., 0., 0.],
           [0., 0., 0.],
           [0., 1., 2.]], dtype=float32)
    """
    return Shift(ksize, dilate).apply((x,))[0]
