"""Converters of kusari.functions.activation."""
import math

import numpy

from kusari.onnx.converters._util import FN, param_shape
from kusari.onnx.registry import register

A = FN + 'activation.'


def _simple(op, **attrs):
    def conv(ctx, node, inputs, outputs):
        ctx.op(op, inputs[:1], outputs=outputs, **attrs)
    return conv


for _key, _op, _name in [('relu.ReLU', 'Relu', 'relu'),
                         ('sigmoid.Sigmoid', 'Sigmoid', 'sigmoid'),
                         ('tanh.Tanh', 'Tanh', 'tanh'),
                         ('softsign.Softsign', 'Softsign', 'softsign')]:
    register(A + _key, [_op], name=_name)(_simple(_op))


@register(A + 'hard_swish.HardSwish', ['HardSwish (opset 14+)', 'HardSigmoid', 'Mul'],
          name='hard_swish')
def hard_swish(ctx, node, inputs, outputs):
    if ctx.opset >= 14:
        ctx.op('HardSwish', inputs, outputs=outputs)
        return
    s = ctx.op('HardSigmoid', inputs, alpha=1.0 / 6, beta=0.5)
    ctx.op('Mul', [inputs[0], s], outputs=outputs)


@register(A + 'hard_sigmoid.HardSigmoid', ['HardSigmoid'], name='hard_sigmoid')
def hard_sigmoid(ctx, node, inputs, outputs):
    ctx.op('HardSigmoid', inputs, outputs=outputs, alpha=0.2, beta=0.5)


@register(A + 'softmax.Softmax', ['Softmax'], name='softmax')
def softmax(ctx, node, inputs, outputs):
    ctx.op('Softmax', inputs, outputs=outputs, axis=int(node.axis))


@register(A + 'log_softmax.LogSoftmax', ['LogSoftmax'], name='log_softmax')
def log_softmax(ctx, node, inputs, outputs):
    ctx.op('LogSoftmax', inputs, outputs=outputs, axis=int(node.axis))


@register(A + 'leaky_relu.LeakyReLU', ['LeakyRelu'], name='leaky_relu')
def leaky_relu(ctx, node, inputs, outputs):
    ctx.op('LeakyRelu', inputs, outputs=outputs, alpha=float(node.slope))


@register(A + 'elu.ELU', ['Elu'], name='elu')
def elu(ctx, node, inputs, outputs):
    ctx.op('Elu', inputs, outputs=outputs, alpha=float(node.alpha))


@register(A + 'clipped_relu.ClippedReLU', ['Clip'], name='clipped_relu / relu6')
def clipped_relu(ctx, node, inputs, outputs):
    ctx.op('Clip', [inputs[0], ctx.scalar(0.0), ctx.scalar(node.cap)], outputs=outputs)


@register(A + 'softplus.Softplus', ['Softplus', 'Mul', 'Div'], name='softplus')
def softplus(ctx, node, inputs, outputs):
    beta = float(node.beta)
    if beta == 1.0:
        ctx.op('Softplus', inputs, outputs=outputs)
        return
    b = ctx.scalar(beta)
    y = ctx.op('Softplus', [ctx.op('Mul', [inputs[0], b])])
    ctx.op('Div', [y, b], outputs=outputs)


@register(A + 'gelu.GELU', ['Gelu (opset 20+)', 'Erf', 'Mul', 'Add'], name='gelu')
def gelu(ctx, node, inputs, outputs):
    if ctx.opset >= 20:
        ctx.op('Gelu', inputs, outputs=outputs)
        return
    x = inputs[0]
    e = ctx.op('Erf', [ctx.op('Mul', [x, ctx.scalar(1 / math.sqrt(2))])])
    h = ctx.op('Mul', [x, ctx.op('Add', [e, ctx.scalar(1.0)])])
    ctx.op('Mul', [h, ctx.scalar(0.5)], outputs=outputs)


@register(A + 'gelu.GELUTanh', ['Gelu (opset 20+)', 'Tanh', 'Mul', 'Add'],
          name='gelu (approximate="tanh")')
