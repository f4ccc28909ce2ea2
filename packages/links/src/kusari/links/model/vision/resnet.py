"""ResNet-50/101/152 (He et al.) with Chainer's layer names.

``pretrained_model`` is ``'auto'`` (the converted ``ResNet-{50,101,152}-model.npz``
in the dataset directory ``pfnet/chainer/models/``), ``None`` (random weights) or
an npz path written by ``convert_caffemodel_to_npz`` or ``save_npz``.
"""
import collections

import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari.links.connection.convolution_2d import Convolution2D
from kusari.links.connection.linear import Linear
from kusari.links.model.vision import _common
from kusari.links.normalization.batch_normalization import BatchNormalization

__all__ = ['ResNetLayers', 'ResNet50Layers', 'ResNet101Layers', 'ResNet152Layers',
           'BuildingBlock', 'BottleneckA', 'BottleneckB', 'prepare']

available = _common.available  # whether Pillow (needed by prepare) is there

_MEAN = (103.063, 115.903, 123.152)  # BGR mean of ResNet-mean.binaryproto
_BLOCKS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}
_SOURCE = 'Kaiming He, https://github.com/KaimingHe/deep-residual-networks'


def prepare(image, size=(224, 224)):
    """Convert an image to the input of the ResNet models.

    As :func:`kusari.links.model.vision.vgg.prepare` (RGB, resize with Pillow,
    BGR, ``(3, H, W)``) with the ResNet mean pixel ``(103.063, 115.903, 123.152)``.

    Args:
        image (PIL.Image.Image or numpy.ndarray): An image.
        size (pair of ints or None): The size after resizing (PIL's ``(w, h)``).

    Returns:
        numpy.ndarray: Shape ``(3, H, W)``, in ``kusari.config.dtype``.

    >>> import numpy
    >>> prepare(numpy.zeros((8, 6), numpy.uint8)).shape
    (3, 224, 224)
    """
    return _common.prepare(image, size, _MEAN, 'resnet.prepare')


def _max_pooling_3x3_s2(x):
    return F.max_pooling_2d(x, ksize=3, stride=2)


def _global_average_pooling_2d(x):
    n, c, h, w = x.shape
    return F.reshape(F.average_pooling_2d(x, (h, w), stride=1), (n, c))


class BottleneckA(link.Chain):
    """Bottleneck block that changes the channels (and strides); with projection.

    Args:
        in_channels (int), mid_channels (int), out_channels (int): Channels.
        stride (int): Stride of the block (on the first 1x1 convolution, or on
            the 3x3 one when ``downsample_fb``, as in fb.resnet.torch).
        initialW: Initializer of the convolution weights.
        downsample_fb (bool): Stride on the 3x3 convolution.
    """

    def __init__(self, in_channels, mid_channels, out_channels, stride=2,
                 initialW=None, downsample_fb=False):
        super().__init__()
        s1, s3 = (1, stride) if downsample_fb else (stride, 1)
        with self.init_scope():
            self.conv1 = Convolution2D(in_channels, mid_channels, 1, s1, 0,
                                       initialW=initialW, nobias=True)
            self.bn1 = BatchNormalization(mid_channels)
            self.conv2 = Convolution2D(mid_channels, mid_channels, 3, s3, 1,
                                       initialW=initialW, nobias=True)
            self.bn2 = BatchNormalization(mid_channels)
            self.conv3 = Convolution2D(mid_channels, out_channels, 1, 1, 0,
                                       initialW=initialW, nobias=True)
            self.bn3 = BatchNormalization(out_channels)
            self.conv4 = Convolution2D(in_channels, out_channels, 1, stride, 0,
                                       initialW=initialW, nobias=True)
            self.bn4 = BatchNormalization(out_channels)

    def forward(self, x):
        h1 = F.relu(self.bn1(self.conv1(x)))
        h1 = F.relu(self.bn2(self.conv2(h1)))
        h1 = self.bn3(self.conv3(h1))
        h2 = self.bn4(self.conv4(x))
        return F.relu(h1 + h2)


class BottleneckB(link.Chain):
    """Bottleneck block with identity shortcut.

    Args:
        in_channels (int), mid_channels (int): Channels.
        initialW: Initializer of the convolution weights.
    """

    def __init__(self, in_channels, mid_channels, initialW=None):
        super().__init__()
        with self.init_scope():
            self.conv1 = Convolution2D(in_channels, mid_channels, 1, 1, 0,
                                       initialW=initialW, nobias=True)
            self.bn1 = BatchNormalization(mid_channels)
            self.conv2 = Convolution2D(mid_channels, mid_channels, 3, 1, 1,
                                       initialW=initialW, nobias=True)
            self.bn2 = BatchNormalization(mid_channels)
            self.conv3 = Convolution2D(mid_channels, in_channels, 1, 1, 0,
                                       initialW=initialW, nobias=True)
            self.bn3 = BatchNormalization(in_channels)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = F.relu(self.bn2(self.conv2(h)))
        h = self.bn3(self.conv3(h))
        return F.relu(h + x)


