"""Variables and parameters.

:class:`Variable` and :class:`VariableNode` are Cython types of the core;
:class:`Parameter` (a Variable that belongs to a Link and is updated by an optimizer)
is defined here.
"""
import numpy

from kusari import _core
from kusari._core import Variable, VariableNode, as_array, as_variable  # noqa: F401

__all__ = ['Variable', 'VariableNode', 'Parameter', 'as_variable', 'as_array']


def _initializers():
    from kusari import initializers
    return initializers


class Parameter(Variable):
    """A Variable that a :class:`~kusari.Link` owns and an optimizer updates.

    A parameter can be created without a shape; it is then *uninitialized*
    (``array is None``) until :meth:`initialize` gives it one, as links with lazy
    input sizes do on their first call.

    Args:
        initializer: an array (the initial value), a scalar (a constant), an
            initializer object (``kusari.initializers.*``), or ``None`` (NaN).
        shape (int or tuple of int): the shape; ``None`` leaves the parameter
            uninitialized unless ``initializer`` is an array.
        name (str): the parameter's name.

    Attributes:
        initializer: what :meth:`initialize` uses.
        update_rule: the :class:`~kusari.UpdateRule` that an optimizer's ``setup``
            assigned, or ``None``.

    >>> import numpy, kusari
    >>> from kusari import initializers
    >>> p = kusari.Parameter(initializers.Constant(0.5))
    >>> p.is_initialized
    False
    >>> p.initialize((2,))
    >>> p.array
    array([0.5, 0.5], dtype=float32)
    """

    initializer = None
    _grad_initializer = None
    _initial_device = None

    def __init__(self, initializer=None, shape=None, name=None):
        inits = _initializers()
        if initializer is None:
            initializer = inits.NaN()
        elif numpy.isscalar(initializer):
            initializer = inits.Constant(initializer)
        if shape is None:
            if _core.is_array(initializer):
                super().__init__(initializer, name=name)
            else:
                super().__init__(name=name)
                dtype = getattr(initializer, 'dtype', None)
                self._grad_initializer = inits.NaN(dtype)
        else:
            if _core.is_array(initializer):
                xp = _core.get_array_module(initializer)
                initializer = inits.Constant(initializer)
            else:
                xp = numpy
            data = inits.generate_array(initializer, shape, xp)
            grad = xp.full_like(data, numpy.nan)
            super().__init__(data, name=name, grad=grad)
        self.update_rule = None
        self.initializer = initializer

    def __reduce__(self):
        return (_rebuild_parameter,
                (self.initializer, self.array, self.name, self.grad,
                 self.update_rule, self._grad_initializer))

    @property
    def is_initialized(self):
        """``True`` once the parameter has an array."""
        return self.array is not None

    @property
    def dtype(self):
        """dtype of the array, or of the initializer while uninitialized."""
        if self.array is not None:
            return self.array.dtype
        dtype = getattr(self.initializer, 'dtype', None)
        return numpy.dtype(dtype) if dtype is not None else None

    def addgrad(self, var):
        """Add ``var``'s gradient; an uninitialized parameter is first initialized
        to ``var``'s shape (as Chainer's)."""
        if self.array is None and var.array is not None:
            self.initialize(var.shape)
        super().addgrad(var)

    def initialize(self, shape):
        """Create the array with ``shape`` from the initializer (and a NaN gradient).

        Args:
            shape (int or tuple of int): the shape of the new array.
        """
        inits = _initializers()
        device = self._initial_device
        xp = numpy if device is None else device.xp
        data = inits.generate_array(self.initializer, shape, xp)
        if device is not None:
            data = device.send(data)
        if self._grad_initializer is None:
            grad = None
        else:
            grad = inits.generate_array(self._grad_initializer, shape, xp)
            if device is not None:
                grad = device.send(grad)
        self.array = data
        self.grad = grad

    def cleargrad(self):
        """Set the gradient to ``None`` (also for an uninitialized parameter)."""
        super().cleargrad()
        if self.array is None:
            self._grad_initializer = None

    def zerograd(self):
        """Fill the gradient with zeros (an uninitialized one gets zeros when created)."""
        super().zerograd()
        if self.array is None:
            dtype = getattr(self.initializer, 'dtype', None)
            self._grad_initializer = _initializers().Zero(dtype)

    def to_cpu(self):
        """Move to the host; (re)initialization creates the array there too."""
        super().to_cpu()
        from kusari import backend
        self._initial_device = backend.CpuDevice()

    def to_gpu(self, device=None):
        """Move to a GPU (the current one by default); (re)initialization happens there."""
        super().to_gpu(device)
        from kusari import backend
        self._initial_device = backend.get_device_from_array(self.array) \
            if self.array is not None else _gpu_device(device)

    def to_device(self, device):
        """Move to ``device``; (re)initialization creates the array there too."""
        from kusari import backend
        device = backend.get_device(device)
        super().to_device(device)
        self._initial_device = device

    def update(self):
        """Update the array with the optimizer's rule (does nothing without one)."""
        if self.update_rule is not None:
            self.update_rule.update(self)


def _gpu_device(device):
    from kusari import backend
    from kusari.backends import cuda
    if device is None:
        return backend.GpuDevice(cuda.require_cupy('to_gpu').cuda.Device())
    return backend.get_device(device if not isinstance(device, int) else '@cupy:%d' % device)


def _rebuild_parameter(initializer, data, name, grad, update_rule, grad_initializer):
    p = Parameter(initializer=data if data is not None else initializer, name=name)
    if data is not None:
        p.initializer = initializer
    if grad is not None:
        p.grad = grad
    p.update_rule = update_rule
    p._grad_initializer = grad_initializer
    return p
