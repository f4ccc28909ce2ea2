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

__all__ = sorted(
    _activation.__all__ + _attention.__all__ + _connection.__all__ + _loss.__all__ + _model.__all__
    + _normalization.__all__ + _rnn.__all__)

__version__ = "0.1.0"
