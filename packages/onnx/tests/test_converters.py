"""Every converter: a one-function model exported and run in ONNX Runtime against kusari's
forward on the same input, for the opsets where the mapping differs."""
import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import onnx as konnx

from onnx_testing import Fn, check, rand, OPSETS

X4 = (2, 3, 6, 5)


def x4(seed=0):
    return rand(*X4, seed=seed)


UNARY = [
    ('relu', F.relu), ('sigmoid', F.sigmoid), ('tanh', F.tanh),
    ('softmax', lambda x: F.softmax(x, axis=1)),
    ('softmax_last', lambda x: F.softmax(x, axis=3)),
    ('log_softmax', lambda x: F.log_softmax(F.reshape(x, (2, -1)))),
    ('leaky_relu', lambda x: F.leaky_relu(x, 0.3)), ('elu', lambda x: F.elu(x, 0.7)),
    ('clipped_relu', lambda x: F.clipped_relu(x, 0.5)), ('relu6', F.relu6),
    ('hard_sigmoid', F.hard_sigmoid), ('softplus', F.softplus),
    ('softplus_beta', lambda x: F.softplus(x, beta=2.0)),
    ('gelu', F.gelu), ('silu', F.silu), ('mish', F.mish), ('hard_swish', F.hard_swish),
    ('softsign', F.softsign), ('log_sigmoid', F.log_sigmoid),
    ('crelu', F.crelu), ('maxout', lambda x: F.maxout(F.reshape(x, (2, 90)), 3)),
    ('exp', F.exp), ('log', lambda x: F.log(x + 2)), ('sqrt', lambda x: F.sqrt(x + 2)),
    ('rsqrt', lambda x: F.rsqrt(x + 2)), ('square', F.square), ('absolute', F.absolute),
    ('abs_op', abs), ('neg', lambda x: -x), ('identity', F.identity),
    ('sin', F.sin), ('cos', F.cos), ('tan', F.tan), ('arcsin', lambda x: F.arcsin(x * .9)),
    ('arccos', lambda x: F.arccos(x * .9)), ('arctan', F.arctan), ('sinh', F.sinh),
    ('cosh', F.cosh), ('arctanh', lambda x: F.arctanh(x * .9)), ('erf', F.erf),
    ('log2', lambda x: F.log2(x + 2)), ('log10', lambda x: F.log10(x + 2)),
    ('log1p', lambda x: F.log1p(x + 0.5)), ('expm1', F.expm1),
    ('add_const', lambda x: x + 2.5), ('radd_const', lambda x: 1.5 - x),
    ('mul_const', lambda x: x * 3.0), ('div_const', lambda x: 1.0 / (x + 2)),
    ('pow_const', lambda x: (x + 2) ** 1.7), ('rpow', lambda x: 2.0 ** x),
    ('div_var_const', lambda x: x / 4.0),
    ('sum_all', F.sum), ('sum_axis', lambda x: F.sum(x, axis=(1, 3))),
    ('sum_keep', lambda x: F.sum(x, axis=1, keepdims=True)),
    ('mean', lambda x: F.mean(x, axis=(2, 3))), ('average', lambda x: F.average(x, axis=1)),
    ('max', lambda x: F.max(x, axis=2)), ('min', lambda x: F.min(x, axis=(1, 2))),
    ('max_all', F.max), ('prod', lambda x: F.prod(x, axis=1)),
    ('logsumexp', lambda x: F.logsumexp(x, axis=1)),
    ('argmax', lambda x: F.argmax(F.reshape(x, (2, -1)), axis=1)),
    ('argmin', lambda x: F.argmin(F.reshape(x, (2, -1)), axis=1)),
    ('clip', lambda x: F.clip(x, -0.3, 0.4)),
    ('reshape', lambda x: F.reshape(x, (6, -1))), ('flatten', F.flatten),
    ('transpose', lambda x: F.transpose(x, (0, 2, 3, 1))), ('transpose_rev', F.transpose),
    ('swapaxes', lambda x: F.swapaxes(x, 1, 3)), ('moveaxis', lambda x: F.moveaxis(x, 1, 3)),
    ('rollaxis', lambda x: F.rollaxis(x, 3, 1)),
    ('squeeze', lambda x: F.squeeze(x[:, :1])), ('expand_dims', lambda x: F.expand_dims(x, 2)),
    ('getitem_int', lambda x: x[1]), ('getitem_slice', lambda x: x[:, 1:3, ::2, -2:]),
    ('getitem_neg_step', lambda x: x[:, ::-1, 4:1:-2]), ('getitem_none', lambda x: x[:, None, 0]),
    ('getitem_ellipsis', lambda x: x[..., 1]), ('getitem_array', lambda x: x[:, [2, 0, 2]]),
    ('getitem_last', lambda x: x[:, -1]),
    ('broadcast_to', lambda x: F.broadcast_to(x[:, :1], X4)),
    ('sum_to', lambda x: F.sum_to(x, (3, 1, 5))),
    ('separate', lambda x: F.separate(x, axis=1)[1]),
    ('split_axis', lambda x: F.split_axis(x, [1, 4], axis=2)[1]),
    ('split_sections', lambda x: F.split_axis(x, 3, axis=1)[2]),
    ('stack', lambda x: F.stack([x, x * 2], axis=1)),
    ('concat', lambda x: F.concat([x, x * 2], axis=2)),
    ('cast', lambda x: F.cast(x, numpy.float64)),
    ('copy', lambda x: F.copy(x, -1)),
    ('pad', lambda x: F.pad(x, ((0, 0), (1, 0), (2, 1), (0, 3)), 'constant')),
    ('pad_value', lambda x: F.pad(x, 1, 'constant', constant_values=0.5)),
    ('pad_edge', lambda x: F.pad(x, 1, 'edge')), ('pad_reflect', lambda x: F.pad(x, 1, 'reflect')),
    ('tile', lambda x: F.tile(x, (1, 2, 1, 3))), ('repeat', lambda x: F.repeat(x, 2, axis=2)),
    ('repeat_list', lambda x: F.repeat(x, [1, 0, 2], axis=1)),
    ('flip', lambda x: F.flip(x, 2)), ('fliplr', lambda x: F.fliplr(x)),
    ('flipud', lambda x: F.flipud(x)),
    ('depth2space', lambda x: F.depth2space(F.concat([x] * 4, axis=1)[:, :, :4, :4], 2)),
    ('space2depth', lambda x: F.space2depth(x[:, :, :4, :4], 2)),
    ('resize_images', lambda x: F.resize_images(x, (9, 7))),
    ('where', lambda x: F.where(numpy.arange(180).reshape(X4) % 3 == 0, x, x * 2)),
    ('maximum', lambda x: F.maximum(x, x[::-1])), ('minimum', lambda x: F.minimum(x, x[::-1])),
    ('fmod', lambda x: F.fmod(x, x[::-1] + 2)),
    ('squared_difference', lambda x: F.squared_difference(x, x[::-1])),
    ('linear_interpolate', lambda x: F.linear_interpolate(F.sigmoid(x), x, x[::-1])),
    ('batch_l2_norm_squared', F.batch_l2_norm_squared),
    ('cumsum', lambda x: F.cumsum(x, axis=2)),
    ('add', lambda x: x + x[::-1]), ('sub', lambda x: x - x[::-1]),
    ('mul', lambda x: x * x[::-1]), ('div', lambda x: x / (x[::-1] + 2)),
    ('pow', lambda x: (x + 2) ** (x[::-1])), ('multi_add', lambda x: F.add(x, x, x * 2)),
    ('matmul', lambda x: F.matmul(x, x, transb=True)),
    ('matmul_op', lambda x: x @ F.transpose(x, (0, 1, 3, 2))),
    ('einsum', lambda x: F.einsum('abij,abkj->abik', x, x)),
    ('tensordot', lambda x: F.tensordot(x, x, axes=((1, 3), (1, 3)))),
    ('local_response_normalization', F.local_response_normalization),
    ('normalize', lambda x: F.normalize(F.reshape(x, (2, -1)))),
    ('layer_normalization', lambda x: F.layer_normalization(
        F.reshape(x, (6, 30)), numpy.linspace(0.5, 1.5, 30).astype(numpy.float32),
        numpy.linspace(-1, 1, 30).astype(numpy.float32))),
    ('group_normalization', lambda x: F.group_normalization(
        F.concat([x, x * 2], axis=1), 3, numpy.ones(6, numpy.float32),
        numpy.zeros(6, numpy.float32))),
    ('fixed_batch_normalization', lambda x: F.fixed_batch_normalization(
        x, numpy.array([1, 2, 3], numpy.float32), numpy.array([0, .1, .2], numpy.float32),
        numpy.array([.1, 0, -.1], numpy.float32), numpy.array([1, 2, .5], numpy.float32))),
    ('max_pooling_2d', lambda x: F.max_pooling_2d(x, 2)),
    ('max_pooling_cover_all', lambda x: F.max_pooling_2d(x, 3, 2, 1)),
    ('max_pooling_no_cover', lambda x: F.max_pooling_2d(x, 3, 2, 1, cover_all=False)),
    ('average_pooling_2d', lambda x: F.average_pooling_2d(x, 2)),
    ('average_pooling_pad', lambda x: F.average_pooling_2d(x, 3, 2, 1)),
    ('average_pooling_nd', lambda x: F.average_pooling_nd(x, 3, 2, 1, pad_value=None)),
    ('max_pooling_1d', lambda x: F.max_pooling_1d(F.reshape(x, (2, 3, 30)), 4, 3)),
    ('MaxPooling2D', lambda x: F.MaxPooling2D(3, 2, 1).apply((x,))[0]),
    ('AveragePooling2D', lambda x: F.AveragePooling2D(2, 1).apply((x,))[0]),
    ('Unpooling2D', lambda x: F.Unpooling2D(2, cover_all=False).apply((x,))[0]),
    ('gelu_tanh', lambda x: F.gelu(x, approximate='tanh')),
    ('broadcast', lambda x: F.broadcast(x, x[:1, :, :1])[1]),
    ('permutate', lambda x: F.permutate(x, numpy.array([2, 0, 1], numpy.int32), axis=1)),
    ('permutate_inv', lambda x: F.permutate(x, numpy.array([2, 0, 1], numpy.int32),
                                            axis=1, inv=True)),
    ('hstack', lambda x: F.hstack([x, x * 2])), ('vstack', lambda x: F.vstack([x, x])),
    ('dstack', lambda x: F.dstack([x, x])),
    ('unpooling_2d', lambda x: F.unpooling_2d(x, 2, cover_all=False)),
    ('scaled_dot_product_attention', lambda x: F.scaled_dot_product_attention(x, x, x)),
    ('sdpa_causal', lambda x: F.scaled_dot_product_attention(x, x * 2, x, is_causal=True)),
    ('sdpa_mask', lambda x: F.scaled_dot_product_attention(
        x, x, x, mask=numpy.tri(6, 6, dtype=bool)[:, :6], scale=0.2)),
    ('select_item', lambda x: F.select_item(F.reshape(x, (6, 30)),
                                            numpy.array([0, 5, 29, 3, 3, 1], numpy.int32))),
    ('pad_sequence', lambda x: F.pad_sequence([x[0, 0], x[1, 0, :4]], padding=-1)),
    ('transpose_sequence', lambda x: F.concat(F.transpose_sequence(
        [x[0, 0], x[1, 0, :4], x[1, 1, :2]]), axis=0)),
]