def gelu_tanh(ctx, node, inputs, outputs):
    if ctx.opset >= 20:
        ctx.op('Gelu', inputs, outputs=outputs, approximate='tanh')
        return
    x = inputs[0]
    x3 = ctx.op('Mul', [ctx.op('Mul', [x, x]), x])
    inner = ctx.op('Add', [x, ctx.op('Mul', [x3, ctx.scalar(0.044715)])])
    t = ctx.op('Tanh', [ctx.op('Mul', [inner, ctx.scalar(math.sqrt(2 / math.pi))])])
    h = ctx.op('Mul', [x, ctx.op('Add', [t, ctx.scalar(1.0)])])
    ctx.op('Mul', [h, ctx.scalar(0.5)], outputs=outputs)


@register(A + 'silu.SiLU', ['Sigmoid', 'Mul'], name='silu')
def silu(ctx, node, inputs, outputs):
    ctx.op('Mul', [inputs[0], ctx.op('Sigmoid', inputs)], outputs=outputs)


@register(A + 'swish.Swish', ['Mul', 'Sigmoid', 'Reshape'], name='swish')
def swish(ctx, node, inputs, outputs):
    beta = ctx.reshape(inputs[1], param_shape(ctx, 1))
    s = ctx.op('Sigmoid', [ctx.op('Mul', [inputs[0], beta])])
    ctx.op('Mul', [inputs[0], s], outputs=outputs)


@register(A + 'mish.Mish', ['Mish (opset 18+)', 'Softplus', 'Tanh', 'Mul'], name='mish')
def mish(ctx, node, inputs, outputs):
    if ctx.opset >= 18:
        ctx.op('Mish', inputs, outputs=outputs)
        return
    t = ctx.op('Tanh', [ctx.op('Softplus', inputs)])
    ctx.op('Mul', [inputs[0], t], outputs=outputs)


@register(A + 'log_sigmoid.LogSigmoid', ['Neg', 'Softplus'], name='log_sigmoid')
def log_sigmoid(ctx, node, inputs, outputs):
    ctx.op('Neg', [ctx.op('Softplus', [ctx.op('Neg', inputs)])], outputs=outputs)


@register(A + 'prelu.PReLUFunction', ['PRelu', 'Reshape'], name='prelu')
def prelu(ctx, node, inputs, outputs):
    w = ctx.reshape(inputs[1], param_shape(ctx, 1)[1:])
    ctx.op('PRelu', [inputs[0], w], outputs=outputs)


@register(A + 'crelu.CReLU', ['Relu', 'Neg', 'Concat'], name='crelu')
def crelu(ctx, node, inputs, outputs):
    a = ctx.op('Relu', inputs)
    b = ctx.op('Relu', [ctx.op('Neg', inputs)])
    ctx.op('Concat', [a, b], outputs=outputs, axis=int(node.axis))


@register(A + 'rrelu.RReLU', ['Where', 'Mul', 'GreaterOrEqual'], name='rrelu')
def rrelu(ctx, node, inputs, outputs):
    # the slopes kusari drew for this call are exported as they were
    r = ctx.const(numpy.asarray(node.r, dtype=ctx.in_dtypes[0]))
    x = inputs[0]
    pos = ctx.op('GreaterOrEqual', [x, ctx.scalar(0.0)])
    ctx.op('Where', [pos, x, ctx.op('Mul', [x, r])], outputs=outputs)


@register(A + 'maxout._MaxOverAxis', ['ReduceMax'], name='maxout')
def max_over_axis(ctx, node, inputs, outputs):
    n_in, n_out = ctx.in_shapes[0], ctx.out_shapes[0]
    axis = next((i for i in range(len(n_in))
                 if i >= len(n_out) or n_in[i] != n_out[i]), len(n_in) - 1)
    y = ctx.reduce('ReduceMax', inputs[0], [axis], keepdims=False)
    ctx.op('Identity', [y], outputs=outputs)