class BuildingBlock(link.Chain):
    """A stage: one :class:`BottleneckA` (``a``) and ``n_layer - 1``
    :class:`BottleneckB` (``b1``, ``b2``, ...), applied in ``_forward`` order.

    Args:
        n_layer (int): Number of bottleneck blocks.
        in_channels, mid_channels, out_channels (int): Channels.
        stride (int): Stride of the first block.
        initialW: Initializer of the convolution weights.
        downsample_fb (bool): See :class:`BottleneckA`.
    """

    def __init__(self, n_layer, in_channels, mid_channels, out_channels, stride,
                 initialW=None, downsample_fb=False):
        super().__init__()
        with self.init_scope():
            self.a = BottleneckA(in_channels, mid_channels, out_channels, stride,
                                 initialW, downsample_fb)
            self._forward = ['a']
            for i in range(n_layer - 1):
                name = 'b{}'.format(i + 1)
                setattr(self, name, BottleneckB(out_channels, mid_channels, initialW))
                self._forward.append(name)

    def forward(self, x):
        for name in self._forward:
            x = getattr(self, name)(x)
        return x


class ResNetLayers(link.Chain):
    """ResNet of 50, 101 or 152 layers (base of the three named classes).

    Layers (``available_layers``): ``conv1`` (7x7 convolution, batch
    normalization, ReLU), ``pool1``, ``res2`` ... ``res5``, ``pool5`` (global
    average pooling, shape ``(N, 2048)``), ``fc6`` and ``prob``.  Any input size
    that survives the 32x downsampling works.

    Args:
        pretrained_model (str or None): ``'auto'``, ``None`` or an npz path.
        n_layers (int): 50, 101 or 152.
        downsample_fb (bool): Put the strides on the 3x3 convolutions
            (fb.resnet.torch) instead of the 1x1 ones (the original Caffe model).
    """

    def __init__(self, pretrained_model, n_layers, downsample_fb=False):
        super().__init__()
        if n_layers not in _BLOCKS:
            raise ValueError('{}: n_layers must be 50, 101 or 152, got {!r}'.format(
                type(self).__name__, n_layers))
        self._n_layers = n_layers
        if pretrained_model == 'auto':
            # Resolved first: a missing file is reported before any allocation.
            pretrained_model = _common.resolve_auto(
                self, 'ResNet-{}-model.npz'.format(n_layers),
                'ResNet-{}-model.caffemodel'.format(n_layers), _SOURCE,
                lambda src, dst: type(self).convert_caffemodel_to_npz(
                    src, dst, n_layers))
        if pretrained_model:
            initialW = initializers.Zero()  # overwritten anyway: skip sampling
        else:
            initialW = initializers.HeNormal(scale=1.0)
        block = _BLOCKS[n_layers]
        with self.init_scope():
            self.conv1 = Convolution2D(3, 64, 7, 2, 3, initialW=initialW)
            self.bn1 = BatchNormalization(64)
            self.res2 = BuildingBlock(block[0], 64, 64, 256, 1, initialW, downsample_fb)
            self.res3 = BuildingBlock(block[1], 256, 128, 512, 2, initialW,
                                      downsample_fb)
            self.res4 = BuildingBlock(block[2], 512, 256, 1024, 2, initialW,
                                      downsample_fb)
            self.res5 = BuildingBlock(block[3], 1024, 512, 2048, 2, initialW,
                                      downsample_fb)
            self.fc6 = Linear(2048, 1000)
        if pretrained_model:
            _common.load_npz(pretrained_model, self)

    @property
    def functions(self):
        """Ordered dict of layer name -> list of callables applied in turn."""
        return collections.OrderedDict([
            ('conv1', [self.conv1, self.bn1, F.relu]),
            ('pool1', [_max_pooling_3x3_s2]),
            ('res2', [self.res2]),
            ('res3', [self.res3]),
            ('res4', [self.res4]),
            ('res5', [self.res5]),
            ('pool5', [_global_average_pooling_2d]),
            ('fc6', [self.fc6]),
            ('prob', [F.softmax]),
        ])

    @property
    def available_layers(self):
        """list of str: The names accepted by ``layers``."""
        return list(self.functions.keys())

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel, path_npz, n_layers=50):
        """Convert Kaiming He's ``ResNet-*-model.caffemodel`` to an npz.

        Args:
            path_caffemodel (str): Path of the Caffe model.
            path_npz (str): Path of the npz to write (atomically).
            n_layers (int): 50, 101 or 152.
        """
        from kusari.links.caffe.caffe_function import CaffeFunction
        caffemodel = CaffeFunction(path_caffemodel)
        if cls is ResNetLayers:
            model = cls(None, n_layers)
        else:
            model = cls(pretrained_model=None)
        _transfer(caffemodel, model, _BLOCKS[model._n_layers], model._n_layers)
        _common.save_npz_atomic(path_npz, model)

    def forward(self, x, layers=None, **kwargs):
        """forward(self, x, layers=['prob'])

        Args:
            x (~kusari.Variable or array): Input of shape ``(N, 3, H, W)``.
            layers (list of str): Names from ``available_layers``.

        Returns:
            dict: Layer name -> :class:`~kusari.Variable`.
        """
        _common.check_kwargs(kwargs)
        return _common.run_layers(self, x, ['prob'] if layers is None else layers)

    def extract(self, images, layers=None, size=(224, 224), **kwargs):
        """extract(self, images, layers=['pool5'], size=(224, 224))

        Preprocess images with :func:`prepare` and return the requested features.

        Returns:
            dict: Layer name -> :class:`~kusari.Variable`.
        """
        _common.check_kwargs(kwargs)
        return _common.extract(self, images, ['pool5'] if layers is None else layers,
                               size, prepare)

    def predict(self, images, oversample=True):
        """Class probabilities, shape ``(len(images), 1000)`` (see
        :meth:`kusari.links.model.vision.vgg.VGGLayers.predict`)."""
        return _common.predict(self, images, oversample, prepare)


