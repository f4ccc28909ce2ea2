"""Converters of kusari.functions.pooling."""
from kusari.onnx.converters._util import FN, conv_pads
from kusari.onnx.errors import ExportError
from kusari.onnx.registry import register

P = FN + 'pooling.'


def _geom(ctx, node):
    nd = len(ctx.in_shapes[0]) - 2
    k = _tup(node.ksize, nd)
    s = _tup(node.stride if node.stride is not None else node.ksize, nd)
    p = _tup(node.pad, nd)
    pads = conv_pads(ctx.in_shapes[0][2:], ctx.out_shapes[0][2:], k, s, p)
    return k, s, pads


@register([P + '_pool_nodes.MaxPoolingND', P + 'max_pooling_2d.MaxPooling2D'],
          ['MaxPool'], name='max_pooling_nd / max_pooling_2d')
def max_pooling(ctx, node, inputs, outputs):
    k, s, pads = _geom(ctx, node)
    ctx.op('MaxPool', inputs[:1], outputs=outputs[:1], kernel_shape=k, strides=s,
           pads=pads)


@register([P + '_pool_nodes.AveragePoolingND', P + 'average_pooling_2d.AveragePooling2D'],
          ['AveragePool'], name='average_pooling_nd / average_pooling_2d')
def average_pooling(ctx, node, inputs, outputs):
    k, s, pads = _geom(ctx, node)
    include = 0 if getattr(node, 'pad_value', 0) is None else 1
    ctx.op('AveragePool', inputs, outputs=outputs, kernel_shape=k, strides=s, pads=pads,
           count_include_pad=include)


@register([P + '_pool_nodes.UnpoolingND', P + 'unpooling_2d.Unpooling2D'],
          ['Resize'], name='unpooling_nd / unpooling_2d')
def unpooling(ctx, node, inputs, outputs):
    nd = len(ctx.in_shapes[0]) - 2
    k, s, p = _tup(node.ksize, nd), _tup(node.stride, nd), _tup(node.pad, nd)
    out = ctx.out_shapes[0][2:]
    if k != s or any(p) or any(o != i * kk for o, i, kk in
                               zip(out, ctx.in_shapes[0][2:], k)):
        raise ExportError('kusari.onnx.export: unpooling with ksize != stride, padding '
                          'or cover_all has no ONNX equivalent')
    scales = ctx.const([1.0, 1.0] + [float(kk) for kk in k])
    ctx.op('Resize', [inputs[0], '', scales], outputs=outputs, mode='nearest',
           coordinate_transformation_mode='asymmetric', nearest_mode='floor')


def _tup(v, n):
    return [int(a) for a in v] if isinstance(v, (tuple, list)) else [int(v)] * n


@register(P + '_roi_nodes.ROIPooling2D', ['MaxRoiPool'], name='roi_pooling_2d',
          opset=(13, 21))
def roi_pooling_2d(ctx, node, inputs, outputs):
    # ONNX Runtime implements MaxRoiPool-1 only: opset 22 (MaxRoiPool-22) has no kernel
    # Chainer's rois are (R, 5): batch index, x_min, y_min, x_max, y_max; so are ONNX's
    rois = inputs[1]
    if ctx.in_dtypes[1] != ctx.in_dtypes[0]:
        rois = ctx.cast_like(rois, ctx.in_dtypes[0])
    ctx.op('MaxRoiPool', [inputs[0], rois], outputs=outputs,
           pooled_shape=[int(node.outh), int(node.outw)],
           spatial_scale=float(node.spatial_scale))
