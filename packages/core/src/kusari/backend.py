"""Devices and array modules: NumPy on the host, CuPy on NVIDIA GPUs.

CuPy is optional.  Nothing here imports it until a GPU device is asked for.

Device specifiers accepted by :func:`get_device`:

* ``'@numpy'`` (or ``'native'``, ``'cpu'``), the ``numpy`` module, ``-1`` -> :class:`CpuDevice`
* ``'@cupy:N'``, ``'cuda:N'``, the ``cupy`` module (current device), an int ``N >= 0``
  -> :class:`GpuDevice`
* a :class:`Device` -> itself
"""
import numpy

from kusari import _core
from kusari._core import get_array_module, is_array  # noqa: F401

__all__ = ['Device', 'CpuDevice', 'GpuDevice', 'get_device', 'get_device_from_array',
           'get_array_module', 'using_device', 'to_cpu', 'to_gpu', 'copyto', 'is_array',
           'get_array_types', 'get_cpu_array_types', 'is_arrays_compatible']


class Device:
    """Base class of devices: where arrays live and which module computes on them."""

    xp = None
    name = None

    @property
    def supported_array_types(self):
        return ()

    def send(self, arrays):
        """Transfer an array (or a tuple/list of them; ``None`` passes) to this device."""
        if isinstance(arrays, (tuple, list)):
            return type(arrays)(self.send(a) for a in arrays)
        if arrays is None:
            return None
        return self.send_array(arrays)

    def send_array(self, array):
        raise NotImplementedError

    def use(self):
        """Make this the current device (a no-op on the CPU)."""

    def is_array_supported(self, array):
        return isinstance(array, self.supported_array_types)

    def __enter__(self):
        self.use()
        return self

    def __exit__(self, *exc):
        return False

    def __ne__(self, other):
        return not self == other

    def __str__(self):
        return self.name

    def __repr__(self):
        return '<%s %s>' % (type(self).__name__, self.name)


class CpuDevice(Device):
    """The host: arrays are ``numpy.ndarray``."""

    xp = numpy
    name = '@numpy'

    @property
    def supported_array_types(self):
        return (numpy.ndarray,)

    @staticmethod
    def from_array(array):
        """The CpuDevice when ``array`` is a NumPy array, else ``None``."""
        if isinstance(array, numpy.ndarray):
            return CpuDevice()
        return None

    def send_array(self, array):
        if isinstance(array, numpy.ndarray):
            return array
        if hasattr(array, 'get'):          # cupy.ndarray
            return array.get()
        if numpy.isscalar(array):
            return numpy.asarray(array)
        raise TypeError('CpuDevice.send: cannot transfer %s' % type(array).__name__)

    def __eq__(self, other):
        return isinstance(other, CpuDevice)

    def __hash__(self):
        return hash('@numpy')


class GpuDevice(Device):
    """An NVIDIA GPU through CuPy: arrays are ``cupy.ndarray``.

    Args:
        device: a ``cupy.cuda.Device``.
    """

    def __init__(self, device):
        self.device = device

    @staticmethod
    def from_device_id(device_id):
        """The GpuDevice of CUDA device ``device_id``."""
        from kusari.backends import cuda
        cupy = cuda.require_cupy('GpuDevice')
        if not isinstance(device_id, int) or device_id < 0:
            raise ValueError('GpuDevice.from_device_id: expected a device id >= 0, got %r'
                             % (device_id,))
        return GpuDevice(cupy.cuda.Device(device_id))

    @staticmethod
    def from_array(array):
        """The GpuDevice on which a ``cupy.ndarray`` lives."""
        return GpuDevice(array.device)

    @property
    def xp(self):
        from kusari.backends import cuda
        return cuda.cupy

    @property
    def name(self):
        return '@cupy:%d' % self.device.id

    @property
    def supported_array_types(self):
        from kusari.backends import cuda
        return (cuda.cupy.ndarray,)

    def send_array(self, array):
        cupy = self.xp
        with self.device:
            if isinstance(array, cupy.ndarray):
                if array.device.id == self.device.id:
                    return array
                return cupy.array(array, copy=True)
            return cupy.asarray(array)

    def use(self):
        self.device.use()

    def __enter__(self):
        self._prev = self.xp.cuda.Device()
        self.device.use()
        return self

    def __exit__(self, *exc):
        self._prev.use()
        return False

    def __eq__(self, other):
        return isinstance(other, GpuDevice) and other.device.id == self.device.id

    def __hash__(self):
        return hash(self.name)


