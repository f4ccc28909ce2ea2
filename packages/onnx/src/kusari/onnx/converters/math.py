"""Converters of kusari.functions.math."""
import numpy

from kusari.onnx.converters._util import FN
from kusari.onnx.registry import register

M = FN + 'math.'


def _unary(*ops):
    def conv(ctx, node, inputs, outputs):
        y = inputs[0]
        for op in ops[:-1]:
            y = ctx.op(op, [y])
        ctx.op(ops[-1], [y], outputs=outputs)
    return conv


for _key, _ops, _name in [
        ('exponential.Exp', ['Exp'], 'exp'),
        ('exponential.Log', ['Log'], 'log'),
        ('basic_elementwise.Sqrt', ['Sqrt'], 'sqrt'),
        ('basic_elementwise.Rsqrt', ['Sqrt', 'Reciprocal'], 'rsqrt'),
        ('basic_elementwise.Absolute', ['Abs'], 'absolute'),
        ('basic_elementwise.Identity', ['Identity'], 'identity'),
        ('trigonometric.Sin', ['Sin'], 'sin'), ('trigonometric.Cos', ['Cos'], 'cos'),
        ('trigonometric.Tan', ['Tan'], 'tan'), ('trigonometric.Arcsin', ['Asin'], 'arcsin'),
        ('trigonometric.Arccos', ['Acos'], 'arccos'),
        ('trigonometric.Arctan', ['Atan'], 'arctan'),
        ('hyperbolic.Sinh', ['Sinh'], 'sinh'), ('hyperbolic.Cosh', ['Cosh'], 'cosh'),
        ('hyperbolic.Arctanh', ['Atanh'], 'arctanh'),
        ('special.Erf', ['Erf'], 'erf')]:
    register(M + _key, _ops, name=_name)(_unary(*_ops))


@register(M + 'basic_elementwise.Square', ['Mul'], name='square')
def square(ctx, node, inputs, outputs):
    ctx.op('Mul', [inputs[0], inputs[0]], outputs=outputs)


@register(M + 'basic_elementwise.SquaredDifference', ['Sub', 'Mul'],
          name='squared_difference')
def squared_difference(ctx, node, inputs, outputs):
    d = ctx.op('Sub', inputs)
    ctx.op('Mul', [d, d], outputs=outputs)


@register(M + 'basic_elementwise.MultiAdd', ['Sum'], name='add (several)')
def multi_add(ctx, node, inputs, outputs):
    ctx.op('Sum', inputs, outputs=outputs)


@register(M + 'basic_elementwise.Fmod', ['Mod'], name='fmod')
def fmod(ctx, node, inputs, outputs):
    ctx.op('Mod', inputs, outputs=outputs, fmod=1)


@register(M + 'exponential.Log2', ['Log', 'Div'], name='log2')
def log2(ctx, node, inputs, outputs):
    ctx.op('Div', [ctx.op('Log', inputs), ctx.scalar(numpy.log(2.0))], outputs=outputs)


@register(M + 'exponential.Log10', ['Log', 'Div'], name='log10')
def log10(ctx, node, inputs, outputs):
    ctx.op('Div', [ctx.op('Log', inputs), ctx.scalar(numpy.log(10.0))], outputs=outputs)


@register(M + 'exponential.Log1p', ['Add', 'Log'], name='log1p')
def log1p(ctx, node, inputs, outputs):
    ctx.op('Log', [ctx.op('Add', [inputs[0], ctx.scalar(1.0)])], outputs=outputs)


@register(M + 'exponential.Expm1', ['Exp', 'Sub'], name='expm1')
def expm1(ctx, node, inputs, outputs):
    ctx.op('Sub', [ctx.op('Exp', inputs), ctx.scalar(1.0)], outputs=outputs)


def _axes(node, ndim):
    axis = node.axis
    if axis is None:
        return list(range(ndim))
    if not isinstance(axis, (tuple, list)):
        axis = (axis,)
    return [int(a) % ndim for a in axis]


def _reduction(op):
    def conv(ctx, node, inputs, outputs):
        y = ctx.reduce(op, inputs[0], _axes(node, len(ctx.in_shapes[0])),
                       keepdims=bool(getattr(node, 'keepdims', False)))
        ctx.op('Identity', [y], outputs=outputs)
    return conv


