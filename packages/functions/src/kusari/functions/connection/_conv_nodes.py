"""Function nodes of (transposed) convolutions in any number of spatial dimensions.

:class:`ConvolutionND`, :class:`DeconvolutionND` and :class:`ConvolutionNDGradW`
are each other's gradients, so gradients of any order work:

* d conv / dx = deconv(gy, W),        d conv / dW = gradW(x, gy)
* d deconv / dx = conv(gy, W),        d deconv / dW = gradW(gy, x)
* d gradW / dx = deconv(gy, ggW),     d gradW / dgy = conv(x, ggW)
"""
import numpy

from kusari import _core
from kusari.functions.connection import _conv_ops
from kusari.functions.connection import _im2col
from kusari.functions.connection._util import check_float, check_n_inputs, invalid
from kusari.functions.connection._util import invalid_outsize, work_dtype
from kusari.utils import conv


def _params(ndim, stride, pad, dilate, groups, who):
    stride = _im2col.as_tuple(stride, ndim, 'stride', who)
    pad = _im2col.as_tuple(pad, ndim, 'pad', who)
    dilate = _im2col.as_tuple(dilate, ndim, 'dilate', who)
    if any(s < 1 for s in stride):
        raise ValueError('%s: stride must be positive, got %s' % (who, stride))
    if any(p < 0 for p in pad):
        raise ValueError('%s: pad must be non-negative, got %s' % (who, pad))
    if any(d < 1 for d in dilate):
        raise ValueError('%s: dilate must be positive, got %s' % (who, dilate))
    groups = int(groups)
    if groups < 1:
        raise ValueError('%s: groups must be positive, got %d' % (who, groups))
    return stride, pad, dilate, groups


def _check_bias(label, b, x, n_out):
    if b.dtype != x.dtype:
        invalid(label, 'b.dtype == x.dtype', '%s != %s' % (b.dtype, x.dtype))
    if b.ndim != 1:
        invalid(label, 'b.ndim == 1', '%d != 1' % b.ndim)
    if b.shape[0] != n_out:
        invalid(label, 'b.shape[0] == %d' % n_out, '%d != %d' % (b.shape[0], n_out))


def _sum_bias_var(gy):
    c = gy.shape[1]
    s = _core.sum_to(gy, (1, c) + (1,) * (gy.ndim - 2))
    return _core.reshape(s, (c,))


def _sum_bias_array(gy):
    axes = (0,) + tuple(range(2, gy.ndim))
    return gy.sum(axis=axes, dtype=numpy.float32 if gy.dtype == numpy.float16
                  else gy.dtype).astype(gy.dtype, copy=False)


