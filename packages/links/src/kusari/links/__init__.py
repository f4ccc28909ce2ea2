"""kusari.links (``import kusari.links as L``): Chainer's parameterized layers.

Every link of the families ``connection``, ``activation``, ``normalization``,
``rnn`` and ``model`` is re-exported here with Chainer v7's name, constructor
signature, parameter names, shapes and initializers.
"""
from kusari.links.activation import *  # noqa: F401,F403
from kusari.links.attention import *  # noqa: F401,F403
from kusari.links.connection import *  # noqa: F401,F403
from kusari.links.loss import *  # noqa: F401,F403
from kusari.links.model import *  # noqa: F401,F403
from kusari.links.normalization import *  # noqa: F401,F403
from kusari.links.rnn import *  # noqa: F401,F403
from kusari.links import activation as _activation
from kusari.links import attention as _attention
from kusari.links import connection as _connection
from kusari.links import loss as _loss
from kusari.links import model as _model
from kusari.links import normalization as _normalization
from kusari.links import rnn as _rnn

from kusari.links.model.vision.googlenet import GoogLeNet  # noqa: F401,E402
from kusari.links.model.vision.resnet import (  # noqa: F401,E402
    ResNet50Layers, ResNet101Layers, ResNet152Layers)
from kusari.links.model.vision.vgg import VGG16Layers, VGG19Layers  # noqa: F401,E402

__all__ = sorted(
    _activation.__all__ + _attention.__all__ + _connection.__all__ + _loss.__all__ + _model.__all__
    + _normalization.__all__ + _rnn.__all__
    + ['GoogLeNet', 'ResNet101Layers', 'ResNet152Layers', 'ResNet50Layers', 'VGG16Layers',
       'VGG19Layers'])


def __getattr__(name):
    # L.caffe (Chainer's chainer.links.caffe) without importing protobuf up front
    if name == 'caffe':
        import importlib
        return importlib.import_module('kusari.links.caffe')
    raise AttributeError('module {!r} has no attribute {!r}'.format(__name__, name))

__version__ = "0.1.0"
