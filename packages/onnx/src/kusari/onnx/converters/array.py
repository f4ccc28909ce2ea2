"""Converters of kusari.functions.array."""
import numpy

from kusari.onnx.context import onnx_dtype
from kusari.onnx.converters._util import FN, target_shape
from kusari.onnx.converters.core_ops import expand
from kusari.onnx.errors import ExportError
from kusari.onnx.registry import register

R = FN + 'array.'


def _perm(in_shape, fn):
    """The permutation that ``fn`` (a NumPy axis shuffle) applies to ``in_shape``."""
    probe = numpy.broadcast_to(numpy.empty(()), [2 + i for i in range(len(in_shape))])
    out = fn(probe).shape
    return [s - 2 for s in out]


@register(R + 'concat.Concat', ['Concat'], name='concat')
def concat(ctx, node, inputs, outputs):
    n = len(ctx.in_shapes[0])
    ctx.op('Concat', inputs, outputs=outputs, axis=int(node.axis) % n)


@register(R + 'stack.Stack', ['Unsqueeze', 'Concat'], name='stack')
def stack(ctx, node, inputs, outputs):
    n = len(ctx.in_shapes[0]) + 1
    axis = int(node.axis) % n
    parts = [ctx.unsqueeze(x, [axis]) for x in inputs]
    ctx.op('Concat', parts, outputs=outputs, axis=axis)


@register(R + 'separate.Separate', ['Split', 'Squeeze'], name='separate')
def separate(ctx, node, inputs, outputs):
    n = len(ctx.in_shapes[0])
    axis = int(node.axis) % n
    parts = ctx.split(inputs[0], [1] * ctx.in_shapes[0][axis], axis)
    for p, o in zip(parts, outputs):
        ctx.op('Squeeze', [p, ctx.ints([axis])], outputs=[o])


