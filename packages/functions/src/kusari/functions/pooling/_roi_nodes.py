"""Function nodes of the ROI poolings and aligns.

One node class per public function; all share :class:`_ROIBase`.  The gradient with
respect to ``x`` is linear in the output gradient (the argmax is fixed by the
forward pass), so it is computed by :class:`_ROIAdjoint`, whose own gradient is the
forward map with that argmax (:class:`_ROILinear`): gradients of any order work.
No gradient flows to the ROI coordinates or indices (as in Chainer).
"""
import numbers

import numpy

from kusari import backend
from kusari import function_node
from kusari.functions.pooling import _roi_impl
from kusari.utils import type_check


def _outsize(label, outsize):
    if isinstance(outsize, numbers.Integral):
        outh = outw = outsize
    else:
        try:
            outh, outw = outsize
        except (TypeError, ValueError):
            raise TypeError('%s: outsize must be an int or a pair of ints, got %r'
                            % (label, outsize)) from None
    for v in (outh, outw):
        if not (isinstance(v, numbers.Integral) and v > 0):
            raise TypeError('%s: outsize must be positive integers, got %r'
                            % (label, outsize))
    return int(outh), int(outw)


def _spatial_scale(label, spatial_scale):
    if isinstance(spatial_scale, numbers.Integral):
        spatial_scale = float(spatial_scale)
    if not (isinstance(spatial_scale, numbers.Real) and spatial_scale > 0):
        raise TypeError('%s: spatial_scale must be a positive float, got %r'
                        % (label, spatial_scale))
    return float(spatial_scale)


def _sampling_ratio(label, sampling_ratio):
    if sampling_ratio is None or isinstance(sampling_ratio, numbers.Integral):
        sr = (sampling_ratio, sampling_ratio)
    else:
        try:
            sr = tuple(sampling_ratio)
        except TypeError:
            sr = ()
    if len(sr) != 2 or not all(s is None or (isinstance(s, numbers.Integral) and s >= 1)
                               for s in sr):
        raise TypeError('%s: sampling_ratio must be None, an integer >= 1 or a pair of '
                        'them, got %r' % (label, sampling_ratio))
    return tuple(None if s is None else int(s) for s in sr)


class _ROIBase(function_node.FunctionNode):
    legacy = False   # rois of shape (R, 5) with the batch index in column 0
    align = False
    is_max = False
    sampling_ratio = (None, None)

    def check_type_forward(self, in_types):
        if self.legacy:
            type_check._argname(in_types, ('x', 'rois'))
        else:
            type_check._argname(in_types, ('x', 'rois', 'roi_indices'))
        x_type, roi_type = in_types[:2]
        type_check.expect(
            x_type.dtype.kind == 'f',
            x_type.ndim == 4,
            roi_type.dtype == x_type.dtype,
            roi_type.ndim == 2,
            roi_type.shape[1] == (5 if self.legacy else 4),
        )
        if not self.legacy:
            idx_type = in_types[2]
            type_check.expect(
                idx_type.dtype == numpy.int32,
                idx_type.ndim == 1,
                roi_type.shape[0] == idx_type.shape[0],
            )

    def _prepare(self, inputs):
        x, rois = inputs[:2]
        xp = backend.get_array_module(x)
        if not bool(xp.isfinite(rois).all()):
            raise ValueError('%s: ROI coordinates must be finite' % self.label)
        if self.legacy:
            bidx = rois[:, 0].astype(numpy.int32)
        else:
            bidx = inputs[2]
        bidx = xp.ascontiguousarray(bidx.astype(numpy.int32, copy=False))
        if bidx.size and (int(bidx.min()) < 0 or int(bidx.max()) >= x.shape[0]):
            raise ValueError('%s: ROI batch indices must be in [0, %d), got values in '
                             '[%d, %d]' % (self.label, x.shape[0], int(bidx.min()),
                                           int(bidx.max())))
        if self.align:
            box = _roi_impl.align_boxes(xp, rois, self.spatial_scale)
        else:
            box = _roi_impl.pool_boxes(xp, rois, self.spatial_scale, self.legacy)
        return bidx, box

    def forward(self, inputs):
        x = inputs[0]
        self._x_shape = x.shape
        self._bidx, self._box = self._prepare(inputs)
        self._argmax = self._linear(x, initial=True)
        return self._y,

    def _linear(self, x, initial=False):
        """The forward map (with the recorded argmax unless ``initial``)."""
        if self.align:
            if initial:
                mode = 1 if self.is_max else 0
                y, argmax = _roi_impl.align_forward(
                    x, self._box, self._bidx, self.outh, self.outw,
                    self.sampling_ratio, mode)
            else:
                mode = 2 if self.is_max else 0
                y, argmax = _roi_impl.align_forward(
                    x, self._box, self._bidx, self.outh, self.outw,
                    self.sampling_ratio, mode, self._argmax if self.is_max else None)
        else:
            if initial or not self.is_max:
                y, argmax = _roi_impl.pool_forward(x, self._bidx, self._box, self.outh,
                                                   self.outw, self.is_max)
            else:
                y, argmax = _roi_impl.pool_gather(x, self._bidx, self._argmax), None
        if initial:
            self._y = y
            return argmax
        return y

    def _adjoint(self, gy):
        if self.align:
            return _roi_impl.align_backward(gy, self._box, self._bidx,
                                            self.sampling_ratio, self.is_max,
                                            self._argmax, self._x_shape)
        return _roi_impl.pool_backward(gy, self._bidx, self._box, self.is_max,
                                       self._argmax, self._x_shape)

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        gx = self._adjoint(gy) if 0 in indexes else None
        return (gx,) + (None,) * (len(self.inputs) - 1)

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        gx = _ROIAdjoint(self).apply((gy,))[0] if 0 in indexes else None
        return (gx,) + (None,) * (len(self.inputs) - 1)


