"""kusari.functions (``import kusari.functions as F``): differentiable functions.

Chainer's function library with the same names, signatures and defaults.  Each
family lives in its own sub-package (``activation``, ``array``, ``connection``,
``evaluation``, ``loss``, ``math``, ``noise``, ``normalization``, ``pooling``,
``rnn``, ``util``); everything is re-exported here.  As in Chainer,
``kusari.functions.<family>.<name>`` is the module ``<name>.py`` of a family (with
its ``FunctionNode`` classes) and ``kusari.functions.<name>`` the function.
"""
from kusari.functions import activation  # noqa: F401
from kusari.functions import array  # noqa: F401
from kusari.functions import attention  # noqa: F401
from kusari.functions import connection  # noqa: F401
from kusari.functions import evaluation  # noqa: F401
from kusari.functions import loss  # noqa: F401
from kusari.functions import math  # noqa: F401
from kusari.functions import noise  # noqa: F401
from kusari.functions import normalization  # noqa: F401
from kusari.functions import pooling  # noqa: F401
from kusari.functions import rnn  # noqa: F401
from kusari.functions import util  # noqa: F401

# Each family package binds its sub-modules under their names (Chainer's layout:
# ``F.math.einsum`` is the module) and records its public functions in ``_public``;
# ``F.einsum`` is the function.
for _family in (activation, array, attention, connection, evaluation, loss, math, noise,
                normalization, pooling, rnn, util):
    globals().update(_family._public)
del _family

__version__ = "0.1.0"