def _copy_bn(bn, caffe_bn, caffe_scale):
    bn.avg_mean[...] = caffe_bn.avg_mean
    bn.avg_var[...] = caffe_bn.avg_var
    bn.gamma.array[...] = caffe_scale.W.array
    bn.beta.array[...] = caffe_scale.bias.b.array


def _transfer(src, dst, blocks, n_layers):
    # Caffe names: conv1/bn_conv1/scale_conv1, res2a_branch2a, bn2a_branch2a,
    # scale2a_branch2a, ..., fc1000.  ResNet-50 numbers blocks with letters; the
    # deeper ones use 'a', 'b1', 'b2', ... in the stages with many blocks.
    dst.conv1.W.array[...] = src['conv1'].W.array
    dst.conv1.b.array[...] = src['conv1'].b.array
    _copy_bn(dst.bn1, src['bn_conv1'], src['scale_conv1'])
    for stage, n in zip(range(2, 6), blocks):
        block = getattr(dst, 'res{}'.format(stage))
        for i, name in enumerate(block._forward):
            if i == 0:
                caffe_id = 'a'
            elif n_layers == 50 or n <= 3:
                caffe_id = 'abcdefghijklmnopqrstuvwxyz'[i]
            else:
                caffe_id = 'b{}'.format(i)
            bottleneck = getattr(block, name)
            branches = ['2a', '2b', '2c'] + (['1'] if i == 0 else [])
            for k, branch in enumerate(branches, 1):
                suffix = '{}{}_branch{}'.format(stage, caffe_id, branch)
                getattr(bottleneck, 'conv{}'.format(k)).W.array[...] = \
                    src['res' + suffix].W.array
                _copy_bn(getattr(bottleneck, 'bn{}'.format(k)), src['bn' + suffix],
                         src['scale' + suffix])
    dst.fc6.W.array[...] = src['fc1000'].W.array
    dst.fc6.b.array[...] = src['fc1000'].b.array


class ResNet50Layers(ResNetLayers):
    """ResNet-50 with Chainer's layer names (see :class:`ResNetLayers`).

    Args:
        pretrained_model (str or None): ``'auto'``, ``None`` or an npz path.
        downsample_fb (bool): See :class:`ResNetLayers`.
    """

    def __init__(self, pretrained_model='auto', downsample_fb=False):
        super().__init__(pretrained_model, 50, downsample_fb)


class ResNet101Layers(ResNetLayers):
    """ResNet-101 with Chainer's layer names (see :class:`ResNetLayers`).

    Args:
        pretrained_model (str or None): ``'auto'``, ``None`` or an npz path.
        downsample_fb (bool): See :class:`ResNetLayers`.
    """

    def __init__(self, pretrained_model='auto', downsample_fb=False):
        super().__init__(pretrained_model, 101, downsample_fb)


class ResNet152Layers(ResNetLayers):
    """ResNet-152 with Chainer's layer names (see :class:`ResNetLayers`).

    Args:
        pretrained_model (str or None): ``'auto'``, ``None`` or an npz path.
        downsample_fb (bool): See :class:`ResNetLayers`.
    """

    def __init__(self, pretrained_model='auto', downsample_fb=False):
        super().__init__(pretrained_model, 152, downsample_fb)
