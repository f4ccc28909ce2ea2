"""Vision models: layer names and shapes, NumPy references for preprocessing, the
first VGG block, ResNet's head and predict's cropping; pretrained_model handling."""
import collections
import os
import socket

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import initializers

PIL = pytest.importorskip('PIL.Image')
from kusari.links.model.vision import googlenet  # noqa: E402
from kusari.links.model.vision import resnet  # noqa: E402
from kusari.links.model.vision import vgg  # noqa: E402

MEANS = [(vgg, (103.939, 116.779, 123.68)), (resnet, (103.063, 115.903, 123.152)),
         (googlenet, (104.0, 117.0, 123.0))]


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError('a vision test tried to open a network connection')
    monkeypatch.setattr(socket.socket, 'connect', refuse)


@pytest.fixture
def fast_normal(monkeypatch):
    # VGG's 138M Normal(0.01) samples take seconds; the shape tests don't need them.
    monkeypatch.setattr(initializers, 'Normal', lambda scale=1.0: initializers.Zero())


@pytest.fixture
def empty_root(tmp_path, monkeypatch):
    monkeypatch.setenv('KUSARI_DATASET_ROOT', str(tmp_path))
    try:
        import kusari.dataset as D
    except ImportError:
        pass
    else:
        monkeypatch.setattr(D, 'get_dataset_root', lambda: str(tmp_path))
    return tmp_path / 'pfnet' / 'chainer' / 'models'


def _reference_prepare(image, size, mean):
    img = PIL.fromarray(image).convert('RGB')
    if size:
        img = img.resize(size)
    a = numpy.asarray(img).astype(numpy.float64)[:, :, ::-1] - numpy.array(mean)
    return a.transpose(2, 0, 1)


# -- prepare ------------------------------------------------------------------------

@pytest.mark.parametrize('module,mean', MEANS)
def test_prepare_matches_pillow_reference(module, mean):
    rng = numpy.random.RandomState(0)
    rgb = rng.randint(0, 256, (20, 16, 3)).astype(numpy.uint8)
    gray = rng.randint(0, 256, (20, 16)).astype(numpy.uint8)
    for image, size in [(rgb, (12, 10)), (rgb, None), (gray, (8, 8)), (gray, None)]:
        y = module.prepare(image, size=size)
        assert y.dtype == numpy.float32
        numpy.testing.assert_allclose(y, _reference_prepare(image, size, mean),
                                      rtol=0, atol=1e-4)
    # CHW inputs and PIL images give the same as HWC ones.
    numpy.testing.assert_array_equal(module.prepare(rgb.transpose(2, 0, 1), None),
                                     module.prepare(rgb, None))
    numpy.testing.assert_array_equal(module.prepare(gray[None], None),
                                     module.prepare(gray, None))
    numpy.testing.assert_array_equal(module.prepare(PIL.fromarray(rgb), None),
                                     module.prepare(rgb, None))


def test_prepare_is_bgr_minus_mean_and_follows_config_dtype():
    image = numpy.empty((2, 3, 3), numpy.uint8)
    image[...] = (10, 20, 30)  # R, G, B
    y = vgg.prepare(image, size=None)
    assert y.shape == (3, 2, 3)
    numpy.testing.assert_allclose(y[:, 0, 0], [30 - 103.939, 20 - 116.779,
                                               10 - 123.68], rtol=1e-6)
    with kusari.using_config('dtype', numpy.float16):
        assert resnet.prepare(image).dtype == numpy.float16
        assert resnet.prepare(image).shape == (3, 224, 224)


def test_prepare_rejects_bad_input():
    with pytest.raises(ValueError, match='vgg.prepare'):
        vgg.prepare(numpy.zeros((2, 2, 2, 2), numpy.uint8))
    with pytest.raises(TypeError, match='googlenet.prepare'):
        googlenet.prepare([[1, 2], [3, 4]])


# -- VGG --------------------------------------------------------------------------

VGG16_NAMES = ['conv1_1', 'conv1_2', 'pool1', 'conv2_1', 'conv2_2', 'pool2',
               'conv3_1', 'conv3_2', 'conv3_3', 'pool3', 'conv4_1', 'conv4_2',
               'conv4_3', 'pool4', 'conv5_1', 'conv5_2', 'conv5_3', 'pool5',
               'fc6', 'fc7', 'fc8', 'prob']


