"""CaffeFunction: small .caffemodel files built in the test, outputs against NumPy
references; the schema against hand-encoded protobuf bytes of caffe.proto."""
import struct
import warnings

import numpy
import pytest

import kusari

pytest.importorskip('google.protobuf')
from kusari.links import caffe  # noqa: E402
from kusari.links.caffe import caffe_pb  # noqa: E402
import kusari.links as L  # noqa: E402

RNG = numpy.random.RandomState(0)


def _blob(layer, array, legacy=False):
    blob = layer.blobs.add()
    array = numpy.asarray(array, numpy.float32)
    if legacy:
        blob.num, blob.channels, blob.height, blob.width = array.shape
    else:
        blob.shape.dim.extend(array.shape)
    blob.data.extend(array.ravel().tolist())
    return array


def _layer(net, name, type_, bottom, top, **params):
    layer = net.layer.add(name=name, type=type_)
    layer.bottom.extend(bottom)
    layer.top.extend(top)
    for field, values in params.items():
        sub = getattr(layer, field)
        for k, v in values.items():
            if isinstance(v, list):
                getattr(sub, k).extend(v)
            else:
                setattr(sub, k, v)
    return layer


def _write(tmp_path, net, name='net.caffemodel'):
    path = tmp_path / name
    path.write_bytes(net.SerializeToString())
    return str(path)


# -- NumPy references ------------------------------------------------------------

