"""The README's converter table is generated and current; every converter is tested."""
import os
import subprocess
import sys

from kusari.onnx import registered_converters

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, '..', 'tools', 'converter_table.py')


def test_converter_table_in_readme_is_current():
    r = subprocess.run([sys.executable, TOOL, '--check'], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_registered_class_exists_in_kusari():
    import importlib
    for c in registered_converters():
        module, _, cls = c.key.rpartition('.')
        mod = importlib.import_module(module)
        assert hasattr(mod, cls), c.key


# onnx-chainer 1.6's list of supported functions (the floor of kusari.onnx), with the
# kusari FunctionNode that converts each; None: a composition of converted functions
# in kusari (exported through its parts, tested in test_converters.py)
ONNX_CHAINER = {
    'ClippedReLU': 'activation.clipped_relu.ClippedReLU', 'ELU': 'activation.elu.ELU',
    'HardSigmoid': 'activation.hard_sigmoid.HardSigmoid',
    'LeakyReLU': 'activation.leaky_relu.LeakyReLU',
    'LogSoftmax': 'activation.log_softmax.LogSoftmax',
    'PReLUFunction': 'activation.prelu.PReLUFunction', 'ReLU': 'activation.relu.ReLU',
    'Sigmoid': 'activation.sigmoid.Sigmoid', 'Softmax': 'activation.softmax.Softmax',
    'Softplus': 'activation.softplus.Softplus', 'Tanh': 'activation.tanh.Tanh',
    'Cast': 'array.cast.Cast', 'Concat': 'array.concat.Concat', 'Copy': 'array.copy.Copy',
    'Depth2Space': 'array.depth2space.Depth2Space', 'Dstack': None,
    'ExpandDims': 'array.expand_dims.ExpandDims', 'GetItem': '_core.GetItem',
    'Hstack': None, 'Pad': 'array.pad.Pad', 'Permutate': 'array.permutate.Permutate',
    'Repeat': 'array.repeat.Repeat', 'Reshape': '_core.Reshape',
    'ResizeImages': 'array.resize_images.ResizeImages',
    'Separate': 'array.separate.Separate', 'Space2Depth': 'array.space2depth.Space2Depth',
    'SplitAxis': 'array.split_axis.SplitAxis', 'Squeeze': 'array.squeeze.Squeeze',
    'Stack': 'array.stack.Stack', 'Swapaxes': 'array.swapaxes.Swapaxes',
    'Tile': 'array.tile.Tile', 'Transpose': '_core.Transpose', 'Vstack': None,
    'Where': 'array.where.Where',
    'Convolution2DFunction': 'connection.convolution_2d.Convolution2DFunction',
    'ConvolutionND': 'connection._conv_nodes.ConvolutionND',
    'Deconvolution2DFunction': 'connection.deconvolution_2d.Deconvolution2DFunction',
    'DeconvolutionND': 'connection._conv_nodes.DeconvolutionND',
    'EmbedIDFunction': 'connection.embed_id.EmbedIDFunction',
    'LinearFunction': 'connection.linear.LinearFunction',
    'SoftmaxCrossEntropy': 'loss.softmax_cross_entropy.SoftmaxCrossEntropy',
    'Absolute': '_core.Absolute', 'Add': '_core.Add', 'AddConstant': '_core.AddConstant',
    'ArgMax': 'math.minmax.ArgMax', 'ArgMin': 'math.minmax.ArgMin',
    'BroadcastTo': '_core.BroadcastTo', 'Clip': 'math.minmax_elementwise.Clip',
    'Div': '_core.Div', 'DivFromConstant': '_core.DivFromConstant',
    'Exp': 'math.exponential.Exp', 'Identity': 'math.basic_elementwise.Identity',
    'LinearInterpolate': 'math.linear_interpolate.LinearInterpolate',
    'LogSumExp': 'math.logsumexp.LogSumExp', 'MatMul': '_core.MatMul',
    'Max': 'math.minmax.Max', 'Maximum': 'math.minmax_elementwise.Maximum',
    'Mean': 'math.average.Mean', 'Min': 'math.minmax.Min',
    'Minimum': 'math.minmax_elementwise.Minimum', 'Mul': '_core.Mul',
    'MulConstant': '_core.MulConstant', 'Neg': '_core.Neg',
    'PowConstVar': '_core.PowConstVar', 'PowVarConst': '_core.PowVarConst',
    'PowVarVar': '_core.PowVarVar', 'Prod': 'math.prod.Prod',
    'RsqrtGPU': 'math.basic_elementwise.Rsqrt', 'Sqrt': 'math.basic_elementwise.Sqrt',
    'Square': 'math.basic_elementwise.Square', 'Sub': '_core.Sub',
    'SubFromConstant': '_core.SubFromConstant', 'Sum': 'math.sum.Sum',
    'Dropout': 'noise.dropout.Dropout',
    'BatchNormalization': 'normalization.batch_normalization.BatchNormalization',
    'FixedBatchNormalization': None, 'LocalResponseNormalization': None,
    'NormalizeL2': None,
    'AveragePooling2D': 'pooling.average_pooling_2d.AveragePooling2D',
    'AveragePoolingND': 'pooling._pool_nodes.AveragePoolingND',
    'MaxPooling2D': 'pooling.max_pooling_2d.MaxPooling2D',
    'MaxPoolingND': 'pooling._pool_nodes.MaxPoolingND',
    'ROIPooling2D': 'pooling._roi_nodes.ROIPooling2D',
    'Unpooling2D': 'pooling.unpooling_2d.Unpooling2D',
}


def test_onnx_chainer_list_is_covered():
    keys = {c.key for c in registered_converters()}
    # the 85 entries of onnx-chainer's list (its text says 82) less Shape, which
    # Chainer and kusari do not have
    assert len(ONNX_CHAINER) == 84
    for name, key in ONNX_CHAINER.items():
        if key is None:
            continue
        full = ('kusari.' if key.startswith('_core') else 'kusari.functions.') + key
        assert full in keys, name
