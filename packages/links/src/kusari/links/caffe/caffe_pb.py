"""Caffe's protobuf schema (the part CaffeFunction reads), described in Python.

The message classes are built at import from a ``FileDescriptorProto`` assembled
here (package ``caffe``, proto2, the field numbers of BVLC Caffe's
``caffe.proto``), in a private descriptor pool, so no generated ``_pb2`` module
and no ``protoc`` are needed.  Enumerations are declared as ``int32`` fields
(identical on the wire); their values are the module constants below.  Fields not
described here (fillers, ``param`` specs, ...) are kept as unknown fields.

Messages: :class:`NetParameter`, :class:`LayerParameter`,
:class:`V1LayerParameter`, :class:`BlobProto`, :class:`BlobShape` and the
``*Parameter`` messages of the supported layers.

>>> from kusari.links.caffe import caffe_pb
>>> net = caffe_pb.NetParameter()
>>> layer = net.layer.add(name='fc', type='InnerProduct')
>>> caffe_pb.NetParameter.FromString(net.SerializeToString()).layer[0].name
'fc'
"""
from google.protobuf import descriptor_pb2
from google.protobuf import descriptor_pool
from google.protobuf import message_factory

_F = descriptor_pb2.FieldDescriptorProto
_OPT, _REP = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED
_SCALARS = {
    'int32': _F.TYPE_INT32, 'int64': _F.TYPE_INT64, 'uint32': _F.TYPE_UINT32,
    'uint64': _F.TYPE_UINT64, 'float': _F.TYPE_FLOAT, 'double': _F.TYPE_DOUBLE,
    'bool': _F.TYPE_BOOL, 'string': _F.TYPE_STRING, 'bytes': _F.TYPE_BYTES,
}

# Enumeration values (fields holding them are int32).
PoolMethod_MAX, PoolMethod_AVE, PoolMethod_STOCHASTIC = 0, 1, 2
EltwiseOp_PROD, EltwiseOp_SUM, EltwiseOp_MAX = 0, 1, 2
NormRegion_ACROSS_CHANNELS, NormRegion_WITHIN_CHANNEL = 0, 1
Engine_DEFAULT, Engine_CAFFE, Engine_CUDNN = 0, 1, 2
Phase_TRAIN, Phase_TEST = 0, 1

