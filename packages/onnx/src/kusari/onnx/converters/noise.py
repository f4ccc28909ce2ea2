"""Converters of kusari.functions.noise (only what runs when exporting with train=True:
with train=False dropout is not even called)."""
from kusari.onnx.converters._util import FN
from kusari.onnx.registry import register


@register(FN + 'noise.dropout.Dropout', ['Dropout'], name='dropout')
def dropout(ctx, node, inputs, outputs):
    ratio = ctx.scalar(float(node.dropout_ratio))
    training = ctx.const(True)
    ctx.op('Dropout', [inputs[0], ratio, training], outputs=[outputs[0]])