@register(R + 'split_axis.SplitAxis', ['Split'], name='split_axis')
def split_axis(ctx, node, inputs, outputs):
    n = len(ctx.in_shapes[0])
    axis = int(node.axis) % n
    total = ctx.in_shapes[0][axis]
    ios = node.indices_or_sections
    if isinstance(ios, (int, numpy.integer)):
        sizes = [total // int(ios)] * int(ios)
    else:
        bounds = [0] + [min(max(int(i), 0), total) for i in ios] + [total]
        sizes = [max(b - a, 0) for a, b in zip(bounds[:-1], bounds[1:])]
    ctx.split(inputs[0], sizes, axis, outputs=outputs)


@register([R + 'squeeze.Squeeze', R + 'expand_dims.ExpandDims', R + 'flatten.Flatten'],
          ['Reshape'], name='squeeze / expand_dims / flatten')
def reshape_like(ctx, node, inputs, outputs):
    ctx.reshape(inputs[0], target_shape(ctx, type(node).__name__), out=outputs[0])


@register(R + 'cast.Cast', ['Cast'], name='cast')
def cast(ctx, node, inputs, outputs):
    ctx.op('Cast', inputs, outputs=outputs, to=onnx_dtype(ctx.out_dtypes[0]))


@register(R + 'copy.Copy', ['Identity'], name='copy')
def copy(ctx, node, inputs, outputs):
    ctx.op('Identity', inputs, outputs=outputs)


@register(R + 'depth2space.Depth2Space', ['DepthToSpace'], name='depth2space')
def depth2space(ctx, node, inputs, outputs):
    ctx.op('DepthToSpace', inputs, outputs=outputs, blocksize=int(node.r), mode='DCR')


@register(R + 'space2depth.Space2Depth', ['SpaceToDepth'], name='space2depth')
def space2depth(ctx, node, inputs, outputs):
    ctx.op('SpaceToDepth', inputs, outputs=outputs, blocksize=int(node.r))


@register([R + 'swapaxes.Swapaxes', R + 'moveaxis.Moveaxis', R + 'rollaxis.Rollaxis'],
          ['Transpose'], name='swapaxes / moveaxis / rollaxis')
def axis_shuffle(ctx, node, inputs, outputs):
    name = type(node).__name__
    shape = ctx.in_shapes[0]
    if name == 'Swapaxes':
        perm = _perm(shape, lambda a: numpy.swapaxes(a, node.axis1, node.axis2))
    elif name == 'Moveaxis':
        perm = _perm(shape, lambda a: numpy.moveaxis(a, node.source, node.destination))
    else:
        perm = _perm(shape, lambda a: numpy.rollaxis(a, node.axis, node.start))
    ctx.op('Transpose', inputs, outputs=outputs, perm=perm)


@register(R + 'pad.Pad', ['Pad'], name='pad')
def pad(ctx, node, inputs, outputs):
    mode = node.mode
    onnx_mode = {'constant': 'constant', 'edge': 'edge', 'reflect': 'reflect'}.get(mode)
    if onnx_mode is None:
        raise ExportError('kusari.onnx.export: pad mode %r has no ONNX equivalent' % mode)
    n = len(ctx.in_shapes[0])
    widths = numpy.broadcast_to(numpy.asarray(node.pad_width, dtype=numpy.int64)
                                .reshape(-1, 2) if numpy.ndim(node.pad_width) == 2
                                else numpy.asarray(node.pad_width).reshape(-1, 1),
                                (n, 2))
    pads = ctx.ints(list(widths[:, 0]) + list(widths[:, 1]))
    args = [inputs[0], pads]
    if onnx_mode == 'constant':
        value = node.keywords.get('constant_values', 0)
        args.append(ctx.scalar(value))
    ctx.op('Pad', args, outputs=outputs, mode=onnx_mode)


@register(R + 'tile.Tile', ['Tile', 'Reshape'], name='tile')
def tile(ctx, node, inputs, outputs):
    reps = node.reps
    reps = [reps] if isinstance(reps, int) else list(reps)
    shape = list(ctx.in_shapes[0])
    n = max(len(shape), len(reps))
    x = inputs[0]
    if len(shape) < n:
        x = ctx.reshape(x, [1] * (n - len(shape)) + shape)
    reps = [1] * (n - len(reps)) + reps
    ctx.op('Tile', [x, ctx.ints(reps)], outputs=outputs)


@register(R + 'repeat.Repeat', ['Reshape', 'Gather'],
          name='repeat')
def repeat(ctx, node, inputs, outputs):
    shape = list(ctx.in_shapes[0])
    axis = node.axis
    x = inputs[0]
    if axis is None:
        x = ctx.reshape(x, [-1])
        shape = [int(numpy.prod(shape))]
        axis = 0
    axis %= len(shape)
    reps = numpy.broadcast_to(numpy.asarray(node.repeats), (shape[axis],))
    idx = numpy.repeat(numpy.arange(shape[axis]), reps)
    ctx.op('Gather', [x, ctx.const(idx.astype(numpy.int64))], outputs=outputs, axis=axis)


@register([R + 'flip.Flip', R + 'fliplr.FlipLR', R + 'flipud.FlipUD'], ['Slice'],
          name='flip / fliplr / flipud')
def flip(ctx, node, inputs, outputs):
    name = type(node).__name__
    axis = {'FlipLR': 1, 'FlipUD': 0}.get(name)
    if axis is None:
        axis = node.axis % len(ctx.in_shapes[0])
    y = ctx.slice(inputs[0], [-1], [-2 ** 63], [axis], [-1])
    ctx.op('Identity', [y], outputs=outputs)


@register(R + 'where.Where', ['Where'], name='where')
def where(ctx, node, inputs, outputs):
    ctx.op('Where', inputs, outputs=outputs)


@register(R + 'broadcast.Broadcast', ['Expand'], name='broadcast')
def broadcast(ctx, node, inputs, outputs):
    for i, (x, o) in enumerate(zip(inputs, outputs)):
        if ctx.out_shapes[i] is None:
            continue  # an output nothing uses
        expand(ctx, x, ctx.in_shapes[i], ctx.out_shapes[i], ctx.dyn_out_shapes[i], [o],
               'broadcast', ctx.probe_out_shapes[i])


@register(R + 'permutate.Permutate', ['Gather'], name='permutate')
def permutate(ctx, node, inputs, outputs):
    idx = ctx.in_values[1]
    if idx is None:
        raise ExportError('kusari.onnx.export: permutate with computed indices')
    idx = numpy.asarray(idx, dtype=numpy.int64)
    if node.inv:
        idx = numpy.argsort(idx)
    ctx.op('Gather', [inputs[0], ctx.const(idx)], outputs=outputs,
           axis=int(node.axis) % len(ctx.in_shapes[0]))


@register(R + 'select_item.SelectItem', ['Unsqueeze', 'GatherElements', 'Squeeze'],
          name='select_item')
def select_item(ctx, node, inputs, outputs):
    t = ctx.unsqueeze(ctx.op('Cast', [inputs[1]], to=7), [1])
    y = ctx.op('GatherElements', [inputs[0], t], axis=1)
    ctx.op('Squeeze', [y, ctx.ints([1])], outputs=outputs)


@register(R + 'resize_images.ResizeImages', ['Resize'], name='resize_images')
def resize_images(ctx, node, inputs, outputs):
    mode = {'bilinear': 'linear', 'nearest': 'nearest'}.get(node.mode)
    if mode is None:
        raise ExportError('kusari.onnx.export: resize_images mode %r' % node.mode)
    if node.align_corners:
        ctm = 'align_corners'
    else:
        ctm = 'half_pixel' if mode == 'linear' else 'asymmetric'
    sizes = ctx.ints(list(ctx.out_shapes[0]))
    attrs = {'nearest_mode': 'floor'} if mode == 'nearest' else {}
    ctx.op('Resize', [inputs[0], '', '', sizes], outputs=outputs, mode=mode,
           coordinate_transformation_mode=ctm, **attrs)


@register(R + 'transpose_sequence.TransposeSequence', ['Slice', 'Concat'],
          name='transpose_sequence')
def transpose_sequence(ctx, node, inputs, outputs):
    for t, o in enumerate(outputs):
        b = ctx.out_shapes[t][0]
        rows = [ctx.slice(inputs[i], [t], [t + 1], [0]) for i in range(b)]
        ctx.op('Concat', rows, outputs=[o], axis=0)


@register(R + 'pad_sequence.PadSequence', ['Pad', 'Unsqueeze', 'Concat'],
          name='pad_sequence')
def pad_sequence(ctx, node, inputs, outputs):
    length = ctx.out_shapes[0][1]
    rows = []
    for i, x in enumerate(inputs):
        shape = ctx.in_shapes[i]
        n = len(shape)
        pads = [0] * n + [length - shape[0]] + [0] * (n - 1)
        if length != shape[0]:
            x = ctx.op('Pad', [x, ctx.ints(pads), ctx.scalar(node.padding, like=i)],
                       mode='constant')
        rows.append(ctx.unsqueeze(x, [0]))
    ctx.op('Concat', rows, outputs=outputs, axis=0)
