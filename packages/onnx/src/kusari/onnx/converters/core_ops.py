"""Converters of the core's FunctionNodes (arithmetic, reshape, indexing, matmul)."""
import numpy

from kusari.onnx.converters._util import target_shape
from kusari.onnx.errors import ExportError
from kusari.onnx.registry import register

C = 'kusari._core.'
INT64_MAX = 2 ** 63 - 1
INT64_MIN = -2 ** 63


def _value(ctx, node):
    return ctx.const(numpy.asarray(node.value, dtype=ctx.in_dtypes[0]))


def _binary(op):
    def conv(ctx, node, inputs, outputs):
        ctx.op(op, inputs, outputs=outputs)
    return conv


for _cls, _op, _name in [('Add', 'Add', 'add (+)'), ('Sub', 'Sub', 'sub (-)'),
                         ('Mul', 'Mul', 'mul (*)'), ('Div', 'Div', 'div (/)'),
                         ('PowVarVar', 'Pow', 'pow (**)'), ('MatMul', 'MatMul', 'matmul'),
                         ('Neg', 'Neg', 'neg (-x)'), ('Absolute', 'Abs', 'absolute'),
                         ('Log', 'Log', 'log')]:
    register(C + _cls, [_op], name=_name)(_binary(_op))


@register(C + 'AddConstant', ['Add'], name='add (+ constant)')
def add_constant(ctx, node, inputs, outputs):
    ctx.op('Add', [inputs[0], _value(ctx, node)], outputs=outputs)


@register(C + 'SubFromConstant', ['Sub'], name='sub (constant -)')
def sub_from_constant(ctx, node, inputs, outputs):
    ctx.op('Sub', [_value(ctx, node), inputs[0]], outputs=outputs)


@register(C + 'MulConstant', ['Mul'], name='mul (* constant)')
def mul_constant(ctx, node, inputs, outputs):
    ctx.op('Mul', [inputs[0], _value(ctx, node)], outputs=outputs)


@register(C + 'DivFromConstant', ['Div'], name='div (constant /)')
def div_from_constant(ctx, node, inputs, outputs):
    ctx.op('Div', [_value(ctx, node), inputs[0]], outputs=outputs)


@register(C + 'PowVarConst', ['Pow'], name='pow (** constant)')
def pow_var_const(ctx, node, inputs, outputs):
    ctx.op('Pow', [inputs[0], _value(ctx, node)], outputs=outputs)


@register(C + 'PowConstVar', ['Pow'], name='pow (constant **)')
def pow_const_var(ctx, node, inputs, outputs):
    ctx.op('Pow', [_value(ctx, node), inputs[0]], outputs=outputs)


@register(C + 'Reshape', ['Reshape', 'Shape, Gather, Mul, Concat (several dynamic dims)'],
          name='reshape')
def reshape(ctx, node, inputs, outputs):
    if list(ctx.dyn_out_shapes[0]).count(-1) > 1:
        shape = ctx.runtime_shape(ctx.out_shapes[0], ctx.probe_out_shapes[0], 'reshape')
        ctx.op('Reshape', [inputs[0], shape], outputs=outputs)
        return
    ctx.reshape(inputs[0], target_shape(ctx, 'reshape'), out=outputs[0])


@register(C + 'Transpose', ['Transpose'], name='transpose')
def transpose(ctx, node, inputs, outputs):
    axes = node.axes
    n = len(ctx.in_shapes[0])
    perm = list(reversed(range(n))) if axes is None else [a % n for a in axes]
    ctx.op('Transpose', inputs, outputs=outputs, perm=perm)


def expand(ctx, x, in_shape, out_shape, dyn_shape, outputs, who, probe_shape=None):
    """Expand ``x`` to ``out_shape``; a dimension that follows a dynamic axis is taken
    from the input when ``x`` has it, else computed from the graph inputs' sizes."""
    lead = len(out_shape) - len(in_shape)
    need_runtime = any(d == -1 and (i - lead < 0 or in_shape[i - lead] != o)
                       for i, (o, d) in enumerate(zip(out_shape, dyn_shape)))
    if need_runtime:
        shape = ctx.runtime_shape(out_shape, probe_shape, who)
        return ctx.op('Expand', [x, shape], outputs=outputs)
    shape = [1 if d == -1 else o for o, d in zip(out_shape, dyn_shape)]
    return ctx.op('Expand', [x, ctx.ints(shape)], outputs=outputs)


