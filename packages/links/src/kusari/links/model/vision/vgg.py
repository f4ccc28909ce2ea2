"""VGG16/VGG19 (Simonyan & Zisserman) with Chainer's layer names.

``pretrained_model`` is ``'auto'`` (the converted ``VGG_ILSVRC_16_layers.npz`` /
``VGG_ILSVRC_19_layers.npz`` in the dataset directory ``pfnet/chainer/models/``),
``None`` (random weights) or a path of an npz file written by
``convert_caffemodel_to_npz`` or ``kusari.serializers.save_npz``.
"""
import collections

import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari.links.connection.convolution_2d import Convolution2D
from kusari.links.connection.linear import Linear
from kusari.links.model.vision import _common

__all__ = ['VGGLayers', 'VGG16Layers', 'VGG19Layers', 'prepare']

available = _common.available  # whether Pillow (needed by prepare) is there

_MEAN = (103.939, 116.779, 123.68)  # BGR mean of the ILSVRC training set
_BLOCKS = {16: (2, 2, 3, 3, 3), 19: (2, 2, 4, 4, 4)}
_CHANNELS = (64, 128, 256, 512, 512)
_SOURCE = {
    16: 'the VGG team, https://gist.github.com/ksimonyan/211839e770f7b538e2d8',
    19: 'the VGG team, https://gist.github.com/ksimonyan/3785162f95cd2d5fee77',
}


def prepare(image, size=(224, 224)):
    """Convert an image to the input of the VGG models.

    The image is converted to RGB, resized with Pillow to ``size`` (given to
    ``PIL.Image.resize`` as is, i.e. ``(width, height)``; ``None`` keeps it),
    turned into BGR, the ILSVRC mean pixel ``(103.939, 116.779, 123.68)`` is
    subtracted and the axes become ``(3, H, W)``, in ``kusari.config.dtype``.

    Args:
        image (PIL.Image.Image or numpy.ndarray): An image, as an array of shape
            ``(H, W)``, ``(H, W, 3)``, ``(1, H, W)`` or ``(3, H, W)`` (RGB).
        size (pair of ints or None): The size after resizing.

    Returns:
        numpy.ndarray: The preprocessed image, shape ``(3, H, W)``.

    >>> import numpy
    >>> prepare(numpy.zeros((8, 6, 3), numpy.uint8), size=None).shape
    (3, 8, 6)
    """
    return _common.prepare(image, size, _MEAN, 'vgg.prepare')


def _max_pooling_2d(x):
    return F.max_pooling_2d(x, ksize=2)


