"""Function nodes of the pooling family, generic in the number of spatial dimensions.

Every node's gradient is another node of this module, so gradients of any order
work: max pooling <-> (scatter at argmax, gather at argmax); average pooling <->
its adjoint; unpooling <-> sum pooling; upsampling <-> gather at the indexes.
"""
import numpy

from kusari import _core
from kusari import backend
from kusari.functions.connection import _im2col
from kusari.functions.connection._util import check_float, invalid, prod
from kusari.functions.pooling import _pool_impl
from kusari.utils import conv


def _geometry(ndim, ksize, stride, pad, who):
    ksize = _im2col.as_tuple(ksize, ndim, 'ksize', who)
    stride = ksize if stride is None else _im2col.as_tuple(stride, ndim, 'stride', who)
    pad = _im2col.as_tuple(pad, ndim, 'pad', who)
    if any(k < 1 for k in ksize):
        raise ValueError('%s: ksize must be positive, got %s' % (who, ksize))
    if any(s < 1 for s in stride):
        raise ValueError('%s: stride must be positive, got %s' % (who, stride))
    if any(p < 0 for p in pad):
        raise ValueError('%s: pad must be non-negative, got %s' % (who, pad))
    return ksize, stride, pad


def _check_input(label, x, ndim):
    check_float(label, 'x', x)
    if x.ndim != ndim + 2:
        invalid(label, 'x.ndim == %d' % (ndim + 2), '%d != %d' % (x.ndim, ndim + 2))


def _out_dims(label, dims, ksize, stride, pad, cover_all):
    outs = tuple(conv.get_conv_outsize(a, k, s, p, cover_all)
                 for a, k, s, p in zip(dims, ksize, stride, pad))
    if any(o <= 0 for o in outs):
        invalid(label, 'output size > 0 (input %s, ksize %s, stride %s, pad %s)'
                % (tuple(dims), ksize, stride, pad), 'output size %s' % (outs,))
    return outs


class _Pooling(_core.FunctionNode):
    _name2d = None
    _namend = None

    def __init__(self, ndim, ksize, stride=None, pad=0, cover_all=True):
        self.ndim = int(ndim)
        self.ksize, self.stride, self.pad = _geometry(self.ndim, ksize, stride, pad,
                                                      self.label)
        self.cover_all = bool(cover_all)

    @property
    def label(self):
        return self._name2d if getattr(self, 'ndim', 2) == 2 else self._namend


# ---- max pooling --------------------------------------------------------------------

class MaxPoolingND(_Pooling):
    """Max pooling over ``ndim`` spatial axes (``ndim=2``: Chainer's ``MaxPooling2D``)."""

    _name2d = 'MaxPooling2D'
    _namend = 'MaxPoolingND'

    def __init__(self, ndim, ksize, stride=None, pad=0, cover_all=True,
                 return_indices=False):
        super().__init__(ndim, ksize, stride, pad, cover_all)
        self.return_indices = return_indices
        self.indexes = None

    def forward(self, inputs):
        label = self.label
        if len(inputs) != 1:
            invalid(label, 'in_types.size() == 1', 'in_types.size() == %d' % len(inputs))
        x, = inputs
        _check_input(label, x, self.ndim)
        self._in_shape = x.shape
        self._in_dtype = x.dtype
        outs = _out_dims(label, x.shape[2:], self.ksize, self.stride, self.pad,
                         self.cover_all)
        y, self.indexes = _pool_impl.max_forward(x, self.ksize, self.stride, self.pad,
                                                 outs)
        return y,

    def backward_array(self, indexes, grad_outputs):
        return _pool_impl.max_scatter(grad_outputs[0], self.indexes, self.ksize,
                                      self.stride, self.pad, self._in_shape[2:],
                                      self._in_dtype),

    def backward(self, indexes, grad_outputs):
        return MaxPoolingNDGrad(self).apply(grad_outputs)


class MaxPoolingNDGrad(_core.FunctionNode):
    """Gradient of :class:`MaxPoolingND`: ``gy`` scattered to the argmax positions."""

    def __init__(self, mpool):
        self.mpool = mpool

    @property
    def label(self):
        return self.mpool.label + 'Grad'

    def forward(self, inputs):
        m = self.mpool
        return _pool_impl.max_scatter(inputs[0], m.indexes, m.ksize, m.stride, m.pad,
                                      m._in_shape[2:], m._in_dtype),

    def backward_array(self, indexes, grad_outputs):
        m = self.mpool
        return _pool_impl.max_gather(grad_outputs[0], m.indexes, m.ksize, m.stride,
                                     m.pad),

    def backward(self, indexes, grad_outputs):
        return MaxPoolingNDWithIndexes(self.mpool).apply(grad_outputs)