def _conv_relu(x, W, b):
    """3x3, pad 1 convolution + ReLU in NumPy (x: (C, H, W))."""
    c, h, w = x.shape
    xp = numpy.pad(x, ((0, 0), (1, 1), (1, 1)))
    y = numpy.zeros((W.shape[0], h, w))
    for i in range(3):
        for j in range(3):
            y += numpy.einsum('oc,chw->ohw', W[:, :, i, j], xp[:, i:i + h, j:j + w])
    return numpy.maximum(y + b[:, None, None], 0)


def test_vgg16_layers_shapes_and_first_block(fast_normal):
    model = vgg.VGG16Layers(pretrained_model=None)
    assert model.available_layers == VGG16_NAMES
    assert isinstance(model.functions, collections.OrderedDict)
    assert model.conv1_1.W.shape == (64, 3, 3, 3)
    assert model.conv5_3.W.shape == (512, 512, 3, 3)
    assert model.fc6.W.shape == (4096, 512 * 7 * 7)
    assert model.fc8.W.shape == (1000, 4096)
    rng = numpy.random.RandomState(1)
    for conv in (model.conv1_1, model.conv1_2):
        conv.W.array[...] = rng.normal(0, 0.1, conv.W.shape)
        conv.b.array[...] = rng.normal(0, 0.1, conv.b.shape)
    x = rng.uniform(-1, 1, (1, 3, 6, 8)).astype(numpy.float32)
    out = model(x, layers=['conv1_2', 'pool1'])
    assert set(out) == {'conv1_2', 'pool1'}
    h = _conv_relu(x[0], model.conv1_1.W.array, model.conv1_1.b.array)
    h = _conv_relu(h, model.conv1_2.W.array, model.conv1_2.b.array)
    numpy.testing.assert_allclose(out['conv1_2'].array[0], h, rtol=1e-4, atol=1e-5)
    pooled = h.reshape(64, 3, 2, 4, 2).max(axis=(2, 4))
    numpy.testing.assert_allclose(out['pool1'].array[0], pooled, rtol=1e-4,
                                  atol=1e-5)
    # extract: prepare + forward; the Chainer-test sizes.
    img = rng.randint(0, 256, (80, 60)).astype(numpy.uint8)
    feats = model.extract([img], layers=['pool1'], size=None)
    assert feats['pool1'].shape == (1, 64, 40, 30)
    copied = model.copy()
    assert copied.conv1_1 is copied.functions['conv1_1'][0]
    with pytest.raises(ValueError, match='unknown layer'):
        model(x, layers=['conv9'])
    with pytest.raises(ValueError, match='test argument'):
        model(x, test=True)


def test_vgg16_full_forward_gives_probabilities():
    model = vgg.VGG16Layers(pretrained_model=None)
    # Chainer's initialization of an untrained model: N(0, 0.01) weights.
    assert abs(float(model.conv3_1.W.array.std()) - 0.01) < 1e-3
    assert not model.fc7.b.array.any()
    x = numpy.random.RandomState(2).uniform(-1, 1, (1, 3, 224, 224)).astype('f')
    with kusari.using_config('train', False):
        out = model(x, layers=['pool3', 'fc7', 'prob'])
    assert out['pool3'].shape == (1, 256, 28, 28)
    assert out['fc7'].shape == (1, 4096)
    prob = out['prob'].array
    assert prob.shape == (1, 1000)
    numpy.testing.assert_allclose(prob.sum(), 1, rtol=1e-5)


def test_vgg19_layers(fast_normal):
    model = vgg.VGG19Layers(pretrained_model=None)
    names = model.available_layers
    assert len(names) == 25
    assert names[6:11] == ['conv3_1', 'conv3_2', 'conv3_3', 'conv3_4', 'pool3']
    assert model.conv4_4.W.shape == (512, 512, 3, 3)
    out = model(numpy.zeros((1, 3, 32, 32), 'f'), layers=['pool5'])
    assert out['pool5'].shape == (1, 512, 1, 1)


def test_vgg_bad_n_layers():
    with pytest.raises(ValueError, match='16 or 19'):
        vgg.VGGLayers(pretrained_model=None, n_layers=11)


# -- predict (shared code) against a NumPy reference of the crops -----------------

def _cheap_prob(h):
    return F.softmax(F.mean(h, axis=(2, 3)) * 0.01)


