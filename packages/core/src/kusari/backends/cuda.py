"""CuPy backend: device helpers and kusari's registry of custom CUDA kernels.

Importing this module never imports CuPy.  ``cuda.cupy`` imports it on first use
(``None`` when CuPy is not installed), and ``cuda.available`` is ``True`` only when
CuPy imports *and* a CUDA device is present.

Kernels are declared at module level with :func:`elementwise`, :func:`reduce` and
:func:`raw`.  Each call records its source in :data:`KERNELS` (so that CI can compile
every kernel kusari ships with NVRTC, without a GPU) and returns a lazy kernel that
builds the CuPy kernel object the first time it is called.
"""
import functools
import importlib

import numpy

__all__ = ['available', 'cupy',  # noqa: F822  (module attributes made on demand) 'to_gpu', 'to_cpu', 'get_device_from_id',
           'get_device_from_array', 'get_array_module', 'elementwise', 'reduce', 'raw',
           'KERNELS', 'KernelSource', 'require_cupy', 'DummyDevice', 'memoize',
           'cudnn_enabled', 'should_use_cudnn', 'should_use_cudnn_tensor_core']

_cupy = None
_cupy_tried = False
_available = None

#: kusari never calls cuDNN (its GPU kernels are CuPy's and its own), so the
#: cuDNN paths Chainer chooses between are never taken.
cudnn_enabled = False


def should_use_cudnn(level, lowest_version=0):
    """Whether cuDNN should be used at ``level`` (Chainer's test): always ``False``
    in kusari, which has no cuDNN paths."""
    if level not in ('==always', '>=auto', '==never', 'always', 'auto', 'never'):
        raise ValueError('should_use_cudnn: invalid level {!r} (expected '
                         "'==always', '>=auto' or '==never')".format(level))
    return False


def should_use_cudnn_tensor_core(dtype):
    """Whether cuDNN tensor cores should be used for ``dtype``: always ``False``."""
    return False


def _import_cupy():
    global _cupy, _cupy_tried
    if not _cupy_tried:
        _cupy_tried = True
        try:
            _cupy = importlib.import_module('cupy')
        except Exception:  # ImportError, or a CUDA library that fails to load
            _cupy = None
    return _cupy


def _check_available():
    global _available
    if _available is None:
        cp = _import_cupy()
        ok = False
        if cp is not None:
            try:
                ok = cp.cuda.runtime.getDeviceCount() > 0
            except Exception:
                ok = False
        _available = ok
    return _available


def __getattr__(name):
    if name == 'cupy':
        return _import_cupy()
    if name == 'available':
        return _check_available()
    if name == 'ndarray':
        cp = _import_cupy()
        return cp.ndarray if cp is not None else _NoCupyArray
    raise AttributeError('module %r has no attribute %r' % (__name__, name))


class _NoCupyArray:
    """Stand-in for ``cupy.ndarray`` when CuPy is missing (no array is ever one)."""


def require_cupy(who='kusari'):
    """Return the cupy module, or raise a RuntimeError that says how to get it."""
    cp = _import_cupy()
    if cp is None:
        raise RuntimeError(
            '%s needs CuPy, which is not installed (or failed to import). Install it '
            'with: pip install cupy-cuda12x  (cupy-cuda13x for CUDA 13; the extra '
            "'kusari-core[cuda12]' pulls in the same)" % who)
    return cp


class DummyDeviceType:
    """The device of a host array: a do-nothing context manager (Chainer's DummyDevice)."""

    id = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def use(self):
        pass

    def synchronize(self):
        pass

    def __eq__(self, other):
        return isinstance(other, DummyDeviceType)

    def __hash__(self):
        return -1


DummyDevice = DummyDeviceType()


def get_device_from_id(device_id):
    """The ``cupy.cuda.Device`` of ``device_id``; :data:`DummyDevice` for None or < 0."""
    if device_id is None or device_id < 0:
        return DummyDevice
    return require_cupy('get_device_from_id').cuda.Device(device_id)


def get_device_from_array(*arrays):
    """The ``cupy.cuda.Device`` of the first CuPy array, else :data:`DummyDevice`."""
    cp = _cupy
    if cp is None:
        return DummyDevice
    for a in arrays:
        if isinstance(a, cp.ndarray):
            return a.device
    return DummyDevice


def get_array_module(*args):
    """``cupy`` if any argument is a CuPy array (or a Variable holding one), else numpy."""
    from kusari import _core
    return _core.get_array_module(*args)