def get_device(device_spec):
    """Return the :class:`Device` that ``device_spec`` names (see the module doc)."""
    if isinstance(device_spec, Device):
        return device_spec
    if device_spec is numpy or type(device_spec).__name__ == 'DummyDeviceType':
        return CpuDevice()      # (cuda.DummyDevice is the host, as in Chainer)
    if isinstance(device_spec, str):
        s = device_spec.strip()
        if s in ('@numpy', 'native', 'native:0', 'cpu', '@cpu'):
            return CpuDevice()
        for prefix in ('@cupy:', 'cuda:', '@cuda:'):
            if s.startswith(prefix):
                try:
                    return GpuDevice.from_device_id(int(s[len(prefix):]))
                except ValueError:
                    break
        if s in ('@cupy', 'cuda', '@cuda'):
            return GpuDevice.from_device_id(0)
        raise ValueError("get_device: unknown device specifier %r (expected '@numpy' or "
                         "'@cupy:N')" % (device_spec,))
    if isinstance(device_spec, (int, numpy.integer)) and not isinstance(device_spec, bool):
        if device_spec < 0:
            return CpuDevice()
        return GpuDevice.from_device_id(int(device_spec))
    mod_name = getattr(device_spec, '__name__', None)
    if mod_name == 'cupy':
        return GpuDevice(device_spec.cuda.Device())
    if type(device_spec).__name__ == 'Device' and hasattr(device_spec, 'id'):
        return GpuDevice(device_spec)      # a cupy.cuda.Device
    raise TypeError('get_device: cannot interpret %r as a device' % (device_spec,))


def get_device_from_array(array):
    """The :class:`Device` on which ``array`` lives (CpuDevice for anything not CuPy)."""
    if isinstance(array, _core.Variable):
        array = array.array
    if isinstance(array, numpy.ndarray) or not is_array(array):
        return CpuDevice()
    return GpuDevice.from_array(array)


class using_device:
    """Context manager that makes ``device_spec`` the current device."""

    def __init__(self, device_spec):
        self.device = get_device(device_spec)

    def __enter__(self):
        self.device.__enter__()
        return self.device

    def __exit__(self, *exc):
        return self.device.__exit__(*exc)


def to_cpu(array):
    """Copy arrays (or nested lists/tuples of them) to the host; None passes."""
    if isinstance(array, (list, tuple)):
        return type(array)(to_cpu(a) for a in array)
    if isinstance(array, _core.Variable):
        array = array.array
    if array is None:
        return None
    return CpuDevice().send(array)


def to_gpu(array, device=None):
    """Copy arrays (or nested lists/tuples) to a GPU (device id or spec; current by default)."""
    if isinstance(array, (list, tuple)):
        return type(array)(to_gpu(a, device) for a in array)
    if array is None:
        return None
    from kusari.backends import cuda
    return cuda.to_gpu(array, device)


def copyto(dst, src):
    """Copy ``src`` into the array ``dst`` in place, across devices."""
    src = get_device_from_array(dst).send(src)
    get_array_module(dst).copyto(dst, src)


def get_array_types():
    """The array types kusari accepts: ``numpy.ndarray`` and, if imported, ``cupy.ndarray``."""
    import sys
    types = [numpy.ndarray]
    cupy = sys.modules.get('cupy')
    if cupy is not None and hasattr(cupy, 'ndarray'):
        types.append(cupy.ndarray)
    return tuple(types)


def get_cpu_array_types():
    """The array types of the host: ``(numpy.ndarray,)``."""
    return (numpy.ndarray,)


def is_arrays_compatible(arrays):
    """Whether the arrays (``None`` ignored) all live on one kind of device.

    >>> is_arrays_compatible([numpy.zeros(1), None, numpy.ones(2)])
    True
    """
    arrays = [a for a in arrays if a is not None]
    if not arrays:
        return True
    first = type(get_device_from_array(arrays[0]))
    return all(type(get_device_from_array(a)) is first for a in arrays)
