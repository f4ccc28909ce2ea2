"""Kullback-Leibler divergence of two categorical distributions given as log-probs."""
import numpy

from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.functions.activation import _common
from kusari.functions.array.where import where as _where
from kusari.functions.math.exponential import exp as _exp

_NAME = 'kl_divergence'


class KLDivergence(function_node.FunctionNode):
    """``sum_c p_c (log p_c - log q_c)`` along ``axis`` from ``(log_p, log_q)``."""

    def __init__(self, reduce='mean', axis=1):
        if reduce not in ('mean', 'sum', 'no'):
            raise ValueError("%s: reduce must be 'mean', 'sum' or 'no', got %r"
                             % (_NAME, reduce))
        self.reduce = reduce
        self.axis = axis

    @property
    def label(self):
        return 'KLDivergence'

    def forward(self, inputs):
        lp, lq = inputs
        for name, a in (('log_p', lp), ('log_q', lq)):
            if a.dtype.kind != 'f':
                raise _common.invalid(_NAME, '%s.dtype.kind == f' % name,
                                      '%s != f' % a.dtype.kind)
        _common.check_same_dtype(_NAME, lp, lq, ('log_p', 'log_q'))
        _common.check_same_shape(_NAME, lp, lq, ('log_p', 'log_q'))
        if lp.ndim == 0:
            raise _common.invalid(_NAME, 'log_p.ndim >= 1', 'log_p.ndim == 0')
        self._axis = _common.normalize_axis(_NAME, self.axis, lp.ndim)
        self.retain_inputs((0, 1))
        xp = backend.get_array_module(lp)
        p = xp.exp(lp)
        zero = lp.dtype.type(0)
        with numpy.errstate(invalid='ignore'):
            term = xp.where(p > 0, p * (lp - lq), zero)
        kl = term.sum(axis=self._axis)
        n = kl.size
        self._coeff = 1.0 / max(n, 1)
        if self.reduce == 'mean':
            return _common.force_array(xp.asarray(kl.sum() * lp.dtype.type(self._coeff)),
                                       lp.dtype),
        if self.reduce == 'sum':
            return _common.force_array(xp.asarray(kl.sum()), lp.dtype),
        return _common.force_array(kl, lp.dtype),

    def _broadcast_grad_array(self, g, shape, xp):
        if self.reduce == 'mean':
            g = g * g.dtype.type(self._coeff)
        elif self.reduce == 'no':
            g = xp.expand_dims(g, self._axis)
        return xp.broadcast_to(g, shape)

    def backward_array(self, indexes, grad_outputs):
        lp = self.inputs[0].data
        lq = self.inputs[1].data
        xp = backend.get_array_module(lp)
        g = self._broadcast_grad_array(grad_outputs[0], lp.shape, xp)
        p = xp.exp(lp)
        zero = lp.dtype.type(0)
        ret = []
        for i in indexes:
            if i == 0:
                with numpy.errstate(invalid='ignore'):
                    r = xp.where(p > 0, g * p * (lp - lq + lp.dtype.type(1)), zero)
            else:
                r = -(g * p)
            ret.append(_common.force_array(r, lp.dtype))
        return tuple(ret)

    def backward(self, indexes, grad_outputs):
        lp, lq = self.get_retained_inputs()
        xp = backend.get_array_module(lp.array)
        g = grad_outputs[0]
        if self.reduce == 'mean':
            g = g * self._coeff
        if self.reduce == 'no':
            kept = list(lp.shape)
            kept[self._axis] = 1
            g = _core.reshape(g, tuple(kept))
        else:
            g = _core.reshape(g, (1,) * lp.ndim)
        g = _core.broadcast_to(g, lp.shape)
        p = _exp(lp)
        ret = []
        for i in indexes:
            if i == 0:
                finite = lp.array > -numpy.inf
                lp_safe = lp
                if not bool(finite.all()):
                    lp_safe = _where(finite, lp, xp.zeros(lp.shape, lp.dtype))
                ret.append(g * p * (lp_safe - lq + 1.0))
            else:
                ret.append(-(g * p))
        return tuple(ret)


def kl_divergence(log_p, log_q, reduce='mean', axis=1):
    """Kullback-Leibler divergence :math:`D_{KL}(P \\| Q)` from log-probabilities.

    .. math:: D_{KL}(P \\| Q) = \\sum_c p_c (\\log p_c - \\log q_c),
        \\qquad p_c = \\exp(\\log p_c),

    summed along ``axis`` (the class axis) for every other index; entries with
    ``p_c = 0`` (``log_p = -inf``) contribute 0.  Both arguments are
    log-probabilities, e.g. outputs of :func:`~kusari.functions.log_softmax`, and
    both get gradients.  To distill a model ``q`` toward a fixed target ``p``, pass
    the target as ``log_p``.  Not in Chainer v7 (PyTorch's
    ``kl_div(log_q, log_p, reduction='batchmean', log_target=True)`` computes
    ``reduce='mean'`` for 2-d inputs).

    Args:
        log_p (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): :math:`\\log P`, e.g. ``(N, C)`` or
            ``(N, C, d1, ...)``, float dtype.
        log_q (:class:`~kusari.Variable` or array): :math:`\\log Q`, same shape and
            dtype.
        reduce (str): ``'mean'`` (the divergences averaged over all indices other than
            ``axis``: the batch mean for 2-d inputs), ``'sum'`` or ``'no'`` (the
            divergences, of the input shape without ``axis``).
        axis (int): The axis of the categories.

    Returns:
        ~kusari.Variable: A scalar, or the divergences with ``reduce='no'``.

    >>> import numpy, kusari.functions as F
    >>> p = numpy.log(numpy.array([[0.5, 0.5], [0.9, 0.1]]))
    >>> q = numpy.log(numpy.array([[0.25, 0.75], [0.5, 0.5]]))
    >>> F.kl_divergence(p, q, reduce='no').array
    array([0.14384104, 0.36806421])
    >>> round(float(F.kl_divergence(p, q).array), 6)
    0.255953
    """
    return KLDivergence(reduce, axis).apply((log_p, log_q))[0]