def to_gpu(array, device=None, stream=None):
    """Copy an array (NumPy or CuPy) to a GPU; ``device`` is an id or cupy Device."""
    cp = require_cupy('to_gpu')
    if array is None:
        return None
    if isinstance(array, (list, tuple)):
        return type(array)(to_gpu(a, device) for a in array)
    if device is None:
        dev = cp.cuda.Device()
    elif isinstance(device, int):
        dev = cp.cuda.Device(device)
    else:
        dev = device
    with dev:
        if isinstance(array, cp.ndarray) and array.device.id == dev.id:
            return array
        return cp.asarray(array)


def to_cpu(array, stream=None):
    """Copy an array (or list/tuple of arrays) to the host; NumPy arrays pass through."""
    if array is None:
        return None
    if isinstance(array, (list, tuple)):
        return type(array)(to_cpu(a) for a in array)
    if isinstance(array, numpy.ndarray):
        return array
    if hasattr(array, 'get'):
        return array.get()
    if numpy.isscalar(array):
        return numpy.asarray(array)
    raise TypeError('to_cpu: cannot transfer %s' % type(array).__name__)


def memoize(for_each_device=False):
    """Cache a function's results by argument (CuPy's memoize without CuPy)."""
    def deco(f):
        return functools.lru_cache(maxsize=None)(f)
    return deco


# ---- the kernel registry --------------------------------------------------------------

class KernelSource:
    """A custom CUDA kernel declared by kusari: enough to rebuild its full source.

    Attributes:
        kind (str): ``'elementwise'``, ``'reduction'`` or ``'raw'``.
        name (str): the kernel's name.
        module (str): the Python module that declared it.
        fields (dict): the declaration's arguments (``in_params``, ``out_params``,
            ``operation``, ``preamble``, ``map_expr``, ... or ``code`` for raw ones).
    """

    def __init__(self, kind, name, module, fields):
        self.kind = kind
        self.name = name
        self.module = module
        self.fields = fields

    def __repr__(self):
        return '<KernelSource %s %s from %s>' % (self.kind, self.name, self.module)


#: every kernel source declared so far, in declaration order
KERNELS = []


def _caller_module():
    import sys
    f = sys._getframe(2)
    return f.f_globals.get('__name__', '?')


class _LazyKernel:
    def __init__(self, source, build):
        self.source = source
        self._build = build
        self._kernel = None

    @property
    def kernel(self):
        if self._kernel is None:
            self._kernel = self._build()
        return self._kernel

    def __call__(self, *args, **kwargs):
        return self.kernel(*args, **kwargs)


def elementwise(in_params, out_params, operation, name, **kwargs):
    """Declare a ``cupy.ElementwiseKernel`` (built on first call; registered now)."""
    src = KernelSource('elementwise', name, _caller_module(), dict(
        in_params=in_params, out_params=out_params, operation=operation,
        preamble=kwargs.get('preamble', ''), loop_prep=kwargs.get('loop_prep', ''),
        after_loop=kwargs.get('after_loop', ''), options=kwargs.get('options', ())))
    KERNELS.append(src)

    def build():
        cp = require_cupy(name)
        return cp.ElementwiseKernel(in_params, out_params, operation, name, **kwargs)
    return _LazyKernel(src, build)


def reduce(in_params, out_params, map_expr, reduce_expr, post_map_expr, identity, name,
           **kwargs):
    """Declare a ``cupy.ReductionKernel`` (built on first call; registered now)."""
    src = KernelSource('reduction', name, _caller_module(), dict(
        in_params=in_params, out_params=out_params, map_expr=map_expr,
        reduce_expr=reduce_expr, post_map_expr=post_map_expr, identity=identity,
        reduce_type=kwargs.get('reduce_type'), preamble=kwargs.get('preamble', ''),
        options=kwargs.get('options', ())))
    KERNELS.append(src)

    def build():
        cp = require_cupy(name)
        return cp.ReductionKernel(in_params, out_params, map_expr, reduce_expr,
                                  post_map_expr, identity, name, **kwargs)
    return _LazyKernel(src, build)


def raw(code, name, **kwargs):
    """Declare a ``cupy.RawKernel`` from complete CUDA source (``extern "C"``)."""
    src = KernelSource('raw', name, _caller_module(), dict(
        code=code, options=kwargs.get('options', ())))
    KERNELS.append(src)

    def build():
        cp = require_cupy(name)
        return cp.RawKernel(code, name, **kwargs)
    return _LazyKernel(src, build)
