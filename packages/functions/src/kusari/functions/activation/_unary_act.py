"""Machinery shared by the modern elementwise activations (not public API).

Each activation ``f`` is one :class:`UnaryActivation` subclass that names

* ``_op``: its number in the Cython kernels of :mod:`._modern_kernels`
  (``forward(op, x)`` computes ``f(x)``, ``grad(op, x, gy)`` computes ``gy * f'(x)``),
* ``_gpu_fwd`` / ``_gpu_grad``: the CuPy elementwise kernels doing the same on the
  GPU (declared at module level through :mod:`kusari.backends.cuda`),
* ``_deriv_var(x)``: ``f'(x)`` written with differentiable functions of the Variable
  ``x``, which is what :meth:`backward` uses, so gradients of any order work.

``backward_array`` (the engine's path without double backprop) runs the one-pass
kernels.  float16 input is evaluated in float32 and cast back.
"""
import numpy

from kusari import backend
from kusari import function_node
from kusari.functions.activation import _common
from kusari.functions.activation import _modern_kernels

_ndarray = numpy.ndarray


def _cpu_operand(a):
    if a.dtype == numpy.float16:
        return a.astype(numpy.float32, order='C')
    if not a.flags.c_contiguous:
        return a.copy(order='C')
    return a


def cpu_forward(op, x):
    """``f(x)`` of kernel ``op`` on a NumPy array of any float dtype and layout."""
    y = _modern_kernels.forward(op, _cpu_operand(x))
    return _common.force_array(y, x.dtype)


def cpu_grad(op, x, gy):
    """``gy * f'(x)`` of kernel ``op`` on NumPy arrays of one float dtype."""
    gx = _modern_kernels.grad(op, _cpu_operand(x), _cpu_operand(gy.astype(x.dtype,
                                                                          copy=False)))
    return _common.force_array(gx, x.dtype)


def _gpu_call(kernel, *arrays):
    dtype = arrays[0].dtype
    if dtype == numpy.float16:
        out = kernel(*[a.astype(numpy.float32) for a in arrays])
        return out.astype(dtype)
    return kernel(*arrays)


class UnaryActivation(function_node.FunctionNode):
    """An elementwise activation ``y = f(x)`` that keeps ``x`` for backward."""

    _op = None
    _name = None
    _gpu_fwd = None
    _gpu_grad = None

    @property
    def label(self):
        return self._name

    def forward(self, inputs):
        x, = inputs
        if x.dtype.kind != 'f':
            raise _common.invalid(self._name, 'x.dtype.kind == f',
                                  '%s != f' % x.dtype.kind)
        self.retain_inputs((0,))
        if type(x) is _ndarray:
            return cpu_forward(self._op, x),
        return _gpu_call(self._gpu_fwd, x),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * self._deriv_var(x),

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        gy = grad_outputs[0]
        if type(x) is _ndarray:
            return cpu_grad(self._op, x, gy),
        xp = backend.get_array_module(x)
        return _gpu_call(self._gpu_grad, x, xp.asarray(gy, x.dtype)),

    def _deriv_var(self, x):
        raise NotImplementedError


def const(x, value):
    """``value`` as a scalar of ``x``'s dtype (``x`` a Variable or an array)."""
    return x.dtype.type(value)