for _key, _op, _name in [('sum.Sum', 'ReduceSum', 'sum'),
                         ('average.Mean', 'ReduceMean', 'mean / average'),
                         ('minmax.Max', 'ReduceMax', 'max'),
                         ('minmax.Min', 'ReduceMin', 'min'),
                         ('prod.Prod', 'ReduceProd', 'prod'),
                         ('logsumexp.LogSumExp', 'ReduceLogSumExp', 'logsumexp')]:
    register(M + _key, [_op], name=_name)(_reduction(_op))


def _arg(op):
    def conv(ctx, node, inputs, outputs):
        x = inputs[0]
        axis = node.axis
        if axis is None:
            x = ctx.reshape(x, [-1])
            axis = 0
        y = ctx.op(op, [x], axis=int(axis) % max(1, len(ctx.in_shapes[0])), keepdims=0)
        ctx.cast_like(y, ctx.out_dtypes[0])
        ctx.nodes[-1].output[0] = outputs[0]
    return conv


register(M + 'minmax.ArgMax', ['ArgMax', 'Cast'], name='argmax')(_arg('ArgMax'))
register(M + 'minmax.ArgMin', ['ArgMin', 'Cast'], name='argmin')(_arg('ArgMin'))


@register(M + 'minmax_elementwise.Clip', ['Clip'], name='clip')
def clip(ctx, node, inputs, outputs):
    lo = '' if node.x_min is None else ctx.scalar(node.x_min)
    hi = '' if node.x_max is None else ctx.scalar(node.x_max)
    ctx.op('Clip', [inputs[0], lo, hi], outputs=outputs)


@register(M + 'minmax_elementwise.Maximum', ['Max'], name='maximum')
def maximum(ctx, node, inputs, outputs):
    ctx.op('Max', inputs, outputs=outputs)


@register(M + 'minmax_elementwise.Minimum', ['Min'], name='minimum')
def minimum(ctx, node, inputs, outputs):
    ctx.op('Min', inputs, outputs=outputs)


@register(M + 'linear_interpolate.LinearInterpolate', ['Mul', 'Sub', 'Add'],
          name='linear_interpolate')
def linear_interpolate(ctx, node, inputs, outputs):
    p, x, y = inputs
    a = ctx.op('Mul', [p, ctx.op('Sub', [x, y])])
    ctx.op('Add', [a, y], outputs=outputs)


@register(M + 'batch_l2_norm_squared.BatchL2NormSquared', ['ReduceSumSquare'],
          name='batch_l2_norm_squared')
def batch_l2_norm_squared(ctx, node, inputs, outputs):
    n = len(ctx.in_shapes[0])
    y = ctx.reduce('ReduceSumSquare', inputs[0], list(range(1, n)), keepdims=False)
    ctx.op('Identity', [y], outputs=outputs)


@register(M + 'einsum.EinSum', ['Einsum'], name='einsum')
def einsum(ctx, node, inputs, outputs):
    eq = ','.join(node.in_subs) + '->' + node.out_sub
    ctx.op('Einsum', inputs, outputs=outputs, equation=eq)


@register(M + 'tensordot.TensorDot', ['Einsum'], name='tensordot')
def tensordot(ctx, node, inputs, outputs):
    na, nb = len(ctx.in_shapes[0]), len(ctx.in_shapes[1])
    letters = 'abcdefghijklmnopqrstuvwxyz'
    a = list(letters[:na])
    b = list(letters[na:na + nb])
    for i, j in zip(node.a_axes, node.b_axes):
        b[j % nb] = a[i % na]
    ca = [a[i % na] for i in node.a_axes]
    out = [c for c in a if c not in ca] + [c for c in b if c not in ca]
    eq = ''.join(a) + ',' + ''.join(b) + '->' + ''.join(out)
    ctx.op('Einsum', inputs, outputs=outputs, equation=eq)


@register(M + 'cumulative.Cumsum', ['CumSum'], name='cumsum')
def cumsum(ctx, node, inputs, outputs):
    axis = node.axis
    x = inputs[0]
    if axis is None:
        x = ctx.reshape(x, [-1])
        axis = 0
    ctx.op('CumSum', [x, ctx.const(numpy.asarray(int(axis), numpy.int64))],
           outputs=outputs, reverse=int(bool(getattr(node, 'reverse', False))))