class VGGLayers(link.Chain):
    """VGG network of 16 or 19 weight layers (base of :class:`VGG16Layers` and
    :class:`VGG19Layers`).

    Layers (``available_layers``): ``conv1_1`` ... ``pool5`` (convolutions with
    ReLU, 2x2 max pooling), ``fc6``, ``fc7`` (with ReLU and dropout), ``fc8`` and
    ``prob`` (softmax).  ``fc6`` expects a 224x224 input; the convolutional layers
    take any size.

    Args:
        pretrained_model (str or None): ``'auto'``, ``None`` or an npz path (see the
            module's description).  With weights to load, parameters start at zero
            (sampling random ones would be wasted time).
        n_layers (int): 16 or 19.
    """

    def __init__(self, pretrained_model='auto', n_layers=16):
        super().__init__()
        if n_layers not in _BLOCKS:
            raise ValueError('{}: n_layers must be 16 or 19, got {!r}'.format(
                type(self).__name__, n_layers))
        self._n_layers = n_layers
        if pretrained_model == 'auto':
            # Resolved first: a missing file is reported before any allocation.
            pretrained_model = _common.resolve_auto(
                self, 'VGG_ILSVRC_{}_layers.npz'.format(n_layers),
                'VGG_ILSVRC_{}_layers.caffemodel'.format(n_layers),
                _SOURCE[n_layers], self._convert)
        if pretrained_model:
            init = initializers.Zero()
            kwargs = {'initialW': init, 'initial_bias': init}
        else:
            kwargs = {'initialW': initializers.Normal(0.01),
                      'initial_bias': initializers.Zero()}
        with self.init_scope():
            in_ch = 3
            for block, (n, out_ch) in enumerate(zip(_BLOCKS[n_layers], _CHANNELS), 1):
                for i in range(1, n + 1):
                    setattr(self, 'conv{}_{}'.format(block, i),
                            Convolution2D(in_ch, out_ch, 3, 1, 1, **kwargs))
                    in_ch = out_ch
            self.fc6 = Linear(512 * 7 * 7, 4096, **kwargs)
            self.fc7 = Linear(4096, 4096, **kwargs)
            self.fc8 = Linear(4096, 1000, **kwargs)
        if pretrained_model:
            _common.load_npz(pretrained_model, self)

    def _convert(self, caffemodel, npz):
        if type(self) is VGGLayers:
            VGGLayers.convert_caffemodel_to_npz(caffemodel, npz, self._n_layers)
        else:
            type(self).convert_caffemodel_to_npz(caffemodel, npz)

    @property
    def functions(self):
        """Ordered dict of layer name -> list of callables applied in turn."""
        fs = collections.OrderedDict()
        for block, n in enumerate(_BLOCKS[self._n_layers], 1):
            for i in range(1, n + 1):
                name = 'conv{}_{}'.format(block, i)
                fs[name] = [getattr(self, name), F.relu]
            fs['pool{}'.format(block)] = [_max_pooling_2d]
        fs['fc6'] = [self.fc6, F.relu, F.dropout]
        fs['fc7'] = [self.fc7, F.relu, F.dropout]
        fs['fc8'] = [self.fc8]
        fs['prob'] = [F.softmax]
        return fs

    @property
    def available_layers(self):
        """list of str: The names accepted by ``layers``."""
        return list(self.functions.keys())

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel, path_npz, n_layers=16):
        """Convert the VGG team's ``.caffemodel`` to an npz this class loads.

        Args:
            path_caffemodel (str): Path of ``VGG_ILSVRC_{16,19}_layers.caffemodel``.
            path_npz (str): Path of the npz to write (atomically).
            n_layers (int): 16 or 19; only used on :class:`VGGLayers` itself
                (the subclasses know their depth).
        """
        from kusari.links.caffe.caffe_function import CaffeFunction
        caffemodel = CaffeFunction(path_caffemodel)
        if cls is VGGLayers:
            model = cls(None, n_layers)
        else:
            model = cls(pretrained_model=None)
        for name in model.functions:
            dst = getattr(model, name, None)
            if isinstance(dst, link.Link):
                src = caffemodel[name]
                dst.W.array[...] = src.W.array.reshape(dst.W.shape)
                dst.b.array[...] = src.b.array
        _common.save_npz_atomic(path_npz, model)

    def forward(self, x, layers=None, **kwargs):
        """forward(self, x, layers=['prob'])

        Compute the requested layers' outputs (only as far as needed).

        Args:
            x (~kusari.Variable or array): Input of shape ``(N, 3, H, W)``.
            layers (list of str): Names from ``available_layers``.

        Returns:
            dict: Layer name -> :class:`~kusari.Variable`.
        """
        _common.check_kwargs(kwargs)
        return _common.run_layers(self, x, ['prob'] if layers is None else layers)

    def extract(self, images, layers=None, size=(224, 224), **kwargs):
        """extract(self, images, layers=['fc7'], size=(224, 224))

        Preprocess images with :func:`prepare` and return the requested features
        (in the current ``train``/``enable_backprop`` configuration).

        Args:
            images (iterable of PIL.Image.Image or numpy.ndarray): Input images.
            layers (list of str): Names from ``available_layers``.
            size (pair of ints or None): Resizing size (see :func:`prepare`).

        Returns:
            dict: Layer name -> :class:`~kusari.Variable` of batch size
            ``len(images)``.
        """
        _common.check_kwargs(kwargs)
        return _common.extract(self, images, ['fc7'] if layers is None else layers,
                               size, prepare)

    def predict(self, images, oversample=True):
        """Class probabilities of images (resized to 256x256, 224x224 crops).

        Args:
            images (iterable of PIL.Image.Image or numpy.ndarray): Input images.
            oversample (bool): Average over ten crops (corners, centre, mirrors)
                instead of using the centre crop only.

        Returns:
            ~kusari.Variable: Shape ``(len(images), 1000)``.
        """
        return _common.predict(self, images, oversample, prepare)


class VGG16Layers(VGGLayers):
    """VGG16 (``VGG_ILSVRC_16_layers``) with Chainer's layer names (22 layers).

    Args:
        pretrained_model (str or None): ``'auto'``, ``None`` or an npz path.

    See :class:`VGGLayers`.
    """

    def __init__(self, pretrained_model='auto'):
        super().__init__(pretrained_model, 16)


class VGG19Layers(VGGLayers):
    """VGG19 (``VGG_ILSVRC_19_layers``) with Chainer's layer names (25 layers).

    Args:
        pretrained_model (str or None): ``'auto'``, ``None`` or an npz path.

    See :class:`VGGLayers`.
    """

    def __init__(self, pretrained_model='auto'):
        super().__init__(pretrained_model, 19)
