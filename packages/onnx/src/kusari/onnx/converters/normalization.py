"""Converters of kusari.functions.normalization.

``fixed_batch_normalization`` (what L.BatchNormalization runs with train=False),
``layer_normalization`` and ``group_normalization`` are compositions of core
functions in kusari and are exported through those converters.
"""
from kusari.onnx.converters._util import FN
from kusari.onnx.registry import register


@register(FN + 'normalization.batch_normalization.BatchNormalization',
          ['ReduceMean', 'Sub', 'Mul', 'Sqrt', 'Div', 'Add', 'Reshape'],
          name='batch_normalization (train=True)')
def batch_normalization(ctx, node, inputs, outputs):
    # batch statistics, computed in the graph (what train=True means)
    x_shape = ctx.in_shapes[0]
    g_shape = ctx.in_shapes[1]
    n = len(x_shape)
    if node.axis is None:
        axes = [0] + list(range(1 + len(g_shape), n))
    else:
        axes = [a % n for a in (node.axis if isinstance(node.axis, tuple)
                                else (node.axis,))]
    kept = [a for a in range(n) if a not in axes]
    bshape = [x_shape[a] if a in kept else 1 for a in range(n)]
    x = inputs[0]
    mean = ctx.reduce('ReduceMean', x, axes, keepdims=True)
    d = ctx.op('Sub', [x, mean])
    var = ctx.reduce('ReduceMean', ctx.op('Mul', [d, d]), axes, keepdims=True)
    std = ctx.op('Sqrt', [ctx.op('Add', [var, ctx.scalar(node.eps)])])
    gamma = ctx.reshape(inputs[1], bshape)
    beta = ctx.reshape(inputs[2], bshape)
    y = ctx.op('Mul', [ctx.op('Div', [d, std]), gamma])
    ctx.op('Add', [y, beta], outputs=outputs)


@register(FN + 'normalization.l2_normalization.NormalizeL2',
          ['ReduceSumSquare', 'Sqrt', 'Add', 'Div'], name='normalize')
def normalize(ctx, node, inputs, outputs):
    # y = x / (sqrt(sum(x * x, axis)) + eps), the norm kept for broadcasting
    n = len(ctx.in_shapes[0])
    axis = node.axis if isinstance(node.axis, tuple) else (node.axis,)
    axes = sorted(a % n for a in axis)
    sq = ctx.reduce('ReduceSumSquare', inputs[0], axes, keepdims=True)
    norm = ctx.op('Add', [ctx.op('Sqrt', [sq]), ctx.scalar(node.eps)])
    ctx.op('Div', [inputs[0], norm], outputs=outputs)