@pytest.mark.parametrize('opset', OPSETS)
@pytest.mark.parametrize('name,fn', UNARY, ids=[u[0] for u in UNARY])
def test_unary(name, fn, opset):
    rtol, atol = 1e-5, 1e-6
    if name in ('gelu', 'mish', 'erf', 'logsumexp', 'pow', 'rpow', 'pow_const',
                'local_response_normalization', 'normalize', 'group_normalization',
                'layer_normalization', 'resize_images', 'einsum', 'tensordot', 'prod',
                'cosh', 'sinh', 'log_sigmoid', 'softplus_beta', 'expm1', 'log1p', 'tan'):
        rtol, atol = 1e-4, 1e-5
    check(Fn(lambda x: fn(x)), x4(), opset=opset, rtol=rtol, atol=atol)


PARAM = [
    ('linear', lambda x, W, b: F.linear(F.reshape(x, (2, -1)), W, b),
     dict(W=rand(4, 90, seed=1), b=rand(4, seed=2))),
    ('linear_nobias', lambda x, W: F.linear(F.reshape(x, (2, -1)), W),
     dict(W=rand(4, 90, seed=1))),
    ('linear_3d', lambda x, W, b: F.linear(F.reshape(x, (2, 3, 30)), W, b, n_batch_axes=2),
     dict(W=rand(4, 30, seed=1), b=rand(4, seed=2))),
    ('convolution_2d', lambda x, W, b: F.convolution_2d(x, W, b, stride=2, pad=1),
     dict(W=rand(4, 3, 3, 3, seed=1), b=rand(4, seed=2))),
    ('convolution_cover_all', lambda x, W: F.convolution_2d(x, W, stride=2, cover_all=True),
     dict(W=rand(4, 3, 2, 2, seed=1))),
    ('convolution_groups', lambda x, W: F.convolution_2d(F.concat([x, x], 1), W, groups=2),
     dict(W=rand(4, 3, 3, 3, seed=1))),
    ('dilated_convolution_2d', lambda x, W: F.dilated_convolution_2d(x, W, dilate=2, pad=2),
     dict(W=rand(4, 3, 3, 3, seed=1))),
    ('depthwise_convolution_2d', lambda x, W: F.depthwise_convolution_2d(x, W, pad=1),
     dict(W=rand(2, 3, 3, 3, seed=1))),
    ('convolution_1d', lambda x, W: F.convolution_1d(F.reshape(x, (2, 3, 30)), W, stride=3),
     dict(W=rand(4, 3, 5, seed=1))),
    ('convolution_3d', lambda x, W: F.convolution_3d(F.reshape(x, (2, 3, 2, 3, 5)), W, pad=1),
     dict(W=rand(2, 3, 2, 2, 2, seed=1))),
    ('deconvolution_2d', lambda x, W, b: F.deconvolution_2d(x, W, b, stride=2, pad=1),
     dict(W=rand(3, 4, 3, 3, seed=1), b=rand(4, seed=2))),
    ('deconvolution_outsize', lambda x, W: F.deconvolution_2d(x, W, stride=2, pad=1,
                                                              outsize=(12, 10)),
     dict(W=rand(3, 4, 3, 3, seed=1))),
    ('deconvolution_groups', lambda x, W: F.deconvolution_2d(F.concat([x, x], 1), W,
                                                             groups=2),
     dict(W=rand(6, 2, 3, 3, seed=1))),
    ('prelu', lambda x, W: F.prelu(x, W), dict(W=rand(3, seed=1))),
    ('swish', lambda x, b: F.swish(x, b), dict(b=rand(3, seed=1))),
    ('batch_normalization_train', lambda x, g, b: F.batch_normalization(x, g, b),
     dict(g=rand(3, seed=1), b=rand(3, seed=2))),
    ('Convolution2DFunction', lambda x, W: F.Convolution2DFunction(stride=2, pad=1).apply(
        (x, W))[0], dict(W=rand(4, 3, 3, 3, seed=1))),
    ('Deconvolution2DFunction', lambda x, W: F.Deconvolution2DFunction(
        stride=2, outsize=(14, 12)).apply((x, W))[0], dict(W=rand(3, 2, 3, 3, seed=1))),
    ('lstm', lambda x, W: F.lstm(F.reshape(x, (2, -1))[:, :8],
                                 F.linear(F.reshape(x, (2, -1)), W))[1],
     dict(W=rand(32, 90, seed=1))),
    ('lstm_cell', lambda x, W: F.lstm(F.reshape(x, (2, -1))[:, :8],
                                      F.linear(F.reshape(x, (2, -1)), W))[0],
     dict(W=rand(32, 90, seed=1))),
    ('lstm_shrinking_batch', lambda x, W: F.lstm(F.reshape(x, (2, -1))[:, :8],
                                                 F.linear(F.reshape(x, (2, -1))[:1], W))[0],
     dict(W=rand(32, 90, seed=1))),
]