class MaxPoolingNDWithIndexes(_core.FunctionNode):
    """``x`` read at the argmax positions recorded by a :class:`MaxPoolingND`."""

    def __init__(self, mpool):
        self.mpool = mpool

    @property
    def label(self):
        return self.mpool.label + 'WithIndexes'

    def forward(self, inputs):
        m = self.mpool
        return _pool_impl.max_gather(inputs[0], m.indexes, m.ksize, m.stride, m.pad),

    def backward_array(self, indexes, grad_outputs):
        m = self.mpool
        return _pool_impl.max_scatter(grad_outputs[0], m.indexes, m.ksize, m.stride,
                                      m.pad, m._in_shape[2:], m._in_dtype),

    def backward(self, indexes, grad_outputs):
        return MaxPoolingNDGrad(self.mpool).apply(grad_outputs)


# ---- average pooling ----------------------------------------------------------------

class AveragePoolingND(_Pooling):
    """Average pooling (``ndim=2``: Chainer's ``AveragePooling2D``).

    ``pad_value=0`` divides every window sum by ``prod(ksize)`` (padding counts as
    zeros); ``pad_value=None`` divides by the number of in-bounds elements.
    """

    _name2d = 'AveragePooling2D'
    _namend = 'AveragePoolingND'

    def __init__(self, ndim, ksize, stride=None, pad=0, cover_all=False, pad_value=0):
        if not (pad_value is None or pad_value == 0):
            raise ValueError('%s: pad_value must be 0 or None, got %r'
                             % ('AveragePooling2D' if ndim == 2 else 'AveragePoolingND',
                                pad_value))
        if cover_all:
            raise ValueError('average pooling does not support cover_all=True')
        super().__init__(ndim, ksize, stride, pad, False)
        self.pad_value = pad_value
        self.mode = 0 if pad_value == 0 else 1
        self.div = float(prod(self.ksize))

    def forward(self, inputs):
        label = self.label
        if len(inputs) != 1:
            invalid(label, 'in_types.size() == 1', 'in_types.size() == %d' % len(inputs))
        x, = inputs
        _check_input(label, x, self.ndim)
        self._in_shape = x.shape
        outs = _out_dims(label, x.shape[2:], self.ksize, self.stride, self.pad, False)
        return _pool_impl.sum_forward(x, self.ksize, self.stride, self.pad, outs,
                                      self.mode, self.div),

    def backward_array(self, indexes, grad_outputs):
        return _pool_impl.sum_backward(grad_outputs[0], self.ksize, self.stride, self.pad,
                                       self._in_shape[2:], self.mode, self.div),

    def backward(self, indexes, grad_outputs):
        return AveragePoolingNDGrad(self).apply(grad_outputs)


class AveragePoolingNDGrad(_core.FunctionNode):
    """Gradient of :class:`AveragePoolingND` (its adjoint)."""

    def __init__(self, apool):
        self.apool = apool

    @property
    def label(self):
        return self.apool.label + 'Grad'

    def forward(self, inputs):
        a = self.apool
        return _pool_impl.sum_backward(inputs[0], a.ksize, a.stride, a.pad,
                                       a._in_shape[2:], a.mode, a.div),

    def backward_array(self, indexes, grad_outputs):
        a = self.apool
        g = grad_outputs[0]
        outs = tuple(self.inputs[0].shape[2:])
        return _pool_impl.sum_forward(g, a.ksize, a.stride, a.pad, outs, a.mode, a.div),

    def backward(self, indexes, grad_outputs):
        a = self.apool
        return AveragePoolingND(a.ndim, a.ksize, a.stride, a.pad,
                                pad_value=a.pad_value).apply(grad_outputs)


# ---- unpooling ----------------------------------------------------------------------

class UnpoolingND(_Pooling):
    """Unpooling: every input element is copied to its whole window (overlaps add).

    ``ndim=2`` is Chainer's ``Unpooling2D``.
    """

    _name2d = 'Unpooling2D'
    _namend = 'UnpoolingND'

    def __init__(self, ndim, ksize, stride=None, pad=0, outsize=None, cover_all=True):
        super().__init__(ndim, ksize, stride, pad, cover_all)
        if outsize is not None:
            outsize = _im2col.as_tuple(outsize, self.ndim, 'outsize', self.label)
        self.outsize = outsize

    def _out(self, x):
        label = self.label
        dims = x.shape[2:]
        if self.outsize is None:
            outs = tuple(conv.get_deconv_outsize(a, k, s, p, cover_all=self.cover_all)
                         for a, k, s, p in zip(dims, self.ksize, self.stride, self.pad))
            # an empty output is allowed, as in Chainer (e.g. pad > (ksize - 1) / 2)
            if any(o < 0 for o in outs):
                invalid(label, 'output size >= 0', 'output size %s' % (outs,))
            return outs
        for i, o in enumerate(self.outsize):
            e = conv.get_conv_outsize(o, self.ksize[i], self.stride[i], self.pad[i],
                                      cover_all=self.cover_all)
            if dims[i] != e:
                invalid(label, 'x.shape[%d] == %d (for outsize %s)' % (i + 2, e, self.outsize),
                        '%d != %d' % (dims[i], e))
        return self.outsize

    def forward(self, inputs):
        label = self.label
        if len(inputs) != 1:
            invalid(label, 'in_types.size() == 1', 'in_types.size() == %d' % len(inputs))
        x, = inputs
        _check_input(label, x, self.ndim)
        self._in_shape = x.shape
        outs = self._out(x)
        return _pool_impl.sum_backward(x, self.ksize, self.stride, self.pad, outs, 2),

    def backward_array(self, indexes, grad_outputs):
        return _pool_impl.sum_forward(grad_outputs[0], self.ksize, self.stride, self.pad,
                                      self._in_shape[2:], 2),

    def backward(self, indexes, grad_outputs):
        return UnpoolingNDGrad(self).apply(grad_outputs)


