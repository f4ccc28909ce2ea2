"""Zeiler's ADADELTA (``chainer.optimizers.AdaDelta``)."""
import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers import _base

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.rho = 0.95
_default_hyperparam.eps = 1e-6

_ada_delta_kernel = cuda.elementwise(
    'T grad, T one_minus_rho, T eps', 'T param, T msg, T msdx',
    '''msg = msg + one_minus_rho * (grad * grad - msg);
       T dx = sqrt((msdx + eps) / (msg + eps)) * grad;
       msdx += one_minus_rho * (dx * dx - msdx);
       param -= dx;''',
    'kusari_ada_delta')


class AdaDeltaRule(_base.ElementwiseRule):
    """Update rule of Zeiler's ADADELTA.

    .. math::

        m_g &\\leftarrow \\rho m_g + (1 - \\rho) g^2, \\\\
        \\Delta &= \\sqrt{(m_{\\Delta} + \\epsilon) / (m_g + \\epsilon)}\\, g, \\\\
        m_{\\Delta} &\\leftarrow \\rho m_{\\Delta} + (1 - \\rho) \\Delta^2, \\\\
        \\theta &\\leftarrow \\theta - \\Delta.

    States: ``msg`` (:math:`m_g`) and ``msdx`` (:math:`m_{\\Delta}`).

    Args:
        parent_hyperparam (~kusari.optimizer.Hyperparameter): Hyperparameter that
            provides the default values.
        rho (float): Exponential decay rate of the first and second order moments.
        eps (float): Small value for the numerical stability.
    """

    _state_names = ('msg', 'msdx')

    def __init__(self, parent_hyperparam=None, rho=None, eps=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if rho is not None:
            self.hyperparam.rho = rho
        if eps is not None:
            self.hyperparam.eps = eps

    def _update_kernel(self, p, g, state):
        rho, eps = _base.get_hyperparameters(self.hyperparam, ('rho', 'eps'))
        return _base._kernels.ada_delta(p, g, state.get('msg'), state.get('msdx'), rho,
                                        eps)

    def _update_numpy(self, p, g, msg, msdx):
        rho, eps = self.hyperparam.rho, self.hyperparam.eps
        msg *= rho
        msg += (1 - rho) * g * g
        dx = numpy.sqrt((msdx + eps) / (msg + eps)) * g
        msdx *= rho
        msdx += (1 - rho) * dx * dx
        p -= dx

    def _update_gpu(self, p, g, msg, msdx):
        hp = self.hyperparam
        _ada_delta_kernel(g, 1 - hp.rho, hp.eps, p, msg, msdx)


class AdaDelta(optimizer.GradientMethod):
    """Zeiler's ADADELTA.

    See: http://www.matthewzeiler.com/pubs/googleTR2012/googleTR2012.pdf and
    :class:`AdaDeltaRule`.

    Args:
        rho (float): Exponential decay rate of the first and second order moments.
        eps (float): Small value for the numerical stability.

    >>> import numpy, kusari
    >>> from kusari import optimizers
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(1, dtype=numpy.float64))
    >>> opt = optimizers.AdaDelta(rho=0.5, eps=1e-2).setup(link)
    >>> link.w.grad = numpy.ones(1)
    >>> opt.update()
    >>> link.w.array  # -sqrt(0.01 / 0.51)
    array([-0.14002801])
    """

    def __init__(self, rho=_default_hyperparam.rho, eps=_default_hyperparam.eps):
        super().__init__()
        self.hyperparam.rho = rho
        self.hyperparam.eps = eps

    rho = optimizer.HyperparameterProxy('rho')
    eps = optimizer.HyperparameterProxy('eps')

    def create_update_rule(self):
        """Return a new :class:`AdaDeltaRule` (parent: this optimizer's hyperparam)."""
        return AdaDeltaRule(self.hyperparam)