@pytest.mark.parametrize('opset', OPSETS)
@pytest.mark.parametrize('name,fn,params', PARAM, ids=[p[0] for p in PARAM])
def test_with_params(name, fn, params, opset):
    check(Fn(fn, **params), x4(), opset=opset, rtol=1e-5, atol=1e-5,
          train=name.endswith('_train'))


def test_embed_id():
    ids = numpy.array([[1, 0, 3], [2, 2, 1]], numpy.int32)
    check(Fn(lambda x, W: F.embed_id(x, W), W=rand(4, 5)), ids)
    check(Fn(lambda x, W: F.embed_id(x, W, ignore_label=2), W=rand(4, 5)), ids)


def test_softmax_cross_entropy():
    t = numpy.array([1, 0, -1, 4, 2, 3], numpy.int32)
    check(Fn(lambda x, t: F.softmax_cross_entropy(F.reshape(x, (6, 15)), t)),
          (rand(2, 3, 15), t), rtol=1e-5, atol=1e-6)


def test_mean_squared_error():
    check(Fn(lambda x, y: F.mean_squared_error(x, y)), (rand(3, 4), rand(3, 4, seed=1)))


def test_dropout_train_masks_or_scales():
    from kusari import onnx as konnx
    from onnx_testing import run_ort
    x = rand(50, 40) + 2
    proto = konnx.export(Fn(lambda x: F.dropout(x, 0.25)), x, train=True)
    y, = run_ort(proto, {'Input_0': x})
    kept = y != 0
    numpy.testing.assert_allclose(y[kept], x[kept] / 0.75, rtol=1e-6)
    assert 0.6 < kept.mean() < 0.9