@pytest.mark.parametrize('oversample', [True, False])
def test_predict_crops_and_averages(monkeypatch, oversample):
    model = googlenet.GoogLeNet(pretrained_model=None)
    monkeypatch.setattr(googlenet.GoogLeNet, 'functions', property(
        lambda self: collections.OrderedDict([('prob', [_cheap_prob])])))
    rng = numpy.random.RandomState(3)
    images = [rng.randint(0, 256, (300, 200, 3)).astype(numpy.uint8),
              rng.randint(0, 256, (100, 120)).astype(numpy.uint8)]
    y = model.predict(images, oversample=oversample)
    assert y.shape == (2, 3)
    assert y.creator is None  # computed without a graph

    def prob(crop):
        e = numpy.exp(crop.mean(axis=(1, 2)) * 0.01)
        return e / e.sum()

    for k, image in enumerate(images):
        x = _reference_prepare(image, (256, 256), (104.0, 117.0, 123.0))
        if oversample:
            crops = [x[:, a:a + 224, b:b + 224] for a, b in
                     [(0, 0), (0, 32), (32, 0), (32, 32), (16, 16)]]
            crops += [c[:, :, ::-1] for c in crops]
            expected = numpy.mean([prob(c) for c in crops], axis=0)
        else:
            expected = prob(x[:, 16:240, 16:240])
        numpy.testing.assert_allclose(y.array[k], expected, rtol=1e-5)


# -- ResNet -------------------------------------------------------------------------

@pytest.fixture(scope='module')
def resnet50():
    return resnet.ResNet50Layers(pretrained_model=None)


def test_resnet50_layers_and_head(resnet50):
    model = resnet50
    assert model.available_layers == ['conv1', 'pool1', 'res2', 'res3', 'res4',
                                      'res5', 'pool5', 'fc6', 'prob']
    assert model.res2._forward == ['a', 'b1', 'b2']
    assert [len(getattr(model, 'res%d' % i)._forward) for i in range(2, 6)] == \
        [3, 4, 6, 3]
    assert model.conv1.W.shape == (64, 3, 7, 7)
    assert model.res3.a.conv1.stride == (2, 2) and model.res3.a.conv2.stride == (1, 1)
    assert model.res5.a.conv4.W.shape == (2048, 1024, 1, 1)
    assert model.res2.a.conv1.b is None
    # HeNormal(scale=1): std sqrt(2 / fan_in).
    W = model.res4.b1.conv2.W.array
    assert abs(float(W.std()) - numpy.sqrt(2 / (256 * 9))) < 2e-3
    x = numpy.random.RandomState(4).uniform(-1, 1, (2, 3, 64, 64)).astype('f')
    with kusari.using_config('train', False):
        out = model(x, layers=['res2', 'res3', 'res5', 'pool5', 'fc6', 'prob'])
    assert out['res2'].shape == (2, 256, 16, 16)
    assert out['res3'].shape == (2, 512, 8, 8)
    assert out['res5'].shape == (2, 2048, 2, 2)
    pool5 = out['res5'].array.mean(axis=(2, 3))
    numpy.testing.assert_allclose(out['pool5'].array, pool5, rtol=1e-5, atol=1e-6)
    fc6 = pool5 @ model.fc6.W.array.T + model.fc6.b.array
    numpy.testing.assert_allclose(out['fc6'].array, fc6, rtol=1e-4, atol=1e-5)
    e = numpy.exp(fc6 - fc6.max(axis=1, keepdims=True))
    numpy.testing.assert_allclose(out['prob'].array, e / e.sum(axis=1, keepdims=True),
                                  rtol=1e-4, atol=1e-7)
    copied = model.copy()
    assert copied.conv1 is copied.functions['conv1'][0]
    assert copied.res2.a is getattr(copied.res2, copied.res2._forward[0])


def test_resnet_extract_sizes(resnet50):
    rng = numpy.random.RandomState(5)
    img = rng.randint(0, 256, (80, 60)).astype(numpy.uint8)
    with kusari.using_config('train', False):
        out = resnet50.extract([img, img], layers=['res2', 'pool5'], size=None)
    assert out['res2'].shape == (2, 256, 20, 15)
    assert out['pool5'].shape == (2, 2048)


@pytest.mark.parametrize('cls,blocks', [(resnet.ResNet101Layers, [3, 4, 23, 3]),
                                        (resnet.ResNet152Layers, [3, 8, 36, 3])])
def test_resnet_deeper_and_downsample_fb(cls, blocks):
    model = cls(pretrained_model=None, downsample_fb=True)
    assert [len(getattr(model, 'res%d' % i)._forward) for i in range(2, 6)] == blocks
    assert model.res4.a.conv1.stride == (1, 1) and model.res4.a.conv2.stride == (2, 2)
    assert len(model.available_layers) == 9


