"""Recompute-in-backward wrapper (``F.forget``)."""
import kusari
from kusari import _core
from kusari._core import FunctionNode
from kusari._core import Variable

_NAME = 'forget'


def _ordinal(n):
    """``1st``, ``2nd``, ``3rd``, ``4th``, ..., ``11th``, ``12th``, ``13th``, ``21st``."""
    if n % 100 in (11, 12, 13):
        return '%dth' % n
    return '%d%s' % (n, {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th'))


def _call_func(func, xs):
    outs = func(*xs)
    if isinstance(outs, tuple):
        for i, out in enumerate(outs):
            if not isinstance(out, Variable):
                raise RuntimeError('%s: %s element of the returned values is not a '
                                   'Variable, but %s'
                                   % (_NAME, _ordinal(i + 1), type(out).__name__))
        return outs
    if isinstance(outs, Variable):
        return (outs,)
    raise RuntimeError('%s: a tuple of Variables or a Variable are expected, but %s '
                       'is returned' % (_NAME, type(outs).__name__))


class Forget(FunctionNode):
    """Runs ``func`` without recording the graph; recomputes it in backward."""

    def __init__(self, func):
        if not callable(func):
            raise TypeError('%s: func must be callable, got %s'
                            % (_NAME, type(func).__name__))
        self.func = func

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        # links with running statistics keep what they need to recompute exactly
        with _core.no_backprop_mode(), kusari.using_config('_will_recompute', True):
            xs = [Variable(x) for x in inputs]
            outs = _call_func(self.func, xs)
        return tuple(out.array for out in outs)

    def _grads(self, grad_outputs):
        inputs = [n.data for n in self.inputs]
        dummy = tuple(Variable(x) for x in inputs)
        # the recomputation must not update statistics again (BatchNormalization &c.)
        with _core.force_backprop_mode(), kusari.using_config('in_recomputing', True):
            outs = _call_func(self.func, dummy)
        if len(outs) != len(grad_outputs):
            raise RuntimeError('%s: func returned %d outputs in backward but %d in forward'
                               % (_NAME, len(outs), len(grad_outputs)))
        roots, gys = [], []
        for out, g in zip(outs, grad_outputs):
            if g is None:
                continue
            roots.append(out)
            gys.append(g.array if isinstance(g, Variable) else g)
        if roots:
            with _core.force_backprop_mode():
                kusari.backward(roots, gys)
        return tuple(x.grad for x in dummy)

    def backward(self, indexes, grad_outputs):
        if kusari.config.enable_backprop:
            raise RuntimeError('double backpropagation in functions.forget is not '
                               'allowed.')
        return tuple(None if g is None else _core.as_variable(g)
                     for g in self._grads(grad_outputs))

    def backward_array(self, indexes, grad_outputs):
        return self._grads(grad_outputs)


def forget(func, *xs):
    """Call ``func(*xs)`` without keeping its intermediate results; recompute them
    during backward (trades computation for memory).

    The forward pass runs ``func`` in no-backprop mode, so only the inputs and
    outputs are stored.  In backward, ``func`` is called again with backprop
    enabled and its graph is backpropagated.  ``func`` must be deterministic (for
    example, no dropout).  Double backprop is not supported.

    Args:
        func (callable): takes Variables, returns a Variable or a tuple of them.
        *xs (Variable or array): the inputs.

    Returns:
        Variable or tuple of Variables: what ``func`` returns.

    >>> import numpy, kusari, kusari.functions as F
    >>> x = kusari.Variable(numpy.array([1., 2.]))
    >>> y = F.forget(lambda a: a * a * 3, x)
    >>> kusari.backward([y], [numpy.ones(2)])
    >>> x.grad
    array([ 6., 12.])
    """
    ys = Forget(func).apply(xs)
    if len(ys) == 1:
        return ys[0]
    return ys
