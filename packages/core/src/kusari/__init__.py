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
``kusari-training``       ``kusari.dataset``, ``kusari.datasets``,
                          ``kusari.iterators``, ``kusari.training``
========================  ==============================================

As in Chainer, ``import kusari`` is enough to reach them: ``kusari.functions``,
``kusari.optimizers`` and the others are loaded on first attribute access (so that
``import kusari`` stays fast and kusari-core imports none of them), and one whose
distribution is not installed raises a ``ModuleNotFoundError`` naming it.
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
from kusari.backend import (  # noqa: E402,F401
    using_device,
    get_array_types,
    get_cpu_array_types,
    is_arrays_compatible,
)
from kusari.backends import cuda  # noqa: E402,F401
from kusari.backends.cuda import should_use_cudnn, should_use_cudnn_tensor_core  # noqa: E402,F401
from kusari import basic_math  # noqa: E402,F401
from kusari.configuration import get_dtype, mixed16  # noqa: E402,F401
from kusari import initializer  # noqa: E402,F401
from kusari.initializer import Initializer  # noqa: E402,F401
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
from kusari import link_hook  # noqa: E402,F401
from kusari.link_hook import LinkHook  # noqa: E402,F401
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


#: Chainer's switch for the warning that an experimental feature is used
disable_experimental_feature_warning = False


class DebugMode:
    """Context manager that turns debug mode on or off in its block (Chainer's ``DebugMode``).

    >>> import kusari
    >>> with kusari.DebugMode(True):
    ...     kusari.is_debug()
    True
    >>> kusari.is_debug()
    False
    """

    def __init__(self, debug):
        if not isinstance(debug, bool):
            raise TypeError("DebugMode: debug must be a bool, not %s" % type(debug).__name__)
        self._using = using_config("debug", debug)

    def __enter__(self):
        self._using.__enter__()

    def __exit__(self, *args):
        self._using.__exit__(*args)


def print_runtime_info(out=None):
    """Print the versions that matter when reporting a problem (Chainer's ``print_runtime_info``).

    Writes the platform, kusari and its installed distributions, NumPy, CuPy (or that it
    is not available) and the BLAS NumPy uses, to ``out`` (default ``sys.stdout``).
    """
    import platform
    import sys
    from importlib import metadata

    import numpy

    if out is None:
        out = sys.stdout
    out.write("Platform: %s\n" % platform.platform())
    out.write("Python: %s\n" % platform.python_version())
    out.write("kusari: %s\n" % __version__)
    for dist in sorted(set(_missing.PROVIDERS.values())):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
        out.write("  %s: %s\n" % (dist, version))
    out.write("NumPy: %s\n" % numpy.__version__)
    try:
        import cupy
    except Exception:  # any failure means "not usable here", which is what we report
        out.write("CuPy: Not Available\n")
    else:
        out.write("CuPy:\n")
        out.write("  Version: %s\n" % cupy.__version__)
        try:
            out.write("  CUDA runtime: %s\n" % cupy.cuda.runtime.runtimeGetVersion())
            out.write("  Devices: %d\n" % cupy.cuda.runtime.getDeviceCount())
        except Exception as e:
            out.write("  CUDA: not usable (%s)\n" % e)
    out.flush()


#: top-level names (as Chainer has them) that live in another distribution's module
_LAZY_NAMES = {
    "Distribution": "kusari.distributions",
    "kl_divergence": "kusari.distributions",
    "register_kl": "kusari.distributions",
    "cross_entropy": "kusari.distributions",
}


def __getattr__(name):
    # PEP 562: the other distributions' sub-packages (and the few top-level names
    # that live in them) load on first access.
    import importlib

    fullname = "kusari." + name
    if fullname in _missing.PROVIDERS:
        return importlib.import_module(fullname)
    module = _LAZY_NAMES.get(name)
    if module is not None:
        return getattr(importlib.import_module(module), name)
    raise AttributeError("module 'kusari' has no attribute %r" % name)


def __dir__():
    return sorted(set(globals()) | set(_LAZY_NAMES)
                  | {n.split(".", 1)[1] for n in _missing.PROVIDERS})
