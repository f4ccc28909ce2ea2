"""Converter of kusari.functions.scaled_dot_product_attention (the unfused ONNX form:
Attention is an opset 23 operator and ONNX Runtime's kernels differ in detail)."""
import math

import numpy

from kusari.onnx.converters._util import FN
from kusari.onnx.errors import ExportError
from kusari.onnx.registry import register


@register(FN + 'attention.scaled_dot_product_attention.ScaledDotProductAttention',
          ['MatMul', 'Transpose', 'Mul', 'Where', 'Softmax'],
          name='scaled_dot_product_attention')
def sdpa(ctx, node, inputs, outputs):
    if getattr(node, 'ratio', 0.0):
        raise ExportError('kusari.onnx.export: scaled_dot_product_attention with '
                          'dropout_ratio > 0 (export with train=False)')
    q, k, v = inputs[:3]
    qs, ks = ctx.in_shapes[0], ctx.in_shapes[1]
    n = len(qs)
    scale = node.scale if node.scale is not None else 1.0 / math.sqrt(qs[-1])
    perm = list(range(n - 2)) + [n - 1, n - 2]
    s = ctx.op('MatMul', [q, ctx.op('Transpose', [k], perm=perm)])
    s = ctx.op('Mul', [s, ctx.scalar(scale)])
    mask = node.mask
    if node.is_causal:
        causal = numpy.tril(numpy.ones((qs[-2], ks[-2]), dtype=bool),
                            k=ks[-2] - qs[-2])
        mask = causal if mask is None else numpy.logical_and(mask, causal)
    if mask is not None:
        mask = numpy.asarray(mask)
        if mask.dtype == bool:
            neg = ctx.scalar(numpy.finfo(ctx.in_dtypes[0]).min)
            s = ctx.op('Where', [ctx.const(mask), s, neg])
        else:
            s = ctx.op('Add', [s, ctx.const(mask.astype(ctx.in_dtypes[0]))])
    p = ctx.op('Softmax', [s], axis=-1)
    ctx.op('MatMul', [p, v], outputs=outputs)