def test_resnet_transfer_uses_caffe_names():
    class Recorder(dict):
        def __missing__(self, name):
            self.requested.append(name)
            return _Fake()

    class _Fake:
        def __getattr__(self, name):
            return _Fake()

        def __array__(self, dtype=None, copy=None):
            return numpy.zeros((), dtype or 'f')

        avg_mean = avg_var = 0
        array = 0.0

    for n_layers, cls, expected in [
            (50, resnet.ResNet50Layers, ['res2c_branch2c', 'bn5c_branch2a',
                                         'scale4f_branch2b', 'res3a_branch1']),
            (101, resnet.ResNet101Layers, ['res4b22_branch2c', 'bn3b3_branch2a',
                                           'res5c_branch2a', 'res2b_branch2b'])]:
        model = cls.__new__(cls)
        kusari.Chain.__init__(model)
        with model.init_scope():
            for i, n in zip(range(2, 6), resnet._BLOCKS[n_layers]):
                setattr(model, 'res%d' % i, _Block(n))
        src = Recorder()
        src.requested = []
        resnet._transfer(src, _Dst(model), resnet._BLOCKS[n_layers], n_layers)
        for name in expected + ['conv1', 'bn_conv1', 'scale_conv1', 'fc1000']:
            assert name in src.requested, (n_layers, name)


class _Any:
    """Accepts any attribute assignment chain (dst side of the transfer test)."""

    def __getattr__(self, name):
        return _Any()

    def __setitem__(self, key, value):
        pass


class _Block:
    def __init__(self, n):
        self._forward = ['a'] + ['b%d' % i for i in range(1, n)]

    def __getattr__(self, name):
        return _Any()


class _Dst:
    def __init__(self, model):
        self._model = model

    def __getattr__(self, name):
        if name.startswith('res'):
            return getattr(self._model, name)
        return _Any()


# -- GoogLeNet ------------------------------------------------------------------------

def test_googlenet_layers_and_branches():
    model = googlenet.GoogLeNet(pretrained_model=None)
    names = model.available_layers
    assert len(names) == 21
    assert names[:5] == ['conv1', 'pool1', 'conv2_reduce', 'conv2', 'pool2']
    assert names[-3:] == ['prob', 'loss1_fc2', 'loss2_fc2']
    assert model.inc4e.conv1.W.shape == (256, 528, 1, 1)
    assert model.loss1_fc1.W.shape == (1024, 2048)
    x = numpy.random.RandomState(6).uniform(-1, 1, (1, 3, 224, 224)).astype('f')
    with kusari.using_config('train', False):
        out = model(x, layers=['inception_4a', 'pool5', 'prob', 'loss1_fc2'])
        assert out['pool5'].shape == (1, 1024, 1, 1)
        assert out['prob'].shape == (1, 1000)
        numpy.testing.assert_allclose(out['prob'].array.sum(), 1, rtol=1e-5)
        # The auxiliary head branches from inception_4a.
        h = F.average_pooling_2d(out['inception_4a'], 5, stride=3)
        h = F.relu(model.loss1_conv(h))
        h = model.loss1_fc2(F.relu(model.loss1_fc1(h)))
        numpy.testing.assert_allclose(out['loss1_fc2'].array, h.array, rtol=1e-5,
                                      atol=1e-6)
        img = numpy.random.RandomState(7).randint(0, 256, (80, 60)).astype('u1')
        assert model.extract([img], layers=['pool1'], size=None)['pool1'].shape == \
            (1, 64, 20, 15)
        y = model.predict([img, img], oversample=False)
    assert y.shape == (2, 1000)
    numpy.testing.assert_allclose(y.array[0], y.array[1], rtol=1e-6)
    copied = model.copy()
    assert copied.conv1 is copied.functions['conv1'][0]


# -- pretrained_model -------------------------------------------------------------

@pytest.mark.parametrize('make,caffe_name', [
    (lambda: resnet.ResNet50Layers(), 'ResNet-50-model.caffemodel'),
    (lambda: resnet.ResNet152Layers(), 'ResNet-152-model.caffemodel'),
    (lambda: vgg.VGG16Layers(), 'VGG_ILSVRC_16_layers.caffemodel'),
    (lambda: googlenet.GoogLeNet(), 'bvlc_googlenet.caffemodel'),
])
def test_auto_without_weights_says_what_to_get(empty_root, make, caffe_name):
    with pytest.raises(FileNotFoundError) as info:
        make()
    message = str(info.value)
    assert caffe_name in message
    assert 'convert_caffemodel_to_npz' in message
    assert str(empty_root) in message
    assert not os.path.exists(empty_root / caffe_name.replace('.caffemodel', '.npz'))


