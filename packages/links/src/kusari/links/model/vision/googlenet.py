"""GoogLeNet (Szegedy et al.) with Chainer's layer names.

``pretrained_model`` is ``'auto'`` (the converted ``bvlc_googlenet.npz`` in the
dataset directory ``pfnet/chainer/models/``), ``None`` (random weights) or an npz
path written by ``convert_caffemodel_to_npz`` or ``save_npz``.
"""
import collections

import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari.links.connection.convolution_2d import Convolution2D
from kusari.links.connection.inception import Inception
from kusari.links.connection.linear import Linear
from kusari.links.model.vision import _common

__all__ = ['GoogLeNet', 'prepare']

available = _common.available  # whether Pillow (needed by prepare) is there

_MEAN = (104.0, 117.0, 123.0)  # BGR mean_value of bvlc_googlenet
_SOURCE = 'BVLC, http://dl.caffe.berkeleyvision.org/bvlc_googlenet.caffemodel'
_INCEPTIONS = [  # Chainer name, Caffe name, Inception arguments
    ('inc3a', 'inception_3a', (192, 64, 96, 128, 16, 32, 32)),
    ('inc3b', 'inception_3b', (256, 128, 128, 192, 32, 96, 64)),
    ('inc4a', 'inception_4a', (480, 192, 96, 208, 16, 48, 64)),
    ('inc4b', 'inception_4b', (512, 160, 112, 224, 24, 64, 64)),
    ('inc4c', 'inception_4c', (512, 128, 128, 256, 24, 64, 64)),
    ('inc4d', 'inception_4d', (512, 112, 144, 288, 32, 64, 64)),
    ('inc4e', 'inception_4e', (528, 256, 160, 320, 32, 128, 128)),
    ('inc5a', 'inception_5a', (832, 256, 160, 320, 32, 128, 128)),
    ('inc5b', 'inception_5b', (832, 384, 192, 384, 48, 128, 128)),
]


def prepare(image, size=(224, 224)):
    """Convert an image to the input of :class:`GoogLeNet`.

    As :func:`kusari.links.model.vision.vgg.prepare` with the mean pixel
    ``(104, 117, 123)`` (BGR).

    Args:
        image (PIL.Image.Image or numpy.ndarray): An image.
        size (pair of ints or None): The size after resizing (PIL's ``(w, h)``).

    Returns:
        numpy.ndarray: Shape ``(3, H, W)``, in ``kusari.config.dtype``.

    >>> import numpy
    >>> prepare(numpy.zeros((3, 8, 6), numpy.uint8), size=None).shape
    (3, 8, 6)
    """
    return _common.prepare(image, size, _MEAN, 'googlenet.prepare')


def _max_pooling_2d(x):
    return F.max_pooling_2d(x, ksize=3, stride=2)


def _local_response_normalization(x):
    return F.local_response_normalization(x, n=5, k=1, alpha=1e-4 / 5)


def _average_pooling_2d_k5(x):
    return F.average_pooling_2d(x, ksize=5, stride=3)


def _average_pooling_2d_k7(x):
    return F.average_pooling_2d(x, ksize=7, stride=1)


def _dropout(x):
    return F.dropout(x, ratio=0.4)