class ConvolutionND(_core.FunctionNode):
    """N-dimensional convolution (Chainer's ``ConvolutionND``; ``ndim=2`` is
    ``Convolution2DFunction``).

    Inputs ``x`` ``(N, C, *in)``, ``W`` ``(OC, C / groups, *k)`` and optionally ``b``
    ``(OC,)``; output ``(N, OC, *out)``.
    """

    def __init__(self, ndim, stride=1, pad=0, cover_all=False, dilate=1, groups=1,
                 _outs=None):
        self.ndim = int(ndim)
        self.stride, self.pad, self.dilate, self.groups = _params(
            self.ndim, stride, pad, dilate, groups, self.label)
        self.cover_all = bool(cover_all)
        self.col = None
        # Internal: the output size when this convolution is the gradient of a
        # deconvolution whose outsize needed cover_all on some axes only.
        self._outs = None if _outs is None else tuple(_outs)

    @property
    def label(self):
        return 'Convolution2DFunction' if getattr(self, 'ndim', 2) == 2 else 'ConvolutionND'

    def _check(self, inputs):
        label = self.label
        check_n_inputs(label, inputs, 2, 3)
        x, W = inputs[0], inputs[1]
        check_float(label, 'x', x)
        check_float(label, 'W', W)
        nd = self.ndim
        if x.ndim != nd + 2:
            invalid(label, 'x.ndim == %d' % (nd + 2), '%d != %d' % (x.ndim, nd + 2))
        if W.ndim != nd + 2:
            invalid(label, 'W.ndim == %d' % (nd + 2), '%d != %d' % (W.ndim, nd + 2))
        g = self.groups
        if x.shape[1] != W.shape[1] * g:
            invalid(label, 'x.shape[1] == W.shape[1] * groups',
                    '%d != %d * %d' % (x.shape[1], W.shape[1], g))
        if W.shape[0] % g:
            invalid(label, 'W.shape[0] %% groups == 0', '%d %% %d != 0' % (W.shape[0], g))
        if len(inputs) == 3:
            _check_bias(label, inputs[2], x, W.shape[0])
        outs = _im2col.out_dims(x.shape[2:], W.shape[2:], self.stride, self.pad,
                                self.cover_all, self.dilate)
        if self._outs is not None:
            outs = self._outs
        if any(o <= 0 for o in outs):
            invalid(label, 'output size > 0 (input %s, kernel %s)'
                    % (tuple(x.shape[2:]), tuple(W.shape[2:])), 'output size %s' % (outs,))

    def forward(self, inputs):
        self._check(inputs)
        x, W = inputs[0], inputs[1]
        b = inputs[2] if len(inputs) == 3 else None
        self.retain_inputs((0, 1))
        y, self.col = _conv_ops.conv_forward(x, W, b, self.stride, self.pad,
                                             self.cover_all, self.dilate, self.groups,
                                             self._outs)
        return y,

    def _take_col(self, x, outs):
        col = self.col
        self.col = None
        if col is None:
            col = _im2col.im2col(x, tuple(self.inputs[1].shape[2:]), self.stride,
                                 self.pad, self.cover_all, self.dilate, outs, cn=True)
        return col

    def backward_array(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        x = self.inputs[0].data
        W = self.inputs[1].data
        # gy as an (OC, N * P) matrix serves all three gradients: transpose it once
        gyt = None
        if type(gy) is numpy.ndarray and (len(indexes) > 1 or 2 in indexes) and (
                0 in indexes or not _conv_ops.per_image_grad_w(gy, W, self.groups)):
            gyt = _conv_ops.gy_t(gy, work_dtype(gy.dtype))
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(_conv_ops.conv_transpose(gy, W, self.stride, self.pad,
                                                    self.dilate, self.groups, x.shape[2:],
                                                    gyt))
            elif i == 1:
                col = self._take_col(x, tuple(gy.shape[2:]))
                ret.append(_conv_ops.conv_grad_w(col, gy, self.groups, W.dtype, gyt))
                col = None
            elif gyt is not None:
                # row sums of the contiguous (OC, N * P) matrix, in the work dtype
                ret.append(gyt.sum(axis=1).astype(gy.dtype, copy=False))
            else:
                ret.append(_sum_bias_array(gy))
        return tuple(ret)

    def backward(self, indexes, grad_outputs):
        x, W = self.get_retained_inputs()
        gy, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                f = DeconvolutionND(self.ndim, self.stride, self.pad,
                                    tuple(x.shape[2:]), self.dilate, self.groups)
                ret.append(f.apply((gy, W))[0])
            elif i == 1:
                f = ConvolutionNDGradW(self.ndim, tuple(W.shape[2:]), W.dtype,
                                       self.stride, self.pad, self.cover_all,
                                       self.dilate, self.groups)
                f.col = self.col
                ret.append(f.apply((x, gy))[0])
            else:
                ret.append(_sum_bias_var(gy))
        return tuple(ret)


class DeconvolutionND(_core.FunctionNode):
    """N-dimensional transposed convolution (Chainer's ``DeconvolutionND``; ``ndim=2``
    is ``Deconvolution2DFunction``).

    Inputs ``x`` ``(N, C, *in)``, ``W`` ``(C, OC / groups, *k)`` and optionally ``b``
    ``(OC,)``; output ``(N, OC, *outsize)``.
    """

    def __init__(self, ndim, stride=1, pad=0, outsize=None, dilate=1, groups=1):
        self.ndim = int(ndim)
        self.stride, self.pad, self.dilate, self.groups = _params(
            self.ndim, stride, pad, dilate, groups, self.label)
        if outsize is not None:
            outsize = _im2col.as_tuple(outsize, self.ndim, 'outsize', self.label)
        self.outsize = outsize
        self.cover_all = False

    @property
    def label(self):
        return ('Deconvolution2DFunction' if getattr(self, 'ndim', 2) == 2
                else 'DeconvolutionND')

    def _check(self, inputs):
        label = self.label
        check_n_inputs(label, inputs, 2, 3)
        x, W = inputs[0], inputs[1]
        check_float(label, 'x', x)
        check_float(label, 'W', W)
        nd = self.ndim
        if x.ndim != nd + 2:
            invalid(label, 'x.ndim == %d' % (nd + 2), '%d != %d' % (x.ndim, nd + 2))
        if W.ndim != nd + 2:
            invalid(label, 'W.ndim == %d' % (nd + 2), '%d != %d' % (W.ndim, nd + 2))
        if x.shape[1] != W.shape[0]:
            invalid(label, 'x.shape[1] == W.shape[0]', '%d != %d' % (x.shape[1], W.shape[0]))
        g = self.groups
        if W.shape[0] % g:
            invalid(label, 'W.shape[0] %% groups == 0', '%d %% %d != 0' % (W.shape[0], g))
        if len(inputs) == 3:
            _check_bias(label, inputs[2], x, W.shape[1] * g)
        ks = W.shape[2:]
        if self.outsize is None:
            outs = tuple(conv.get_deconv_outsize(a, k, s, p, d=dl) for a, k, s, p, dl in
                         zip(x.shape[2:], ks, self.stride, self.pad, self.dilate))
            if any(o <= 0 for o in outs):
                invalid_outsize(label, outs)
            return outs, False
        outs = self.outsize
        cover_all = False
        for i in range(nd):
            lo = conv.get_conv_outsize(outs[i], ks[i], self.stride[i], self.pad[i],
                                       d=self.dilate[i])
            hi = conv.get_conv_outsize(outs[i], ks[i], self.stride[i], self.pad[i],
                                       cover_all=True, d=self.dilate[i])
            if not lo <= x.shape[2 + i] <= hi:
                invalid(label, '%d <= x.shape[%d] <= %d (for outsize %s)'
                        % (lo, 2 + i, hi, outs), 'x.shape[%d] == %d' % (2 + i, x.shape[2 + i]))
            if x.shape[2 + i] != lo:
                cover_all = True
        if any(o <= 0 for o in outs):
            invalid(label, 'outsize > 0', 'outsize == %s' % (outs,))
        return outs, cover_all

    def forward(self, inputs):
        outs, self.cover_all = self._check(inputs)
        x, W = inputs[0], inputs[1]
        b = inputs[2] if len(inputs) == 3 else None
        self.retain_inputs((0, 1))
        y = _conv_ops.conv_transpose(x, W, self.stride, self.pad, self.dilate,
                                     self.groups, outs)
        if b is not None:
            y += b.reshape((1, b.shape[0]) + (1,) * self.ndim)
        return y,

    def backward_array(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        x = self.inputs[0].data
        W = self.inputs[1].data
        ret = []
        col = None
        for i in indexes:
            if i == 0:
                gx, col = _conv_ops.conv_forward(gy, W, None, self.stride, self.pad,
                                                 self.cover_all, self.dilate, self.groups,
                                                 tuple(x.shape[2:]))
                ret.append(gx)
            elif i == 1:
                if col is None:
                    col = _im2col.im2col(gy, tuple(W.shape[2:]), self.stride, self.pad,
                                         self.cover_all, self.dilate, tuple(x.shape[2:]),
                                         cn=True)
                ret.append(_conv_ops.conv_grad_w(col, x, self.groups, W.dtype))
            else:
                ret.append(_sum_bias_array(gy))
        return tuple(ret)

    def backward(self, indexes, grad_outputs):
        x, W = self.get_retained_inputs()
        gy, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                f = ConvolutionND(self.ndim, self.stride, self.pad, self.cover_all,
                                  self.dilate, self.groups, tuple(x.shape[2:]))
                ret.append(f.apply((gy, W))[0])
            elif i == 1:
                f = ConvolutionNDGradW(self.ndim, tuple(W.shape[2:]), W.dtype,
                                       self.stride, self.pad, self.cover_all,
                                       self.dilate, self.groups)
                ret.append(f.apply((gy, x))[0])
            else:
                ret.append(_sum_bias_var(gy))
        return tuple(ret)


class ConvolutionNDGradW(_core.FunctionNode):
    """Weight gradient of :class:`ConvolutionND`: ``(x, gy) -> gW``."""

    def __init__(self, ndim, ksize, w_dtype, stride, pad, cover_all, dilate, groups):
        self.ndim = ndim
        self.ksize = tuple(ksize)
        self.w_dtype = numpy.dtype(w_dtype)
        self.stride = stride
        self.pad = pad
        self.cover_all = cover_all
        self.dilate = dilate
        self.groups = groups
        self.col = None

    @property
    def label(self):
        return 'Convolution2DGradW' if self.ndim == 2 else 'ConvolutionNDGradW'

    def forward(self, inputs):
        x, gy = inputs
        self.retain_inputs((0, 1))
        col = self.col
        self.col = None
        if col is None:
            col = _im2col.im2col(x, self.ksize, self.stride, self.pad, self.cover_all,
                                 self.dilate, tuple(gy.shape[2:]), cn=True)
        return _conv_ops.conv_grad_w(col, gy, self.groups, self.w_dtype),

    def backward_array(self, indexes, grad_outputs):
        ggW = grad_outputs[0]
        x = self.inputs[0].data
        gy = self.inputs[1].data
        ret = []
        for i in indexes:
            if i == 0:
                r = _conv_ops.conv_transpose(gy, ggW, self.stride, self.pad, self.dilate,
                                             self.groups, x.shape[2:])
                ret.append(r.astype(x.dtype, copy=False))
            else:
                r = _conv_ops.conv_forward(x, ggW, None, self.stride, self.pad,
                                           self.cover_all, self.dilate, self.groups,
                                           tuple(gy.shape[2:]))[0]
                ret.append(r.astype(gy.dtype, copy=False))
        return tuple(ret)

    def backward(self, indexes, grad_outputs):
        x, gy = self.get_retained_inputs()
        ggW, = grad_outputs
        if ggW.dtype != x.dtype:
            ggW = _Cast(x.dtype).apply((ggW,))[0]
        ret = []
        for i in indexes:
            if i == 0:
                f = DeconvolutionND(self.ndim, self.stride, self.pad, tuple(x.shape[2:]),
                                    self.dilate, self.groups)
                ret.append(f.apply((gy, ggW))[0])
            else:
                f = ConvolutionND(self.ndim, self.stride, self.pad, self.cover_all,
                                  self.dilate, self.groups, tuple(gy.shape[2:]))
                ret.append(f.apply((x, ggW))[0])
        return tuple(ret)


class _Cast(_core.FunctionNode):
    """Cast to ``dtype`` (the gradient casts back); used when W and x differ in dtype."""

    def __init__(self, dtype):
        self.dtype = numpy.dtype(dtype)

    def forward(self, inputs):
        x, = inputs
        self._in_dtype = x.dtype
        return x.astype(self.dtype),

    def backward(self, indexes, grad_outputs):
        return _Cast(self._in_dtype).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return grad_outputs[0].astype(self._in_dtype),
