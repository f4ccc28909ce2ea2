"""kusari.functions (``import kusari.functions as F``): differentiable functions.

Chainer's function library with the same names, signatures and defaults.  Each
family lives in its own sub-package (``activation``, ``array``, ``connection``,
``evaluation``, ``loss``, ``math``, ``noise``, ``normalization``, ``pooling``,
``rnn``, ``util``); everything is re-exported here.
"""
from kusari.functions.activation import *  # noqa: F401,F403
from kusari.functions.array import *  # noqa: F401,F403
from kusari.functions.attention import *  # noqa: F401,F403
from kusari.functions.connection import *  # noqa: F401,F403
from kusari.functions.evaluation import *  # noqa: F401,F403
from kusari.functions.loss import *  # noqa: F401,F403
from kusari.functions.math import *  # noqa: F401,F403
from kusari.functions.noise import *  # noqa: F401,F403
from kusari.functions.normalization import *  # noqa: F401,F403
from kusari.functions.pooling import *  # noqa: F401,F403
from kusari.functions.rnn import *  # noqa: F401,F403
from kusari.functions.util import *  # noqa: F401,F403

__version__ = "0.1.0"
