"""Shared machinery of the update rules in :mod:`kusari.optimizers` (private).

:class:`ElementwiseRule` is an :class:`~kusari.UpdateRule` whose update is elementwise
over the parameter, its gradient and its state arrays (all of the parameter's shape).
It dispatches:

* CPU, ``float32``/``float64``, every array C-contiguous, of the parameter's dtype (and
  the parameter and state writable): one fused Cython kernel from
  :mod:`kusari.optimizers._kernels`, in place, without temporaries;
* ``float16`` CPU arrays: the same kernel on ``float32`` copies (float32 arithmetic),
  whose results are rounded back into the parameter and state;
* other CPU arrays (non-contiguous, mixed dtypes): in-place NumPy operations following
  Chainer's formulas;
* CuPy arrays: one CuPy elementwise kernel declared at module level through
  :func:`kusari.backends.cuda.elementwise`.

The kernels check their arrays themselves (and refuse, returning ``False``, those not
for them), so the common step -- host arrays, an initialized state, no hooks -- costs
one Python call into the kernel per parameter; the rule's own checks (with their error
messages) run when a kernel refuses or the step takes the general path.
"""
import numpy

from kusari import backend
from kusari import optimizer
from kusari.utils import type_check

try:
    from kusari.optimizers import _kernels
except ImportError:  # pragma: no cover - the extension was not built
    _kernels = None

_ndarray = numpy.ndarray

#: Fast readers of a rule's hyperparameters (see :func:`kusari.optimizer.get_hyperparameter`).
get_hyperparameter = optimizer.get_hyperparameter
get_hyperparameters = optimizer.get_hyperparameters


