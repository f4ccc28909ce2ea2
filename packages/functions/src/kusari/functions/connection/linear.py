"""Linear (fully connected) function (``F.linear``)."""
import numpy

from kusari import _core
from kusari.functions.connection import _linear_kernels
from kusari.functions.connection._util import invalid

_FLOAT_KINDS = ('f',)
_Variable = _core.Variable
_MatMul = _core.MatMul
_defers_grad = _core.defers_grad
_MatMulTGrad = _core.MatMulTGrad
# ``y += b`` and ``gy.sum(axis=0)`` as plain row loops: NumPy's broadcast and reduction
# machinery costs more than the arithmetic at per-step batch sizes (bit-identical).
_add_bias = _linear_kernels.add_bias
_sum_rows = _linear_kernels.sum_rows
# Weight gradients of at most this many rows are deferred to the engine (one GEMM over
# all uses of the weight); larger products are efficient on their own and are
# better computed while gy is still in cache.
DEFER_MAX_ROWS = 64


def _fail_types(x, W, b):
    # The slow path of the checks: find what is wrong and say so.
    label = 'LinearFunction'
    if x.dtype.kind != 'f':
        invalid(label, 'x.dtype.kind == f', '%s != f' % x.dtype.kind)
    if W.dtype.kind != 'f':
        invalid(label, 'W.dtype.kind == f', '%s != f' % W.dtype.kind)
    if x.ndim != 2:
        invalid(label, 'x.ndim == 2', '%d != 2' % x.ndim)
    if W.ndim != 2:
        invalid(label, 'W.ndim == 2', '%d != 2' % W.ndim)
    if x.shape[1] != W.shape[1]:
        invalid(label, 'x.shape[1] == W.shape[1]', '%d != %d' % (x.shape[1], W.shape[1]))
    if b is not None:
        if b.dtype != x.dtype:
            invalid(label, 'b.dtype == x.dtype', '%s != %s' % (b.dtype, x.dtype))
        if b.ndim != 1:
            invalid(label, 'b.ndim == 1', '%d != 1' % b.ndim)
        if b.shape[0] != W.shape[0]:
            invalid(label, 'b.shape[0] == W.shape[0]', '%d != %d' % (b.shape[0], W.shape[0]))


class LinearFunction(_core.FunctionNode):
    """``y = x W^T + b`` for ``x`` (N, I), ``W`` (O, I) and an optional ``b`` (O,)."""

    def forward(self, inputs):
        n = len(inputs)
        if n != 2 and n != 3:
            invalid('LinearFunction', '2 <= in_types.size() <= 3',
                    'in_types.size() == %d' % n)
        x = inputs[0]
        W = inputs[1]
        b = inputs[2] if n == 3 else None
        xs = x.shape
        ws = W.shape
        # Cheap checks first; the detailed message is built only on failure.
        if (len(xs) != 2 or len(ws) != 2 or xs[1] != ws[1] or x.dtype.kind != 'f'
                or W.dtype.kind != 'f' or (b is not None and (
                    b.ndim != 1 or b.shape[0] != ws[0] or b.dtype != x.dtype))):
            _fail_types(x, W, b)
        self.retain_inputs((0, 1))
        if W.dtype != x.dtype:
            W = W.astype(x.dtype)
        y = x @ W.T
        if b is not None and not _add_bias(y, b):
            y += b
        return y,

    def backward_array(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        inputs = self.inputs
        ret = []
        for i in indexes:
            if i == 0:
                W = inputs[1].data
                gx = gy @ W
                if gx.dtype != inputs[0].dtype:
                    gx = gx.astype(inputs[0].dtype)
                ret.append(gx)
            elif i == 1:
                x = inputs[0].data
                wn = inputs[1]
                if gy.shape[0] <= DEFER_MAX_ROWS and _defers_grad(wn):
                    # a weight shared over steps (RNNs): one GEMM for all of them
                    ret.append(_MatMulTGrad(gy, x, wn.dtype))
                    continue
                gW = gy.T @ x
                if gW.dtype != wn.dtype:
                    gW = gW.astype(wn.dtype)
                ret.append(gW)
            else:
                gb = _sum_rows(gy)
                ret.append(gy.sum(axis=0) if gb is None else gb)
        return tuple(ret)

    def backward(self, indexes, grad_outputs):
        x, W = self.get_retained_inputs()
        gy, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                Wc = W if W.dtype == gy.dtype else _Cast(gy.dtype).apply((W,))[0]
                ret.append(_MatMul().apply((gy, Wc))[0])
            elif i == 1:
                gyc = gy if gy.dtype == W.dtype else _Cast(W.dtype).apply((gy,))[0]
                xc = x if x.dtype == W.dtype else _Cast(W.dtype).apply((x,))[0]
                ret.append(_MatMul().apply((_core.transpose(gyc), xc))[0])
            else:
                ret.append(_core.sum_to(gy, (gy.shape[1],)))
        return tuple(ret)


class _Cast(_core.FunctionNode):
    def __init__(self, dtype):
        self.dtype = numpy.dtype(dtype)

    def forward(self, inputs):
        self._in_dtype = inputs[0].dtype
        return inputs[0].astype(self.dtype),

    def backward(self, indexes, grad_outputs):
        return _Cast(self._in_dtype).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return grad_outputs[0].astype(self._in_dtype),


def linear(x, W, b=None, n_batch_axes=1):
    """Linear function, or affine transformation: ``y = x W^T + b``.

    Args:
        x (Variable or array): input of shape ``(s_1, ..., s_n, ...)``; the first
            ``n_batch_axes`` axes are batch axes and the rest is flattened into
            the feature axis of length ``I``.
        W (Variable or array): weight of shape ``(O, I)``.
        b (Variable or array): optional bias of shape ``(O,)``.
        n_batch_axes (int): number of batch axes (positive).

    Returns:
        Variable: output of shape ``(s_1, ..., s_n, O)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 2.], [3., 4.]], numpy.float32)
    >>> W = numpy.array([[1., 0.], [1., 1.], [0., -1.]], numpy.float32)
    >>> F.linear(x, W, numpy.ones(3, numpy.float32)).array
    array([[ 2.,  4., -1.],
           [ 4.,  8., -3.]], dtype=float32)
    """
    if n_batch_axes == 1:
        if type(x) is _Variable:
            nd = x.ndim
        else:
            nd = getattr(x, 'ndim', None)
            if nd is None:
                raise TypeError('linear: x must be a Variable or an array, got %s'
                                % type(x).__name__)
        if nd > 2:
            x = _core.reshape(x, (x.shape[0], -1))
        elif nd < 2:
            invalid('LinearFunction', 'x.ndim >= 2', '%d < 2' % nd)
        if b is None:
            return LinearFunction().apply((x, W))[0]
        return LinearFunction().apply((x, W, b))[0]
    if n_batch_axes <= 0:
        raise ValueError('linear: n_batch_axes should be greater than 0, got %r'
                         % (n_batch_axes,))
    shape = x.shape
    if len(shape) <= n_batch_axes:
        invalid('LinearFunction', 'x.ndim > n_batch_axes',
                '%d <= %d' % (len(shape), n_batch_axes))
    batch_shape = tuple(shape[:n_batch_axes])
    bs = 1
    for s in batch_shape:
        bs *= s
    x = _core.reshape(x, (bs, -1))
    args = (x, W) if b is None else (x, W, b)
    y = LinearFunction().apply(args)[0]
    return _core.reshape(y, batch_shape + (y.shape[1],))