class GoogLeNet(link.Chain):
    """GoogLeNet (``bvlc_googlenet``) with Chainer's layer names (21 layers).

    Layers (``available_layers``): ``conv1``, ``pool1``, ``conv2_reduce``,
    ``conv2``, ``pool2``, ``inception_3a`` ... ``inception_5b``, ``pool5``,
    ``loss3_fc``, ``prob`` and the auxiliary classifiers ``loss1_fc2`` (from
    ``inception_4a``) and ``loss2_fc2`` (from ``inception_4d``).  ``pool5`` and
    the classifiers expect a 224x224 input.

    Args:
        pretrained_model (str or None): ``'auto'``, ``None`` or an npz path.
    """

    def __init__(self, pretrained_model='auto'):
        super().__init__()
        if pretrained_model == 'auto':
            # Resolved first: a missing file is reported before any allocation.
            pretrained_model = _common.resolve_auto(
                self, 'bvlc_googlenet.npz', 'bvlc_googlenet.caffemodel', _SOURCE,
                type(self).convert_caffemodel_to_npz)
        if pretrained_model:
            kwargs = {'initialW': initializers.Zero()}
        else:
            kwargs = {'initialW': initializers.LeCunUniform()}
        with self.init_scope():
            self.conv1 = Convolution2D(3, 64, 7, stride=2, pad=3, **kwargs)
            self.conv2_reduce = Convolution2D(64, 64, 1, **kwargs)
            self.conv2 = Convolution2D(64, 192, 3, stride=1, pad=1, **kwargs)
            for name, _, args in _INCEPTIONS:
                setattr(self, name, Inception(*args, conv_init=kwargs['initialW']))
            self.loss3_fc = Linear(1024, 1000, **kwargs)
            self.loss1_conv = Convolution2D(512, 128, 1, **kwargs)
            self.loss1_fc1 = Linear(2048, 1024, **kwargs)
            self.loss1_fc2 = Linear(1024, 1000, **kwargs)
            self.loss2_conv = Convolution2D(528, 128, 1, **kwargs)
            self.loss2_fc1 = Linear(2048, 1024, **kwargs)
            self.loss2_fc2 = Linear(1024, 1000, **kwargs)
        if pretrained_model:
            _common.load_npz(pretrained_model, self)

    @property
    def functions(self):
        """Ordered dict of layer name -> list of callables applied in turn."""
        return collections.OrderedDict([
            ('conv1', [self.conv1, F.relu]),
            ('pool1', [_max_pooling_2d, _local_response_normalization]),
            ('conv2_reduce', [self.conv2_reduce, F.relu]),
            ('conv2', [self.conv2, F.relu, _local_response_normalization]),
            ('pool2', [_max_pooling_2d]),
            ('inception_3a', [self.inc3a]),
            ('inception_3b', [self.inc3b]),
            ('pool3', [_max_pooling_2d]),
            ('inception_4a', [self.inc4a]),
            ('inception_4b', [self.inc4b]),
            ('inception_4c', [self.inc4c]),
            ('inception_4d', [self.inc4d]),
            ('inception_4e', [self.inc4e]),
            ('pool4', [_max_pooling_2d]),
            ('inception_5a', [self.inc5a]),
            ('inception_5b', [self.inc5b]),
            ('pool5', [_average_pooling_2d_k7]),
            ('loss3_fc', [_dropout, self.loss3_fc]),
            ('prob', [F.softmax]),
            # The auxiliary classifiers come last so that 'prob' alone does not
            # compute them; they branch from inception_4a / inception_4d.
            ('loss1_fc2', [_average_pooling_2d_k5, self.loss1_conv, F.relu,
                           self.loss1_fc1, F.relu, self.loss1_fc2]),
            ('loss2_fc2', [_average_pooling_2d_k5, self.loss2_conv, F.relu,
                           self.loss2_fc1, F.relu, self.loss2_fc2]),
        ])

    @property
    def available_layers(self):
        """list of str: The names accepted by ``layers``."""
        return list(self.functions.keys())

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel, path_npz):
        """Convert BVLC's ``bvlc_googlenet.caffemodel`` to an npz.

        Args:
            path_caffemodel (str): Path of the Caffe model.
            path_npz (str): Path of the npz to write (atomically).
        """
        from kusari.links.caffe.caffe_function import CaffeFunction
        caffemodel = CaffeFunction(path_caffemodel)
        model = cls(pretrained_model=None)
        _transfer(caffemodel, model)
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
        layers = ['prob'] if layers is None else layers
        _common.check_layers(self, layers)
        h = x
        activations = {}
        cache = {}
        targets = set(layers)
        for key, funcs in self.functions.items():
            if not targets:
                break
            if key == 'loss1_fc2':
                h = cache['inception_4a']
            elif key == 'loss2_fc2':
                h = cache['inception_4d']
            for func in funcs:
                h = func(h)
            if key in targets:
                activations[key] = h
                targets.remove(key)
            if key in ('inception_4a', 'inception_4d'):
                cache[key] = h
        return activations

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


def _transfer(src, dst):
    def copy(d, s):
        d.W.array[...] = s.W.array.reshape(d.W.shape)
        d.b.array[...] = s.b.array

    copy(dst.conv1, src['conv1/7x7_s2'])
    copy(dst.conv2_reduce, src['conv2/3x3_reduce'])
    copy(dst.conv2, src['conv2/3x3'])
    for name, caffe_name, _ in _INCEPTIONS:
        inc = getattr(dst, name)
        for mine, theirs in (('conv1', '1x1'), ('proj3', '3x3_reduce'),
                             ('conv3', '3x3'), ('proj5', '5x5_reduce'),
                             ('conv5', '5x5'), ('projp', 'pool_proj')):
            copy(getattr(inc, mine), src['{}/{}'.format(caffe_name, theirs)])
    copy(dst.loss3_fc, src['loss3/classifier'])
    for i in (1, 2):
        copy(getattr(dst, 'loss{}_conv'.format(i)), src['loss{}/conv'.format(i)])
        copy(getattr(dst, 'loss{}_fc1'.format(i)), src['loss{}/fc'.format(i)])
        copy(getattr(dst, 'loss{}_fc2'.format(i)),
             src['loss{}/classifier'.format(i)])
