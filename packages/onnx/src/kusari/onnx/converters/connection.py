"""Converters of kusari.functions.connection."""
import numpy

from kusari.onnx.converters._util import FN, conv_pads
from kusari.onnx.registry import register

K = FN + 'connection.'


@register(K + 'linear.LinearFunction', ['Gemm', 'MatMul', 'Transpose', 'Add'],
          name='linear')
def linear(ctx, node, inputs, outputs):
    if len(ctx.in_shapes[0]) == 2:
        ctx.op('Gemm', inputs, outputs=outputs, transB=1)
        return
    wt = ctx.op('Transpose', [inputs[1]], perm=[1, 0])
    if len(inputs) == 2:
        ctx.op('MatMul', [inputs[0], wt], outputs=outputs)
    else:
        ctx.op('Add', [ctx.op('MatMul', [inputs[0], wt]), inputs[2]], outputs=outputs)


@register([K + '_conv_nodes.ConvolutionND', K + 'convolution_2d.Convolution2DFunction'],
          ['Conv'], name='convolution_nd / convolution_2d / depthwise / dilated')
def convolution(ctx, node, inputs, outputs):
    x_shape, w_shape = ctx.in_shapes[0], ctx.in_shapes[1]
    k = list(w_shape[2:])
    nd = len(k)
    s = _tup(node.stride, nd)
    p = _tup(node.pad, nd)
    d = _tup(getattr(node, 'dilate', 1), nd)
    pads = conv_pads(x_shape[2:], ctx.out_shapes[0][2:], k, s, p, d)
    ctx.op('Conv', inputs, outputs=outputs, kernel_shape=k, strides=s, pads=pads,
           dilations=d, group=int(getattr(node, 'groups', 1)))


@register([K + '_conv_nodes.DeconvolutionND',
           K + 'deconvolution_2d.Deconvolution2DFunction'], ['ConvTranspose'],
          name='deconvolution_nd / deconvolution_2d')
def deconvolution(ctx, node, inputs, outputs):
    x_shape, w_shape = ctx.in_shapes[0], ctx.in_shapes[1]
    k = list(w_shape[2:])
    nd = len(k)
    s = _tup(node.stride, nd)
    p = _tup(node.pad, nd)
    d = _tup(getattr(node, 'dilate', 1), nd)
    out = ctx.out_shapes[0][2:]
    extra = [o - (ss * (n - 1) + dd * (kk - 1) + 1 - 2 * pp)
             for o, n, ss, kk, pp, dd in zip(out, x_shape[2:], s, k, p, d)]
    ctx.op('ConvTranspose', inputs, outputs=outputs, kernel_shape=k, strides=s,
           pads=p + p, dilations=d, output_padding=extra,
           group=int(getattr(node, 'groups', 1)))


@register(K + 'embed_id.EmbedIDFunction', ['Gather', 'Equal', 'Where'], name='embed_id')
def embed_id(ctx, node, inputs, outputs):
    x, w = inputs
    ignore = getattr(node, 'ignore_label', None)
    if ignore is None:
        ctx.op('Gather', [w, x], outputs=outputs, axis=0)
        return
    lab = ctx.const(numpy.asarray(ignore, dtype=ctx.in_dtypes[0]))
    hit = ctx.op('Equal', [x, lab])
    safe = ctx.op('Where', [hit, ctx.const(numpy.asarray(0, ctx.in_dtypes[0])), x])
    rows = ctx.op('Gather', [w, safe], axis=0)
    zero = ctx.const(numpy.asarray(0, dtype=ctx.in_dtypes[1]))
    ctx.op('Where', [ctx.unsqueeze(hit, [len(ctx.in_shapes[0])]), zero, rows],
           outputs=outputs)


def _tup(v, n):
    return [int(a) for a in v] if isinstance(v, (tuple, list)) else [int(v)] * n