@register(C + 'BroadcastTo', ['Expand'], name='broadcast_to')
def broadcast_to(ctx, node, inputs, outputs):
    expand(ctx, inputs[0], ctx.in_shapes[0], ctx.out_shapes[0], ctx.dyn_out_shapes[0],
           outputs, 'broadcast_to', ctx.probe_out_shapes[0])


@register(C + 'SumTo', ['ReduceSum', 'Squeeze'], name='sum_to')
def sum_to(ctx, node, inputs, outputs):
    src, dst = ctx.in_shapes[0], ctx.out_shapes[0]
    lead = len(src) - len(dst)
    axes = list(range(lead)) + [lead + i for i, d in enumerate(dst)
                                if d == 1 and src[lead + i] != 1]
    if not axes:
        ctx.op('Identity', inputs, outputs=outputs)
        return
    y = ctx.reduce('ReduceSum', inputs[0], axes, keepdims=True)
    if lead:
        ctx.op('Squeeze', [y, ctx.ints(range(lead))], outputs=outputs)
    else:
        ctx.op('Identity', [y], outputs=outputs)


def _normalize_key(key, ndim):
    if not isinstance(key, tuple):
        key = (key,)
    n_real = sum(1 for k in key if k is not None and k is not Ellipsis)
    out = []
    for k in key:
        if k is Ellipsis:
            out.extend([slice(None)] * (ndim - n_real))
        else:
            out.append(k)
    if not any(k is Ellipsis for k in key):
        out.extend([slice(None)] * (ndim - n_real))
    return out


@register(C + 'GetItem', ['Slice', 'Gather', 'Squeeze', 'Reshape'],
          name='get_item (x[...])')
def get_item(ctx, node, inputs, outputs):
    shape = ctx.in_shapes[0]
    dyn = ctx.dyn_in_shapes[0]
    key = _normalize_key(node.slices, len(shape))
    starts, ends, axes, steps = [], [], [], []
    squeeze, gathers, has_new = [], [], False
    axis = 0
    for k in key:
        if k is None:
            has_new = True
            continue
        if isinstance(k, (bool, numpy.bool_)):
            raise ExportError('kusari.onnx.export: get_item with a boolean scalar index')
        if isinstance(k, (int, numpy.integer)):
            k = int(k)
            starts.append(k)
            ends.append(k + 1 if k != -1 else INT64_MAX)
            axes.append(axis)
            steps.append(1)
            squeeze.append(axis)
        elif isinstance(k, slice):
            if k != slice(None):
                if dyn[axis] == -1 and (k.start is None or k.start >= 0) and \
                        (k.stop is None or k.stop >= 0) and (k.step or 1) > 0:
                    b, e, st = k.start or 0, INT64_MAX if k.stop is None else k.stop, \
                        k.step or 1
                else:
                    b, e, st = k.indices(shape[axis])
                    if st < 0 and e < 0:
                        e = INT64_MIN
                starts.append(b)
                ends.append(e)
                axes.append(axis)
                steps.append(st)
        else:
            arr = numpy.asarray(k)
            if arr.dtype == bool:
                if arr.ndim != 1:
                    raise ExportError('kusari.onnx.export: get_item with a boolean mask '
                                      'of more than one dimension')
                arr = numpy.nonzero(arr)[0]
            gathers.append((axis, arr.astype(numpy.int64)))
        axis += 1
    y = inputs[0]
    if starts:
        y = ctx.slice(y, starts, ends, axes, steps)
    if len(gathers) > 1:
        raise ExportError('kusari.onnx.export: get_item with more than one array index '
                          '(NumPy advanced indexing) is not supported')
    shift = 0
    if gathers:
        ax, idx = gathers[0]
        y = ctx.op('Gather', [y, ctx.const(idx)], axis=ax)
        shift = idx.ndim - 1
        squeeze = [a + shift if a > ax else a for a in squeeze]
    if squeeze:
        y = ctx.squeeze(y, squeeze)
    if has_new:
        ctx.reshape(y, target_shape(ctx, 'get_item'), out=outputs[0])
    else:
        ctx.op('Identity', [y], outputs=outputs)