def conv(x, W, b, stride, pad, group):
    n, c, h, w = x.shape
    o, cg, kh, kw = W.shape
    xp = numpy.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    y = numpy.zeros((n, o, oh, ow))
    og = o // group
    for g in range(group):
        Wg = W[g * og:(g + 1) * og]
        xg = xp[:, g * cg:(g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                patch = xg[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
                y[:, g * og:(g + 1) * og] += numpy.einsum('ncHW,oc->noHW', patch,
                                                          Wg[:, :, i, j])
    return y + b[None, :, None, None]


def pool(x, k, s, op):
    n, c, h, w = x.shape
    oh, ow = -(-(h - k) // s) + 1, -(-(w - k) // s) + 1  # Caffe's ceil mode
    y = numpy.empty((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            y[:, :, i, j] = op(x[:, :, i * s:i * s + k, j * s:j * s + k], axis=(2, 3))
    return y


def lrn(x, n, k, alpha, beta):
    sq = numpy.pad(x ** 2, ((0, 0), (n // 2, n // 2), (0, 0), (0, 0)))
    window = sum(sq[:, i:i + x.shape[1]] for i in range(n))
    return x / (k + alpha / n * window) ** beta


def softmax(x):
    e = numpy.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.fixture
def net_and_weights(tmp_path):
    net = caffe_pb.NetParameter(name='small')
    _layer(net, 'input', 'Input', [], ['data'])
    w = {}
    conv1 = _layer(net, 'conv1', 'Convolution', ['data'], ['conv1'],
                   convolution_param={'num_output': 6, 'kernel_size': [3],
                                      'stride': [2], 'pad': [1], 'group': 2})
    w['conv1_W'] = _blob(conv1, RNG.normal(0, 0.5, (6, 2, 3, 3)))
    w['conv1_b'] = _blob(conv1, RNG.normal(0, 0.5, (6,)))
    _layer(net, 'relu1', 'ReLU', ['conv1'], ['conv1'])
    _layer(net, 'split', 'Split', ['conv1'], ['conv1_a', 'conv1_b'])
    bn = _layer(net, 'bn', 'BatchNorm', ['conv1_a'], ['bn'],
                batch_norm_param={'use_global_stats': True})
    w['mean'] = _blob(bn, RNG.normal(0, 1, (6,)))
    w['var'] = _blob(bn, RNG.uniform(0.5, 2, (6,)))
    _blob(bn, [2.0])  # Caffe's moving-average scale factor
    scale = _layer(net, 'scale', 'Scale', ['bn'], ['bn'],
                   scale_param={'axis': 1, 'bias_term': True})
    w['gamma'] = _blob(scale, RNG.normal(1, 0.2, (6,)))
    w['beta'] = _blob(scale, RNG.normal(0, 0.2, (6,)))
    _layer(net, 'pool_max', 'Pooling', ['bn'], ['pool_max'],
           pooling_param={'pool': 0, 'kernel_size': 3, 'stride': 2})
    _layer(net, 'pool_ave', 'Pooling', ['conv1_b'], ['pool_ave'],
           pooling_param={'pool': 1, 'kernel_size': 2, 'stride': 2})
    _layer(net, 'concat', 'Concat', ['pool_max', 'pool_ave'], ['concat'],
           concat_param={'axis': 1})
    _layer(net, 'sum', 'Eltwise', ['pool_max', 'pool_ave'], ['sum'],
           eltwise_param={'operation': 1, 'coeff': [1.0, -0.5]})
    _layer(net, 'prod', 'Eltwise', ['pool_max', 'pool_ave'], ['prod'],
           eltwise_param={'operation': 0})
    _layer(net, 'emax', 'Eltwise', ['pool_max', 'pool_ave'], ['emax'],
           eltwise_param={'operation': 2})
    _layer(net, 'lrn', 'LRN', ['concat'], ['lrn'],
           lrn_param={'local_size': 3, 'alpha': 0.3, 'beta': 0.75, 'k': 2.0})
    _layer(net, 'drop', 'Dropout', ['lrn'], ['lrn'],
           dropout_param={'dropout_ratio': 0.3})
    fc = _layer(net, 'fc', 'InnerProduct', ['lrn'], ['fc'],
                inner_product_param={'num_output': 5})
    w['fc_W'] = _blob(fc, RNG.normal(0, 0.3, (5, 48)))
    w['fc_b'] = _blob(fc, RNG.normal(0, 0.3, (5,)))
    _layer(net, 'sig', 'Sigmoid', ['fc'], ['sig'])
    _layer(net, 'leaky', 'ReLU', ['fc'], ['leaky'], relu_param={'negative_slope': 0.1})
    _layer(net, 'prob', 'Softmax', ['fc'], ['prob'])
    legacy = _layer(net, 'fc_legacy', 'InnerProduct', ['sum'], ['fc_legacy'],
                    inner_product_param={'num_output': 3, 'bias_term': False})
    w['legacy_W'] = _blob(legacy, RNG.normal(0, 0.3, (1, 1, 3, 24)), legacy=True)
    _layer(net, 'reshape', 'Reshape', ['sum'], ['flat'])
    net.layer[-1].reshape_param.shape.dim.extend([0, -1])
    _layer(net, 'slice', 'Slice', ['concat'], ['s1', 's2'],
           slice_param={'axis': 1, 'slice_point': [5]})
    deconv = _layer(net, 'deconv', 'Deconvolution', ['pool_max'], ['deconv'],
                    convolution_param={'num_output': 2, 'kernel_size': [2],
                                       'stride': [2]})
    w['deconv_W'] = _blob(deconv, RNG.normal(0, 0.3, (6, 2, 2, 2)))
    w['deconv_b'] = _blob(deconv, RNG.normal(0, 0.3, (2,)))
    _layer(net, 'py', 'Python', ['fc'], ['py'])
    return _write(tmp_path, net), w


def test_small_network_against_numpy(net_and_weights):
    path, w = net_and_weights
    with pytest.warns(UserWarning, match='Skip the layer "py"'):
        func = caffe.CaffeFunction(path)
    assert isinstance(func.conv1, L.Convolution2D)
    assert isinstance(func.deconv, L.Deconvolution2D)
    assert isinstance(func.fc, L.Linear)
    assert isinstance(func.bn, L.BatchNormalization)
    assert isinstance(func.scale, L.Scale)
    assert func.split_map == {'conv1_a': 'conv1', 'conv1_b': 'conv1'}
    assert [name for name, _, _ in func.layers][:3] == ['conv1', 'relu1', 'bn']
    assert ('bn', ['conv1'], ['bn']) in func.layers
    # Grouped weights become block-diagonal.
    W = func.conv1.W.array
    assert W.shape == (6, 4, 3, 3)
    numpy.testing.assert_array_equal(W[:3, :2], w['conv1_W'][:3])
    numpy.testing.assert_array_equal(W[3:, 2:], w['conv1_W'][3:])
    assert not W[:3, 2:].any() and not W[3:, :2].any()

    x = RNG.uniform(-1, 1, (2, 4, 7, 7)).astype(numpy.float32)
    names = ['conv1', 'bn', 'pool_max', 'pool_ave', 'concat', 'sum', 'prod', 'emax',
             'lrn', 'fc', 'sig', 'leaky', 'prob', 'fc_legacy', 'flat', 's1', 's2',
             'deconv']
    with kusari.using_config('train', False):
        out = dict(zip(names, func(inputs={'data': x}, outputs=names)))
    assert 'py' not in func.variables

    r = {}
    r['conv1'] = numpy.maximum(conv(x, w['conv1_W'], w['conv1_b'], 2, 1, 2), 0)
    c = (None, slice(None), None, None)
    r['bn'] = ((r['conv1'] - w['mean'][c] / 2) / numpy.sqrt(w['var'][c] / 2 + 1e-5)
               * w['gamma'][c] + w['beta'][c])
    r['pool_max'] = pool(r['bn'], 3, 2, numpy.max)
    r['pool_ave'] = pool(r['conv1'], 2, 2, numpy.mean)
    r['concat'] = numpy.concatenate([r['pool_max'], r['pool_ave']], axis=1)
    r['sum'] = r['pool_max'] - 0.5 * r['pool_ave']
    r['prod'] = r['pool_max'] * r['pool_ave']
    r['emax'] = numpy.maximum(r['pool_max'], r['pool_ave'])
    r['lrn'] = lrn(r['concat'], 3, 2.0, 0.3, 0.75)
    r['fc'] = r['lrn'].reshape(2, -1) @ w['fc_W'].T + w['fc_b']
    r['sig'] = 1 / (1 + numpy.exp(-r['fc']))
    r['leaky'] = numpy.where(r['fc'] > 0, r['fc'], 0.1 * r['fc'])
    r['prob'] = softmax(r['fc'])
    r['fc_legacy'] = r['sum'].reshape(2, -1) @ w['legacy_W'][0, 0].T
    r['flat'] = r['sum'].reshape(2, 24)
    r['s1'], r['s2'] = r['concat'][:, :5], r['concat'][:, 5:]
    pm = r['pool_max']
    deconv = numpy.zeros((2, 2, 4, 4))
    for i in range(2):
        for j in range(2):
            deconv[:, :, i::2, j::2] += numpy.einsum(
                'ncHW,co->noHW', pm, w['deconv_W'][:, :, i, j])
    r['deconv'] = deconv + w['deconv_b'][None, :, None, None]
    assert out['pool_max'].shape == (2, 6, 2, 2)
    for name in names:
        numpy.testing.assert_allclose(out[name].array, r[name], rtol=1e-4, atol=1e-5,
                                      err_msg=name)


def test_disable_and_partial_inputs(net_and_weights):
    path, _ = net_and_weights
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        func = caffe.CaffeFunction(path)
    x = numpy.zeros((1, 4, 7, 7), numpy.float32)
    # Feeding an intermediate blob runs only what depends on it.
    pm = RNG.uniform(-1, 1, (1, 6, 2, 2)).astype(numpy.float32)
    y, = func(inputs={'pool_max': pm}, outputs=['deconv'])
    assert y.shape == (1, 2, 4, 4)
    assert 'conv1' not in func.variables
    with pytest.raises(KeyError, match='fc'):
        func(inputs={'data': x}, outputs=['fc'], disable=['lrn'])
    with pytest.raises(ValueError, match='train argument'):
        func(inputs={'data': x}, outputs=['conv1'], train=False)


def test_batchnorm_train_mode_uses_batch_statistics(tmp_path):
    net = caffe_pb.NetParameter()
    bn = _layer(net, 'bn', 'BatchNorm', ['x'], ['y'])
    _blob(bn, numpy.full(3, 5.0))
    _blob(bn, numpy.full(3, 9.0))
    func = caffe.CaffeFunction(_write(tmp_path, net))
    numpy.testing.assert_allclose(func.bn.avg_mean, 5.0)
    x = RNG.normal(3, 2, (8, 3)).astype(numpy.float32)
    with kusari.using_config('train', False):
        y, = func(inputs={'x': x}, outputs=['y'])
    numpy.testing.assert_allclose(y.array, (x - 5) / numpy.sqrt(9 + 1e-5), rtol=1e-5)
    with kusari.using_config('train', True):
        y, = func(inputs={'x': x}, outputs=['y'])
    ref = (x - x.mean(0)) / numpy.sqrt(x.var(0) + 1e-5)
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-4, atol=1e-4)
    # ... and, in training, updates the running mean with Caffe's fraction 0.999.
    numpy.testing.assert_allclose(func.bn.avg_mean, 0.999 * 5 + 0.001 * x.mean(0),
                                  rtol=1e-5)


def test_gradients_flow_to_caffe_parameters(tmp_path):
    net = caffe_pb.NetParameter()
    fc = _layer(net, 'fc', 'InnerProduct', ['x'], ['y'])
    _blob(fc, RNG.normal(size=(2, 3)))
    _blob(fc, RNG.normal(size=(2,)))
    func = caffe.CaffeFunction(_write(tmp_path, net))
    x = RNG.normal(size=(4, 3)).astype(numpy.float32)
    y, = func(inputs={'x': x}, outputs=['y'])
    func.cleargrads()
    kusari.functions.sum(y).backward()
    numpy.testing.assert_allclose(func.fc.W.grad, numpy.tile(x.sum(0), (2, 1)),
                                  rtol=1e-5)


def test_v1_layers_format(tmp_path):
    net = caffe_pb.NetParameter()
    data = net.layers.add(name='data', type=5)
    data.top.append('x')
    c = net.layers.add(name='conv', type=4, bottom=['x'], top=['c'])
    c.convolution_param.kernel_size.append(1)
    c.convolution_param.num_output = 2
    W = _blob(c, RNG.normal(size=(2, 3, 1, 1)), legacy=True)
    b = _blob(c, RNG.normal(size=(1, 1, 1, 2)), legacy=True)
    net.layers.add(name='relu', type=18, bottom=['c'], top=['c'])
    p = net.layers.add(name='pool', type=17, bottom=['c'], top=['p'])
    p.pooling_param.kernel_size = 2
    p.pooling_param.stride = 2
    p.pooling_param.pool = 1
    net.layers.add(name='prob', type=20, bottom=['p'], top=['prob'])
    func = caffe.CaffeFunction(_write(tmp_path, net))
    assert [name for name, _, _ in func.layers] == ['conv', 'relu', 'pool', 'prob']
    x = RNG.normal(size=(1, 3, 4, 4)).astype(numpy.float32)
    y, = func(inputs={'x': x}, outputs=['prob'])
    h = numpy.maximum(conv(x, W, b.ravel(), 1, 0, 1), 0)
    numpy.testing.assert_allclose(y.array, softmax(pool(h, 2, 2, numpy.mean)),
                                  rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('type_,params', [
    ('InnerProduct', {'inner_product_param': {'axis': 0}}),
    ('LRN', {'lrn_param': {'norm_region': 1}}),
    ('Pooling', {'pooling_param': {'pool': 2}}),
    ('Softmax', {'softmax_param': {'axis': 0}}),
    ('SoftmaxWithLoss', {'softmax_param': {'axis': 2}}),
])
def test_unsupported_settings_raise_runtime_error(tmp_path, type_, params):
    net = caffe_pb.NetParameter()
    _layer(net, 'l1', type_, ['x'], ['y'], **params)
    with pytest.raises(RuntimeError, match="'l1'"):
        caffe.CaffeFunction(_write(tmp_path, net))


def test_inner_product_blob_rank(tmp_path):
    net = caffe_pb.NetParameter()
    layer = _layer(net, 'l1', 'InnerProduct', ['x'], ['y'])
    layer.blobs.add().shape.dim.extend([2, 3, 4, 5, 6])
    with pytest.raises(RuntimeError, match='2-D or 4-D'):
        caffe.CaffeFunction(_write(tmp_path, net))


def test_not_a_caffemodel(tmp_path):
    path = tmp_path / 'bad.caffemodel'
    path.write_bytes(b'\xff\xff\xff\xff not protobuf')
    with pytest.raises(ValueError, match='not a binary Caffe model'):
        caffe.CaffeFunction(str(path))


# -- the schema: field numbers of BVLC caffe.proto, encoded by hand ----------------

def _varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7f
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _key(number, wire):
    return _varint(number << 3 | wire)


def _v(number, value):
    return _key(number, 0) + _varint(value)


def _s(number, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return _key(number, 2) + _varint(len(payload)) + payload


def _f(number, value):
    return _key(number, 5) + struct.pack('<f', value)


def _packed_floats(number, values):
    return _s(number, b''.join(struct.pack('<f', v) for v in values))


def test_schema_field_numbers_match_caffe_proto():
    blob = _s(7, _s(1, _varint(2) + _varint(3))) + _packed_floats(5, range(6))
    legacy_blob = _v(1, 1) + _v(2, 2) + _v(3, 3) + _v(4, 4)
    layer = (_s(1, 'l') + _s(2, 'Convolution') + _s(3, 'b') + _s(4, 't')
             + _s(7, blob) + _s(7, legacy_blob)
             + _s(106, _v(1, 8) + _v(2, 0) + _v(3, 1) + _v(4, 3) + _v(6, 2)
                  + _v(5, 4) + _v(11, 5) + _v(12, 6) + _v(13, 7) + _v(14, 8)
                  + _v(9, 9) + _v(10, 10) + _v(18, 2))
             + _s(121, _v(1, 1) + _v(2, 3) + _v(3, 2) + _v(4, 1) + _v(12, 1))
             + _s(118, _v(1, 7) + _f(2, 0.5) + _f(3, 0.25) + _v(4, 1) + _f(5, 3.0))
             + _s(139, _v(1, 1) + _f(2, 0.5) + _f(3, 0.125))
             + _s(142, _v(1, 2) + _v(4, 1))
             + _s(110, _v(1, 2) + _f(2, 1.5))
             + _s(104, _v(2, 3))
             + _s(108, _f(1, 0.75))
             + _s(117, _v(1, 10) + _v(2, 0) + _v(5, 1))
             + _s(123, _f(1, 0.125))
             + _s(125, _v(1, 2) + _v(2, 1))
             + _s(126, _v(3, 2) + _v(2, 4))
             + _s(133, _s(1, _s(1, _varint(0) + _varint(2 ** 64 - 1)))))
    v1 = _s(4, 'old') + _v(5, 14) + _s(2, 'x') + _s(3, 'y') + _s(17, _v(1, 4))
    data = _s(1, 'n') + _s(100, layer) + _s(2, v1)
    net = caffe_pb.NetParameter.FromString(data)
    assert net.name == 'n'
    l = net.layer[0]
    assert (l.name, l.type, list(l.bottom), list(l.top)) == ('l', 'Convolution',
                                                             ['b'], ['t'])
    assert list(l.blobs[0].shape.dim) == [2, 3]
    assert list(l.blobs[0].data) == [0, 1, 2, 3, 4, 5]
    b = l.blobs[1]
    assert (b.num, b.channels, b.height, b.width) == (1, 2, 3, 4)
    cp = l.convolution_param
    assert (cp.num_output, cp.bias_term, list(cp.pad), list(cp.kernel_size),
            list(cp.stride), cp.group, cp.kernel_h, cp.kernel_w, cp.stride_h,
            cp.stride_w, cp.pad_h, cp.pad_w, list(cp.dilation)) == \
        (8, False, [1], [3], [2], 4, 5, 6, 7, 8, 9, 10, [2])
    pp = l.pooling_param
    assert (pp.pool, pp.kernel_size, pp.stride, pp.pad, pp.global_pooling) == \
        (1, 3, 2, 1, True)
    lp = l.lrn_param
    assert (lp.local_size, lp.alpha, lp.beta, lp.norm_region, lp.k) == \
        (7, 0.5, 0.25, 1, 3.0)
    bp = l.batch_norm_param
    assert (bp.use_global_stats, bp.moving_average_fraction, bp.eps) == \
        (True, 0.5, 0.125)
    assert (l.scale_param.axis, l.scale_param.bias_term) == (2, True)
    assert (l.eltwise_param.operation, list(l.eltwise_param.coeff)) == (2, [1.5])
    assert l.concat_param.axis == 3
    assert l.dropout_param.dropout_ratio == 0.75
    ip = l.inner_product_param
    assert (ip.num_output, ip.bias_term, ip.axis) == (10, False, 1)
    assert l.relu_param.negative_slope == 0.125
    assert (l.softmax_param.engine, l.softmax_param.axis) == (2, 1)
    assert (l.slice_param.axis, list(l.slice_param.slice_point)) == (2, [4])
    assert list(l.reshape_param.shape.dim) == [0, -1]
    old = net.layers[0]
    assert (old.name, old.type, list(old.bottom), list(old.top)) == \
        ('old', 14, ['x'], ['y'])
    assert old.inner_product_param.num_output == 4
    assert caffe_pb.V1_LAYER_TYPES[old.type] == 'InnerProduct'


def test_schema_defaults_match_caffe_proto():
    layer = caffe_pb.LayerParameter()
    assert layer.convolution_param.bias_term is True
    assert layer.convolution_param.group == 1
    assert layer.pooling_param.stride == 1
    assert layer.lrn_param.local_size == 5 and layer.lrn_param.beta == 0.75
    assert layer.eltwise_param.operation == caffe_pb.EltwiseOp_SUM
    assert layer.dropout_param.dropout_ratio == 0.5
    assert layer.concat_param.axis == 1 and layer.softmax_param.axis == 1
    assert layer.reshape_param.num_axes == -1
    assert abs(layer.batch_norm_param.moving_average_fraction - 0.999) < 1e-6