def test_pretrained_path_and_auto_load_npz(empty_root):
    serializers = pytest.importorskip('kusari.serializers')
    source = googlenet.GoogLeNet(pretrained_model=None)
    os.makedirs(empty_root)
    path = str(empty_root / 'bvlc_googlenet.npz')
    serializers.save_npz(path, source)
    for model in (googlenet.GoogLeNet(pretrained_model=path), googlenet.GoogLeNet()):
        numpy.testing.assert_array_equal(model.inc5b.conv3.W.array,
                                         source.inc5b.conv3.W.array)
        numpy.testing.assert_array_equal(model.loss2_fc1.b.array,
                                         source.loss2_fc1.b.array)


# -- conversion from a Caffe model (GoogLeNet: small enough to build here) ---------

def _packed_float_field(number, array):
    payload = numpy.ascontiguousarray(array, '<f4').tobytes()
    n, size = number << 3 | 2, len(payload)
    head = bytearray([n])
    while True:
        head.append((size & 0x7f) | (0x80 if size > 0x7f else 0))
        size >>= 7
        if not size:
            return bytes(head) + payload


def _googlenet_caffemodel(path, model, rng):
    """A bvlc_googlenet-shaped .caffemodel with random weights (Caffe's names)."""
    from kusari.links.caffe import caffe_pb
    pairs = [('conv1/7x7_s2', model.conv1), ('conv2/3x3_reduce', model.conv2_reduce),
             ('conv2/3x3', model.conv2), ('loss3/classifier', model.loss3_fc)]
    for name, caffe_name, _ in googlenet._INCEPTIONS:
        inc = getattr(model, name)
        for mine, theirs in (('conv1', '1x1'), ('proj3', '3x3_reduce'),
                             ('conv3', '3x3'), ('proj5', '5x5_reduce'),
                             ('conv5', '5x5'), ('projp', 'pool_proj')):
            pairs.append(('{}/{}'.format(caffe_name, theirs), getattr(inc, mine)))
    for i in (1, 2):
        pairs += [('loss%d/conv' % i, getattr(model, 'loss%d_conv' % i)),
                  ('loss%d/fc' % i, getattr(model, 'loss%d_fc1' % i)),
                  ('loss%d/classifier' % i, getattr(model, 'loss%d_fc2' % i))]
    net = caffe_pb.NetParameter()
    weights = {}
    for name, target in pairs:
        layer = net.layer.add(name=name)
        W = rng.standard_normal(target.W.shape).astype(numpy.float32)
        b = rng.standard_normal(target.b.shape).astype(numpy.float32)
        if W.ndim == 4:
            layer.type = 'Convolution'
            layer.convolution_param.kernel_size.append(W.shape[2])
            layer.convolution_param.num_output = W.shape[0]
        else:
            layer.type = 'InnerProduct'
            layer.inner_product_param.num_output = W.shape[0]
        for array in (W, b):
            blob = layer.blobs.add()
            blob.shape.dim.extend(array.shape)
            blob.MergeFromString(_packed_float_field(5, array))  # fast 'data'
        weights[name] = (W, b)
    with open(path, 'wb') as f:
        f.write(net.SerializeToString())
    return weights


def test_auto_converts_a_caffemodel_found_in_the_dataset_directory(empty_root):
    pytest.importorskip('kusari.serializers')
    os.makedirs(empty_root)
    weights = _googlenet_caffemodel(str(empty_root / 'bvlc_googlenet.caffemodel'),
                                    googlenet.GoogLeNet(pretrained_model=None),
                                    numpy.random.default_rng(8))
    model = googlenet.GoogLeNet()  # 'auto': converts, writes the npz, loads it
    assert os.path.exists(empty_root / 'bvlc_googlenet.npz')
    assert not [p for p in os.listdir(empty_root) if p.endswith('.tmp')]
    numpy.testing.assert_array_equal(model.conv1.W.array, weights['conv1/7x7_s2'][0])
    numpy.testing.assert_array_equal(model.inc4d.proj5.b.array,
                                     weights['inception_4d/5x5_reduce'][1])
    numpy.testing.assert_array_equal(model.inc5b.projp.W.array,
                                     weights['inception_5b/pool_proj'][0])
    numpy.testing.assert_array_equal(model.loss2_fc2.W.array,
                                     weights['loss2/classifier'][0])
