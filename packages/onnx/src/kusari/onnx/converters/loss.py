"""Converters of kusari.functions.loss (for exporting a Classifier's loss graph)."""
from kusari.onnx.converters._util import FN
from kusari.onnx.errors import ExportError
from kusari.onnx.registry import register


@register(FN + 'loss.softmax_cross_entropy.SoftmaxCrossEntropy',
          ['SoftmaxCrossEntropyLoss', 'Cast'], name='softmax_cross_entropy')
def softmax_cross_entropy(ctx, node, inputs, outputs):
    if node.class_weight is not None or getattr(node, 'soft_target', False) or \
            node.reduce != 'mean' or not node.normalize:
        raise ExportError('kusari.onnx.export: softmax_cross_entropy is exported only '
                          'with normalize=True, reduce="mean", no class_weight and '
                          'integer labels')
    t = ctx.op('Cast', [inputs[1]], to=7)
    ctx.op('SoftmaxCrossEntropyLoss', [inputs[0], t], outputs=[outputs[0]],
           reduction='mean', ignore_index=int(node.ignore_label))


@register(FN + 'loss.mean_squared_error.MeanSquaredError', ['Sub', 'Mul', 'ReduceMean'],
          name='mean_squared_error')
def mean_squared_error(ctx, node, inputs, outputs):
    d = ctx.op('Sub', inputs)
    y = ctx.reduce('ReduceMean', ctx.op('Mul', [d, d]), None, keepdims=False)
    ctx.op('Identity', [y], outputs=outputs)