class UnpoolingNDGrad(_core.FunctionNode):
    """Gradient of :class:`UnpoolingND`: window sums."""

    def __init__(self, unpool):
        self.unpool = unpool

    @property
    def label(self):
        return self.unpool.label + 'Grad'

    def forward(self, inputs):
        u = self.unpool
        return _pool_impl.sum_forward(inputs[0], u.ksize, u.stride, u.pad,
                                      u._in_shape[2:], 2),

    def backward_array(self, indexes, grad_outputs):
        u = self.unpool
        return _pool_impl.sum_backward(grad_outputs[0], u.ksize, u.stride, u.pad,
                                       tuple(self.inputs[0].shape[2:]), 2),

    def backward(self, indexes, grad_outputs):
        u = self.unpool
        f = UnpoolingND(u.ndim, u.ksize, u.stride, u.pad,
                        tuple(self.inputs[0].shape[2:]), u.cover_all)
        return f.apply(grad_outputs)


# ---- upsampling ---------------------------------------------------------------------

class Upsampling2D(_Pooling):
    """Upsampling with max-pooling indexes: ``x`` is placed at the recorded argmax."""

    _name2d = 'Upsampling2D'
    _namend = 'Upsampling2D'

    def __init__(self, indexes, ksize, stride=None, pad=0, outsize=None, cover_all=True):
        super().__init__(2, ksize, stride, pad, cover_all)
        self.indexes = indexes
        if outsize is not None:
            outsize = _im2col.as_tuple(outsize, 2, 'outsize', self.label)
        self.outsize = outsize

    def forward(self, inputs):
        label = self.label
        if len(inputs) != 1:
            invalid(label, 'in_types.size() == 1', 'in_types.size() == %d' % len(inputs))
        x, = inputs
        _check_input(label, x, 2)
        idx = self.indexes
        if not backend.is_array(idx) or idx.dtype.kind not in 'iu':
            invalid(label, 'indexes is an integer array',
                    'indexes is %s' % (getattr(idx, 'dtype', type(idx).__name__),))
        if idx.shape != x.shape:
            invalid(label, 'indexes.shape == x.shape', '%s != %s' % (idx.shape, x.shape))
        nk = self.ksize[0] * self.ksize[1]
        if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= nk):
            raise ValueError('%s: indexes must lie in [0, %d), got values in [%d, %d]'
                             % (label, nk, int(idx.min()), int(idx.max())))
        dims = x.shape[2:]
        if self.outsize is None:
            outs = tuple(conv.get_deconv_outsize(a, k, s, p, cover_all=self.cover_all)
                         for a, k, s, p in zip(dims, self.ksize, self.stride, self.pad))
        else:
            outs = self.outsize
            for i in range(2):
                e = conv.get_conv_outsize(outs[i], self.ksize[i], self.stride[i],
                                          self.pad[i], cover_all=self.cover_all)
                if dims[i] != e:
                    invalid(label, 'x.shape[%d] == %d (for outsize %s)' % (i + 2, e, outs),
                            '%d != %d' % (dims[i], e))
        if any(o <= 0 for o in outs):
            invalid(label, 'output size > 0', 'output size %s' % (outs,))
        if self.indexes.dtype != numpy.int32:
            self.indexes = self.indexes.astype(numpy.int32)
        self._out_shape = tuple(outs)
        return _pool_impl.max_scatter(x, self.indexes, self.ksize, self.stride, self.pad,
                                      outs),

    def backward_array(self, indexes, grad_outputs):
        return _pool_impl.max_gather(grad_outputs[0], self.indexes, self.ksize,
                                     self.stride, self.pad),

    def backward(self, indexes, grad_outputs):
        return Upsampling2DGrad(self).apply(grad_outputs)


class Upsampling2DGrad(_core.FunctionNode):
    """Gradient of :class:`Upsampling2D`: read back at the indexes."""

    def __init__(self, up):
        self.up = up

    @property
    def label(self):
        return 'Upsampling2DGrad'

    def forward(self, inputs):
        u = self.up
        return _pool_impl.max_gather(inputs[0], u.indexes, u.ksize, u.stride, u.pad),

    def backward_array(self, indexes, grad_outputs):
        u = self.up
        return _pool_impl.max_scatter(grad_outputs[0], u.indexes, u.ksize, u.stride,
                                      u.pad, u._out_shape),

    def backward(self, indexes, grad_outputs):
        u = self.up
        f = Upsampling2D(u.indexes, u.ksize, u.stride, u.pad, u._out_shape, u.cover_all)
        return f.apply(grad_outputs)