class ElementwiseRule(optimizer.UpdateRule):
    """Base of the elementwise update rules (see the module docstring).

    Subclasses set :attr:`_state_names` and implement

    * ``_update_kernel(p, g, state)``: call the Cython kernel on the host arrays ``p``
      (the parameter), ``g`` (its gradient) and the arrays of the dict ``state``
      (missing entries passed as ``None``), and return the kernel's verdict: ``True``
      if it updated them, ``False`` if it refused the arrays (nothing touched);
    * ``_update_numpy(p, g, *states)``: the same update with NumPy operations, in
      place, on any NumPy arrays;
    * ``_update_gpu(p, g, *states)``: the same on CuPy arrays;

    where ``*states`` are the state arrays in the order of :attr:`_state_names`.  All
    of them read the hyperparameters at the time of the call and see :attr:`t`
    already incremented for the current step.
    """

    #: names of the state arrays, in the order the update methods take them
    _state_names = ()

    def init_state(self, param):
        """Create every state array as zeros shaped like the parameter.

        Args:
            param (~kusari.Variable): The parameter (its array gives the shape, dtype
                and device).
        """
        xp = backend.get_array_module(param.array)
        for name in self._state_names:
            self.state[name] = xp.zeros_like(param.array)

    def _active_state_names(self):
        return self._state_names

    def update(self, param):
        """Update ``param`` (see :meth:`kusari.UpdateRule.update`).

        The common step -- an initialized state, no hooks, no loss scale, no float32
        master copy -- goes straight to the fused kernel, which checks the arrays; if it
        refuses them (float16, non-contiguous, CuPy, mismatched state, ...), or in the
        other cases, the step takes the general path of :class:`~kusari.UpdateRule`.
        """
        grad = param.grad
        state = self._state
        if (state is None or type(grad) is not _ndarray or _kernels is None
                or not self.enabled or self._pre_update_hooks or self._post_update_hooks
                or self._use_fp32_update or param._loss_scale is not None):
            return super().update(param)   # (CuPy arrays too: no kernel for them)
        self.t += 1   # the kernels of Adam and M-SVAG depend on the step count
        if self._update_kernel(param.array, grad, state):
            return
        self.t -= 1   # nothing was updated: the general path counts the step again
        return super().update(param)

    def _check(self, param):
        p, g = param.array, param.grad
        if (p.dtype.kind == 'f' and g.dtype is p.dtype and g.shape == p.shape
                and self._states_match(p)):
            return   # the common case, checked cheaply at every step
        who = '{}.update'.format(type(self).__name__)
        if p.dtype.kind != 'f':
            raise type_check.InvalidType(
                'param.dtype.kind == "f"', 'param.dtype = {}'.format(p.dtype),
                '{}: the parameter must be a floating point array; got dtype {} '
                '(parameter {!r})'.format(who, p.dtype, param.name))
        if g.dtype.kind != 'f':
            raise type_check.InvalidType(
                'grad.dtype.kind == "f"', 'grad.dtype = {}'.format(g.dtype),
                '{}: the gradient must be a floating point array; got dtype {} '
                '(parameter {!r})'.format(who, g.dtype, param.name))
        if g.shape != p.shape:
            raise ValueError(
                '{}: the gradient has shape {}, expected the parameter\'s shape {} '
                '(parameter {!r})'.format(who, g.shape, p.shape, param.name))
        state = self.state
        for name in self._active_state_names():
            if name not in state:
                raise ValueError('{}: state {!r} is missing (parameter {!r})'.format(
                    who, name, param.name))
            a = state[name]
            shape = getattr(a, 'shape', None)
            if shape != p.shape:
                raise ValueError(
                    '{}: state {!r} has shape {}, expected the parameter\'s shape {} '
                    '(parameter {!r}; was a snapshot of another model loaded?)'.format(
                        who, name, shape, p.shape, param.name))
            if a.dtype.kind != 'f':
                raise type_check.InvalidType(
                    '{}.dtype.kind == "f"'.format(name), '{}.dtype = {}'.format(
                        name, a.dtype),
                    '{}: state {!r} must be a floating point array; got dtype {} '
                    '(parameter {!r})'.format(who, name, a.dtype, param.name))

    def _states_match(self, p):
        state = self.state
        shape = p.shape
        dtype = p.dtype
        for name in self._active_state_names():
            a = state.get(name)
            if a is None or getattr(a, 'shape', None) != shape or \
                    getattr(a, 'dtype', None) is not dtype:
                return False
        return True

    def _states(self):
        state = self.state
        return [state[name] for name in self._active_state_names()]

    def update_core_cpu(self, param):
        """Update a parameter held in a NumPy array (fused kernel or NumPy fallback)."""
        if param.grad is None:
            return
        self._check(param)
        p, g = param.array, param.grad
        state = self.state
        if _kernels is not None and self._update_kernel(p, g, state):
            return
        states = self._states()
        if p.dtype == numpy.float16 and all(s.dtype == numpy.float16 for s in states):
            # float16: float32 arithmetic (one fused pass over float32 copies),
            # rounded back into the parameter and the state
            names = self._active_state_names()
            work = [numpy.ascontiguousarray(a, dtype=numpy.float32)
                    for a in [p, g] + states]
            if _kernels is None or not self._update_kernel(
                    work[0], work[1], dict(zip(names, work[2:]))):
                self._update_numpy(*work)
            numpy.copyto(p, work[0], casting='same_kind')
            for s, w in zip(states, work[2:]):
                numpy.copyto(s, w, casting='same_kind')
        else:
            self._update_numpy(p, g, *states)

    def update_core_gpu(self, param):
        """Update a parameter held in a CuPy array (one elementwise kernel)."""
        if param.grad is None:
            return
        self._check(param)
        self._update_gpu(param.array, param.grad, *self._states())

    def _update_kernel(self, p, g, state):  # pragma: no cover - abstract
        raise NotImplementedError

    def _update_numpy(self, p, g, *states):  # pragma: no cover - abstract
        raise NotImplementedError

    def _update_gpu(self, p, g, *states):  # pragma: no cover - abstract
        raise NotImplementedError


def check_eps(who, hp_eps, dtype):
    """Raise ValueError if a nonzero ``eps`` rounds to zero in ``dtype`` (as Chainer)."""
    if hp_eps != 0 and numpy.dtype(dtype).type(hp_eps) == 0:
        raise ValueError('eps of {} optimizer is too small for {} ({})'.format(
            who, numpy.dtype(dtype).name, hp_eps))