# message name -> [(field, number, 'optional'|'repeated'|'packed', type, default)]
# (type: a scalar name or a message name of this file; default: None or str).
_SCHEMA = {
    'BlobShape': [('dim', 1, 'packed', 'int64', None)],
    'BlobProto': [
        ('shape', 7, 'optional', 'BlobShape', None),
        ('data', 5, 'packed', 'float', None),
        ('diff', 6, 'packed', 'float', None),
        ('double_data', 8, 'packed', 'double', None),
        ('double_diff', 9, 'packed', 'double', None),
        ('num', 1, 'optional', 'int32', '0'),
        ('channels', 2, 'optional', 'int32', '0'),
        ('height', 3, 'optional', 'int32', '0'),
        ('width', 4, 'optional', 'int32', '0'),
    ],
    'NetParameter': [
        ('name', 1, 'optional', 'string', None),
        ('input', 3, 'repeated', 'string', None),
        ('input_shape', 8, 'repeated', 'BlobShape', None),
        ('input_dim', 4, 'repeated', 'int32', None),
        ('force_backward', 5, 'optional', 'bool', 'false'),
        ('debug_info', 7, 'optional', 'bool', 'false'),
        ('layer', 100, 'repeated', 'LayerParameter', None),
        ('layers', 2, 'repeated', 'V1LayerParameter', None),
    ],
    'LayerParameter': [
        ('name', 1, 'optional', 'string', None),
        ('type', 2, 'optional', 'string', None),
        ('bottom', 3, 'repeated', 'string', None),
        ('top', 4, 'repeated', 'string', None),
        ('phase', 10, 'optional', 'int32', None),
        ('loss_weight', 5, 'repeated', 'float', None),
        ('blobs', 7, 'repeated', 'BlobProto', None),
        ('propagate_down', 11, 'repeated', 'bool', None),
        ('batch_norm_param', 139, 'optional', 'BatchNormParameter', None),
        ('bias_param', 141, 'optional', 'BiasParameter', None),
        ('concat_param', 104, 'optional', 'ConcatParameter', None),
        ('convolution_param', 106, 'optional', 'ConvolutionParameter', None),
        ('dropout_param', 108, 'optional', 'DropoutParameter', None),
        ('eltwise_param', 110, 'optional', 'EltwiseParameter', None),
        ('flatten_param', 135, 'optional', 'FlattenParameter', None),
        ('inner_product_param', 117, 'optional', 'InnerProductParameter', None),
        ('input_param', 143, 'optional', 'InputParameter', None),
        ('lrn_param', 118, 'optional', 'LRNParameter', None),
        ('pooling_param', 121, 'optional', 'PoolingParameter', None),
        ('relu_param', 123, 'optional', 'ReLUParameter', None),
        ('reshape_param', 133, 'optional', 'ReshapeParameter', None),
        ('scale_param', 142, 'optional', 'ScaleParameter', None),
        ('sigmoid_param', 124, 'optional', 'SigmoidParameter', None),
        ('softmax_param', 125, 'optional', 'SoftmaxParameter', None),
        ('slice_param', 126, 'optional', 'SliceParameter', None),
        ('tanh_param', 127, 'optional', 'TanHParameter', None),
    ],
    'V1LayerParameter': [
        ('bottom', 2, 'repeated', 'string', None),
        ('top', 3, 'repeated', 'string', None),
        ('name', 4, 'optional', 'string', None),
        ('type', 5, 'optional', 'int32', None),
        ('blobs', 6, 'repeated', 'BlobProto', None),
        ('blobs_lr', 7, 'repeated', 'float', None),
        ('weight_decay', 8, 'repeated', 'float', None),
        ('loss_weight', 35, 'repeated', 'float', None),
        ('concat_param', 9, 'optional', 'ConcatParameter', None),
        ('convolution_param', 10, 'optional', 'ConvolutionParameter', None),
        ('dropout_param', 12, 'optional', 'DropoutParameter', None),
        ('eltwise_param', 24, 'optional', 'EltwiseParameter', None),
        ('inner_product_param', 17, 'optional', 'InnerProductParameter', None),
        ('lrn_param', 18, 'optional', 'LRNParameter', None),
        ('pooling_param', 19, 'optional', 'PoolingParameter', None),
        ('relu_param', 30, 'optional', 'ReLUParameter', None),
        ('sigmoid_param', 38, 'optional', 'SigmoidParameter', None),
        ('softmax_param', 39, 'optional', 'SoftmaxParameter', None),
        ('slice_param', 31, 'optional', 'SliceParameter', None),
        ('tanh_param', 37, 'optional', 'TanHParameter', None),
    ],
    'BatchNormParameter': [
        ('use_global_stats', 1, 'optional', 'bool', None),
        ('moving_average_fraction', 2, 'optional', 'float', '0.999'),
        ('eps', 3, 'optional', 'float', '1e-05'),
    ],
    'BiasParameter': [
        ('axis', 1, 'optional', 'int32', '1'),
        ('num_axes', 2, 'optional', 'int32', '1'),
    ],
    'ConcatParameter': [
        ('axis', 2, 'optional', 'int32', '1'),
        ('concat_dim', 1, 'optional', 'uint32', '1'),
    ],
    'ConvolutionParameter': [
        ('num_output', 1, 'optional', 'uint32', None),
        ('bias_term', 2, 'optional', 'bool', 'true'),
        ('pad', 3, 'repeated', 'uint32', None),
        ('kernel_size', 4, 'repeated', 'uint32', None),
        ('stride', 6, 'repeated', 'uint32', None),
        ('dilation', 18, 'repeated', 'uint32', None),
        ('pad_h', 9, 'optional', 'uint32', '0'),
        ('pad_w', 10, 'optional', 'uint32', '0'),
        ('kernel_h', 11, 'optional', 'uint32', None),
        ('kernel_w', 12, 'optional', 'uint32', None),
        ('stride_h', 13, 'optional', 'uint32', None),
        ('stride_w', 14, 'optional', 'uint32', None),
        ('group', 5, 'optional', 'uint32', '1'),
        ('engine', 15, 'optional', 'int32', '0'),
        ('axis', 16, 'optional', 'int32', '1'),
        ('force_nd_im2col', 17, 'optional', 'bool', 'false'),
    ],
    'DropoutParameter': [
        ('dropout_ratio', 1, 'optional', 'float', '0.5'),
        ('scale_train', 2, 'optional', 'bool', 'true'),
    ],
    'EltwiseParameter': [
        ('operation', 1, 'optional', 'int32', '1'),
        ('coeff', 2, 'repeated', 'float', None),
        ('stable_prod_grad', 3, 'optional', 'bool', 'true'),
    ],
    'FlattenParameter': [
        ('axis', 1, 'optional', 'int32', '1'),
        ('end_axis', 2, 'optional', 'int32', '-1'),
    ],
    'InnerProductParameter': [
        ('num_output', 1, 'optional', 'uint32', None),
        ('bias_term', 2, 'optional', 'bool', 'true'),
        ('axis', 5, 'optional', 'int32', '1'),
        ('transpose', 6, 'optional', 'bool', 'false'),
    ],
    'InputParameter': [('shape', 1, 'repeated', 'BlobShape', None)],
    'LRNParameter': [
        ('local_size', 1, 'optional', 'uint32', '5'),
        ('alpha', 2, 'optional', 'float', '1'),
        ('beta', 3, 'optional', 'float', '0.75'),
        ('norm_region', 4, 'optional', 'int32', '0'),
        ('k', 5, 'optional', 'float', '1'),
        ('engine', 6, 'optional', 'int32', '0'),
    ],
    'PoolingParameter': [
        ('pool', 1, 'optional', 'int32', '0'),
        ('pad', 4, 'optional', 'uint32', '0'),
        ('pad_h', 9, 'optional', 'uint32', '0'),
        ('pad_w', 10, 'optional', 'uint32', '0'),
        ('kernel_size', 2, 'optional', 'uint32', None),
        ('kernel_h', 5, 'optional', 'uint32', None),
        ('kernel_w', 6, 'optional', 'uint32', None),
        ('stride', 3, 'optional', 'uint32', '1'),
        ('stride_h', 7, 'optional', 'uint32', None),
        ('stride_w', 8, 'optional', 'uint32', None),
        ('engine', 11, 'optional', 'int32', '0'),
        ('global_pooling', 12, 'optional', 'bool', 'false'),
    ],
    'ReLUParameter': [
        ('negative_slope', 1, 'optional', 'float', '0'),
        ('engine', 2, 'optional', 'int32', '0'),
    ],
    'ReshapeParameter': [
        ('shape', 1, 'optional', 'BlobShape', None),
        ('axis', 2, 'optional', 'int32', '0'),
        ('num_axes', 3, 'optional', 'int32', '-1'),
    ],
    'ScaleParameter': [
        ('axis', 1, 'optional', 'int32', '1'),
        ('num_axes', 2, 'optional', 'int32', '1'),
        ('bias_term', 4, 'optional', 'bool', 'false'),
    ],
    'SigmoidParameter': [('engine', 1, 'optional', 'int32', '0')],
    'SoftmaxParameter': [
        ('engine', 1, 'optional', 'int32', '0'),
        ('axis', 2, 'optional', 'int32', '1'),
    ],
    'SliceParameter': [
        ('axis', 3, 'optional', 'int32', '1'),
        ('slice_point', 2, 'repeated', 'uint32', None),
        ('slice_dim', 1, 'optional', 'uint32', '1'),
    ],
    'TanHParameter': [('engine', 1, 'optional', 'int32', '0')],
}

