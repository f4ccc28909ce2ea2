"""kusari (鎖, "chain"): Chainer's define-by-run deep learning API on today's Python stack.

``import kusari as ch`` gives the core: :class:`Variable`, :class:`Parameter`,
:class:`FunctionNode`, the backward engine, configuration, backends, :class:`Link` and
:class:`Chain`, initializers, the optimizer and serializer base classes, the reporter
and gradient checking.  The other distributions add sub-packages to this one:

========================  ==============================================
distribution              adds
========================  ==============================================
``kusari-functions``      ``kusari.functions`` (``import kusari.functions as F``)
``kusari-links``          ``kusari.links`` (``import kusari.links as L``)
``kusari-optimizers``     ``kusari.optimizers``, ``kusari.optimizer_hooks``
``kusari-serializers``    ``kusari.serializers``
========================  ==============================================
"""
# The package's __path__ is extensible so that the other distributions, installed
# normally or in editable mode from their own source trees, add sub-packages to it.
from pkgutil import extend_path as _extend_path

__path__ = _extend_path(__path__, __name__)

from kusari import _missing  # noqa: E402  (installs the "pip install kusari-…" hint)

__version__ = "0.1.0"

from kusari import configuration  # noqa: E402,F401
from kusari.configuration import (  # noqa: E402,F401
    config,
    global_config,
    using_config,
)
from kusari._core import (  # noqa: E402,F401
    Variable,
    VariableNode,
    FunctionNode,
    as_variable,
    as_array,
    grad,
    backward,
    no_backprop_mode,
    force_backprop_mode,
)
from kusari.variable import Parameter  # noqa: E402,F401
from kusari.function import Function  # noqa: E402,F401
from kusari import backend  # noqa: E402,F401
from kusari import backends  # noqa: E402,F401
from kusari.backend import get_device, get_array_module  # noqa: E402,F401
from kusari import initializer  # noqa: E402,F401
from kusari import initializers  # noqa: E402,F401
from kusari import link  # noqa: E402,F401
from kusari.link import Link, Chain, ChainList  # noqa: E402,F401
from kusari.sequential import Sequential  # noqa: E402,F401
from kusari import serializer  # noqa: E402,F401
from kusari.serializer import (  # noqa: E402,F401
    AbstractSerializer,
    Serializer,
    Deserializer,
)
from kusari import optimizer  # noqa: E402,F401
from kusari.optimizer import Optimizer, GradientMethod, UpdateRule  # noqa: E402,F401
from kusari import reporter  # noqa: E402,F401
from kusari.reporter import (  # noqa: E402,F401
    Reporter,
    report,
    report_scope,
    get_current_reporter,
    Summary,
    DictSummary,
)
from kusari import function_hook  # noqa: E402,F401
from kusari.function_hook import FunctionHook  # noqa: E402,F401
from kusari import function_hooks  # noqa: E402,F401
from kusari import gradient_check  # noqa: E402,F401
from kusari import testing  # noqa: E402,F401
from kusari import computational_graph  # noqa: E402,F401
from kusari import utils  # noqa: E402,F401


def is_debug():
    """Return ``True`` when debug mode (``config.debug``) is on."""
    return bool(config.debug)


def set_debug(debug):
    """Turn debug mode on or off in this thread (``config.debug = debug``)."""
    config.debug = debug


def get_dtype(dtype=None):
    """Return ``numpy.dtype(dtype)``, or the configured default ``config.dtype`` when ``dtype`` is None."""
    import numpy

    if dtype is None:
        dtype = config.dtype
    return numpy.dtype(dtype)