def test_dropout_is_identity_at_inference():
    from kusari import onnx as konnx
    proto = konnx.export(Fn(lambda x: F.relu(F.dropout(x, 0.5))), rand(3, 4))
    assert [n.op_type for n in proto.graph.node] == ['Relu']


def test_roi_pooling_2d():
    rois = numpy.array([[0, 1.2, 0.3, 7.7, 6.1], [1, 0, 0, 9, 11], [1, 3.3, 2.2, 8.8, 5.1],
                        [0, 2.1, 7.6, 2.4, 7.9]], numpy.float32)
    model = Fn(lambda x, r: F.roi_pooling_2d(x, r, 3, 2, 0.8))
    for opset in [o for o in OPSETS if o <= 21]:
        check(model, (rand(2, 3, 12, 10), rois), opset=opset)
    with pytest.raises(konnx.UnsupportedFunctionError, match='opsets 13..21 only'):
        konnx.export(model, (rand(2, 3, 12, 10), rois), opset_version=22)


def test_lstm_link_steps():
    import kusari.links as L
    lstm = L.LSTM(3, 3)

    class M(kusari.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.lstm = lstm

        def forward(self, x):
            self.lstm.reset_state()
            h = self.lstm(x)
            return self.lstm(h * 2 + F.reshape(F.sum(x, axis=1), (2, 1)))
    for opset in OPSETS:
        check(M(), rand(2, 3), opset=opset, rtol=1e-5, atol=1e-6)


def test_rrelu_exports_the_slopes_it_drew():
    from onnx_testing import run_ort
    x = rand(3, 4)
    proto, ins, outs = konnx.export(Fn(F.rrelu), x, return_named_inout=True)
    y, = run_ort(proto, {'Input_0': x})
    numpy.testing.assert_allclose(y, outs['Output_0'].array, rtol=1e-6)


def test_gradient_graph_double_backprop():
    # a model whose output is a gradient: its graph holds backward functions (Log)
    def fn(x):
        y = F.sum((x + 2) ** (x * 0.5))
        gx, = kusari.grad([y], [x], enable_double_backprop=True)
        return gx
    check(Fn(fn), rand(2, 3), rtol=1e-5, atol=1e-5)