# V1LayerParameter.type values -> LayerParameter.type strings.
V1_LAYER_TYPES = {
    0: 'None', 35: 'AbsVal', 1: 'Accuracy', 30: 'ArgMax', 2: 'BNLL', 3: 'Concat',
    37: 'ContrastiveLoss', 4: 'Convolution', 5: 'Data', 39: 'Deconvolution',
    6: 'Dropout', 32: 'DummyData', 7: 'EuclideanLoss', 25: 'Eltwise', 38: 'Exp',
    8: 'Flatten', 9: 'HDF5Data', 10: 'HDF5Output', 28: 'HingeLoss', 11: 'Im2col',
    12: 'ImageData', 13: 'InfogainLoss', 14: 'InnerProduct', 15: 'LRN',
    29: 'MemoryData', 16: 'MultinomialLogisticLoss', 34: 'MVN', 17: 'Pooling',
    26: 'Power', 18: 'ReLU', 19: 'Sigmoid', 27: 'SigmoidCrossEntropyLoss',
    36: 'Silence', 20: 'Softmax', 21: 'SoftmaxWithLoss', 22: 'Split', 33: 'Slice',
    23: 'TanH', 24: 'WindowData', 31: 'Threshold',
}


def _build():
    file_proto = descriptor_pb2.FileDescriptorProto(
        name='kusari/links/caffe/caffe.proto', package='caffe', syntax='proto2')
    for message_name, fields in _SCHEMA.items():
        message = file_proto.message_type.add(name=message_name)
        for name, number, label, type_name, default in fields:
            field = message.field.add(name=name, number=number)
            field.label = _OPT if label == 'optional' else _REP
            if label == 'packed':
                field.options.packed = True
            if type_name in _SCALARS:
                field.type = _SCALARS[type_name]
            else:
                field.type = _F.TYPE_MESSAGE
                field.type_name = '.caffe.' + type_name
            if default is not None:
                field.default_value = default
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)
    get_class = getattr(message_factory, 'GetMessageClass', None)
    if get_class is None:  # protobuf < 4.22
        factory = message_factory.MessageFactory(pool)
        get_class = factory.GetPrototype
    return {name: get_class(pool.FindMessageTypeByName('caffe.' + name))
            for name in _SCHEMA}


_classes = _build()
globals().update(_classes)
__all__ = sorted(_classes) + ['V1_LAYER_TYPES']
