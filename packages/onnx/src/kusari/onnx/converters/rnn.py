"""Converter of kusari.functions.lstm (the LSTM cell).

``L.LSTM`` exports as ``linear`` + ``lstm``: while a function hook is active, as
export's is, the link takes its unfused path.  The ``n_step_*`` functions and
``L.NStep*`` links are compositions of these and of the array converters
(transpose_sequence, stack, get_item), so they export unrolled.
"""
from kusari.onnx.converters._util import FN
from kusari.onnx.registry import register


def _lstm_cell(ctx, c_prev, gates, batch, prev_batch, units, outputs):
    """Chainer's lstm on a (B, 4U) gate array whose columns interleave a, i, f, o."""
    g = ctx.reshape(gates, [0, units, 4])
    parts = ctx.split(g, [1, 1, 1, 1], 2)
    a, i, f, o = [ctx.squeeze(p, [2]) for p in parts]
    a = ctx.op('Tanh', [a])
    i, f, o = (ctx.op('Sigmoid', [t]) for t in (i, f, o))
    cp = c_prev
    if prev_batch != batch:
        cp = ctx.slice(c_prev, [0], [batch], [0])
    c = ctx.op('Add', [ctx.op('Mul', [a, i]), ctx.op('Mul', [f, cp])])
    h = ctx.op('Mul', [o, ctx.op('Tanh', [c])])
    if prev_batch != batch:
        rest = ctx.slice(c_prev, [batch], [prev_batch], [0])
        ctx.op('Concat', [c, rest], outputs=[outputs[0]], axis=0)
    else:
        ctx.op('Identity', [c], outputs=[outputs[0]])
    ctx.op('Identity', [h], outputs=[outputs[1]])


@register(FN + 'rnn.lstm.LSTM', ['Reshape', 'Split', 'Sigmoid', 'Tanh', 'Mul', 'Add'],
          name='lstm')
def lstm(ctx, node, inputs, outputs):
    c_prev, x = inputs
    units = ctx.in_shapes[0][1]
    _lstm_cell(ctx, c_prev, x, ctx.in_shapes[1][0], ctx.in_shapes[0][0], units, outputs)
