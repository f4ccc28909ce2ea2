"""Linear layer with simplified DropConnect (``F.simplified_dropconnect``)."""
from kusari import _core
from kusari import backend
from kusari._core import FunctionNode
from kusari.functions.util import _ops

_NAME = 'simplified_dropconnect'


class SimplifiedDropconnect(FunctionNode):
    """``y = x (W * mask / (1 - ratio))^T + b`` with a per-sample or shared mask."""

    def __init__(self, ratio, mask=None, use_batchwise_mask=True):
        if not 0.0 <= ratio < 1.0:
            raise ValueError('%s: ratio must be in the range from 0 to 1, got %r'
                             % (_NAME, ratio))
        self.ratio = ratio
        self.mask = mask
        self.use_batchwise_mask = use_batchwise_mask

    def forward(self, inputs):
        x, W = inputs[:2]
        _ops.check_float(_NAME, 'x', x)
        _ops.check_float(_NAME, 'W', W)
        if x.ndim < 2 or W.ndim != 2:
            raise _ops.invalid(_NAME, 'x.ndim >= 2 and W.ndim == 2',
                               '%d, %d' % (x.ndim, W.ndim))
        n_in = x.size // max(x.shape[0], 1) if x.shape[0] else 1
        if x.shape[0] and n_in != W.shape[1]:
            raise _ops.invalid(_NAME, 'prod(x.shape[1:]) == W.shape[1]',
                               '%d != %d' % (n_in, W.shape[1]))
        if len(inputs) == 3:
            b = inputs[2]
            if b.dtype != x.dtype or b.ndim != 1 or b.shape[0] != W.shape[0]:
                raise _ops.invalid(_NAME, 'b.dtype == x.dtype and b.shape == (W.shape[0],)',
                                   '%s %s' % (b.dtype, b.shape))
        xp = backend.get_array_module(x)
        if self.use_batchwise_mask:
            mask_shape = (x.shape[0],) + W.shape
        else:
            mask_shape = W.shape
        if self.mask is None:
            self.mask = xp.random.rand(*mask_shape) >= self.ratio
        else:
            self.mask = _ops.array_of(self.mask)
            if self.mask.shape != mask_shape:
                raise _ops.invalid(_NAME, 'mask.shape == %s' % (mask_shape,),
                                   '%s' % (self.mask.shape,))
        self._maskf = self.mask.astype(W.dtype) * W.dtype.type(1. / (1 - self.ratio))
        self.retain_inputs((0, 1))
        x2 = x.reshape(len(x), -1)
        Wm = W * self._maskf
        if self.use_batchwise_mask:
            y = xp.matmul(Wm, x2[:, :, None])[:, :, 0]
        else:
            y = x2.dot(Wm.T)
        y = y.astype(x.dtype, copy=False)
        if len(inputs) == 3:
            y = y + inputs[2]
        return y,

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        W = self.inputs[1].data
        gy = grad_outputs[0]
        xp = backend.get_array_module(x)
        x2 = x.reshape(len(x), -1)
        Wm = W * self._maskf
        ret = []
        for i in indexes:
            if i == 0:
                if self.use_batchwise_mask:
                    gx = xp.matmul(gy[:, None, :], Wm)[:, 0, :]
                else:
                    gx = gy.dot(Wm)
                ret.append(gx.reshape(x.shape).astype(x.dtype, copy=False))
            elif i == 1:
                if self.use_batchwise_mask:
                    gW = (gy[:, :, None] * x2[:, None, :] * self._maskf).sum(0)
                else:
                    gW = gy.T.dot(x2) * self._maskf
                ret.append(gW.astype(W.dtype, copy=False))
            else:
                ret.append(gy.sum(0))
        return tuple(ret)

    def backward(self, indexes, grad_outputs):
        x, W = self.get_retained_inputs()
        gy = grad_outputs[0]
        # the gradients are computed in x's dtype (W may have another, as in Chainer)
        w_dtype = W.dtype
        W = _to_dtype(W, x.dtype)
        maskf = self._maskf.astype(x.dtype, copy=False)
        x2 = _ops.reshape(x, (x.shape[0], -1))
        N = x.shape[0]
        ret = []
        for i in indexes:
            if i == 0:
                if self.use_batchwise_mask:
                    Wm = _ops.broadcast_to(W, maskf.shape) * maskf
                    g3 = _ops.reshape(gy, (N, 1, gy.shape[1]))
                    gx = _core.MatMul().apply((g3, Wm))[0]
                    gx = _ops.reshape(gx, x.shape)
                else:
                    Wm = W * maskf
                    gx = _ops.reshape(_core.MatMul().apply((gy, Wm))[0], x.shape)
                ret.append(gx)
            elif i == 1:
                if self.use_batchwise_mask:
                    o = _ops.reshape(gy, gy.shape + (1,))
                    xi = _ops.reshape(x2, (N, 1, x2.shape[1]))
                    prod = _ops.broadcast_to(o, maskf.shape) * \
                        _ops.broadcast_to(xi, maskf.shape) * maskf
                    gW = _ops.sum(prod, axis=0)
                else:
                    gW = _core.MatMul().apply((_core.transpose(gy), x2))[0] * maskf
                ret.append(_to_dtype(gW, w_dtype))
            else:
                ret.append(_ops.sum(gy, axis=0))
        return tuple(ret)


def _to_dtype(v, dtype):
    if v.dtype == dtype:
        return v
    from kusari.functions.array.cast import cast
    return cast(v, dtype)


def simplified_dropconnect(x, W, b=None, ratio=.5, train=True, mask=None,
                           use_batchwise_mask=True):
    """Linear layer whose weight elements are dropped at random (simplified DropConnect).

    Computes ``y = x (W * M / (1 - ratio))^T + b`` where ``M`` is a 0/1 mask that
    keeps each weight with probability ``1 - ratio``; with ``use_batchwise_mask``
    every sample draws its own mask.  With ``train=False`` the ratio is 0 (a plain
    linear layer).

    Args:
        x (Variable or array): ``(N, ...)`` float input, ``prod(shape[1:]) == I``.
        W (Variable or array): ``(O, I)`` weight; its float dtype may differ from
            ``x``'s (the output has ``x``'s dtype, as in Chainer).
        b (Variable or array or None): ``(O,)`` bias.
        ratio (float): the drop ratio in ``[0, 1)``.
        train (bool): drop weights when True.
        mask (array or None): a 0/1 (bool) mask, ``(N, O, I)`` with
            ``use_batchwise_mask`` else ``(O, I)``.
        use_batchwise_mask (bool): one mask per sample.

    Returns:
        Variable: ``(N, O)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.ones((1, 2), numpy.float32)
    >>> W = numpy.ones((3, 2), numpy.float32)
    >>> F.simplified_dropconnect(x, W, train=False).array
    array([[2., 2., 2.]], dtype=float32)
    """
    if not train:
        ratio = 0
    f = SimplifiedDropconnect(ratio, mask, use_batchwise_mask)
    if b is None:
        return f.apply((x, W))[0]
    return f.apply((x, W, b))[0]