class _ROIAdjoint(function_node.FunctionNode):
    """``gx`` from ``gy`` for a fixed ROI node (linear)."""

    def __init__(self, node):
        self.node = node

    @property
    def label(self):
        return self.node.label + 'Grad'

    def forward(self, inputs):
        return self.node._adjoint(inputs[0]),

    def backward_array(self, indexes, grad_outputs):
        return self.node._linear(grad_outputs[0]),

    def backward(self, indexes, grad_outputs):
        return _ROILinear(self.node).apply(grad_outputs)


class _ROILinear(function_node.FunctionNode):
    """The forward map of a ROI node with its argmax fixed (linear)."""

    def __init__(self, node):
        self.node = node

    @property
    def label(self):
        return self.node.label

    def forward(self, inputs):
        return self.node._linear(inputs[0]),

    def backward_array(self, indexes, grad_outputs):
        return self.node._adjoint(grad_outputs[0]),

    def backward(self, indexes, grad_outputs):
        return _ROIAdjoint(self.node).apply(grad_outputs)


class ROIPooling2D(_ROIBase):
    """ROI max pooling with ``(batch, x_min, y_min, x_max, y_max)`` rois."""
    legacy = True
    is_max = True

    def __init__(self, outh, outw, spatial_scale):
        self.outh, self.outw = _outsize('roi_pooling_2d', (outh, outw))
        self.spatial_scale = _spatial_scale('roi_pooling_2d', spatial_scale)


class ROIMaxPooling2D(_ROIBase):
    """ROI max pooling (see :func:`roi_max_pooling_2d`)."""
    is_max = True

    def __init__(self, outsize, spatial_scale):
        self.outh, self.outw = _outsize('roi_max_pooling_2d', outsize)
        self.spatial_scale = _spatial_scale('roi_max_pooling_2d', spatial_scale)


class ROIAveragePooling2D(_ROIBase):
    """ROI average pooling (see :func:`roi_average_pooling_2d`)."""

    def __init__(self, outsize, spatial_scale):
        self.outh, self.outw = _outsize('roi_average_pooling_2d', outsize)
        self.spatial_scale = _spatial_scale('roi_average_pooling_2d', spatial_scale)


class ROIMaxAlign2D(_ROIBase):
    """ROI max align (see :func:`roi_max_align_2d`)."""
    align = True
    is_max = True

    def __init__(self, outsize, spatial_scale, sampling_ratio=None):
        self.outh, self.outw = _outsize('roi_max_align_2d', outsize)
        self.spatial_scale = _spatial_scale('roi_max_align_2d', spatial_scale)
        self.sampling_ratio = _sampling_ratio('roi_max_align_2d', sampling_ratio)


class ROIAverageAlign2D(_ROIBase):
    """ROI average align (see :func:`roi_average_align_2d`)."""
    align = True

    def __init__(self, outsize, spatial_scale, sampling_ratio=None):
        self.outh, self.outw = _outsize('roi_average_align_2d', outsize)
        self.spatial_scale = _spatial_scale('roi_average_align_2d', spatial_scale)
        self.sampling_ratio = _sampling_ratio('roi_average_align_2d', sampling_ratio)
