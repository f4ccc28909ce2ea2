"""Alex Graves's RMSprop (``chainer.optimizers.RMSpropGraves``)."""
import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers import _base

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 1e-4
_default_hyperparam.alpha = 0.95
_default_hyperparam.momentum = 0.9
_default_hyperparam.eps = 1e-4

_rmsprop_graves_kernel = cuda.elementwise(
    'T grad, T lr, T alpha, T momentum, T eps', 'T param, T avg_n, T avg_g, T delta',
    '''avg_n = alpha * avg_n + (1 - alpha) * grad * grad;
       avg_g = alpha * avg_g + (1 - alpha) * grad;
       delta = delta * momentum - lr * grad * rsqrt(avg_n - avg_g * avg_g + eps);
       param += delta;''',
    'kusari_rmsprop_graves')


class RMSpropGravesRule(_base.ElementwiseRule):
    """Update rule of Alex Graves's RMSprop.

    .. math::

        n &\\leftarrow \\alpha n + (1 - \\alpha) g^2, \\\\
        \\bar g &\\leftarrow \\alpha \\bar g + (1 - \\alpha) g, \\\\
        \\delta &\\leftarrow \\mu \\delta - \\eta g / \\sqrt{n - \\bar g^2 + \\epsilon},
        \\\\
        \\theta &\\leftarrow \\theta + \\delta.

    States: ``n``, ``g`` (:math:`\\bar g`) and ``delta``.

    Args:
        parent_hyperparam (~kusari.optimizer.Hyperparameter): Hyperparameter that
            provides the default values.
        lr (float): Learning rate :math:`\\eta`.
        alpha (float): Exponential decay rate of the first and second order moments
            of the raw gradient.
        momentum (float): Exponential decay rate :math:`\\mu` of the first order
            moment of the adjusted gradient.
        eps (float): Small value for the numerical stability.
    """

    _state_names = ('n', 'g', 'delta')

    def __init__(self, parent_hyperparam=None, lr=None, alpha=None, momentum=None,
                 eps=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if alpha is not None:
            self.hyperparam.alpha = alpha
        if momentum is not None:
            self.hyperparam.momentum = momentum
        if eps is not None:
            self.hyperparam.eps = eps

    def _update_kernel(self, p, g, state):
        lr, alpha, momentum, eps = _base.get_hyperparameters(
            self.hyperparam, ('lr', 'alpha', 'momentum', 'eps'))
        return _base._kernels.rmsprop_graves(p, g, state.get('n'), state.get('g'),
                                             state.get('delta'), lr, alpha, momentum, eps)

    def _update_numpy(self, p, g, n, avg_g, delta):
        hp = self.hyperparam
        n *= hp.alpha
        n += (1 - hp.alpha) * g * g
        avg_g *= hp.alpha
        avg_g += (1 - hp.alpha) * g
        delta *= hp.momentum
        delta -= hp.lr * g / numpy.sqrt(n - avg_g * avg_g + hp.eps)
        p += delta

    def _update_gpu(self, p, g, n, avg_g, delta):
        hp = self.hyperparam
        _rmsprop_graves_kernel(g, hp.lr, hp.alpha, hp.momentum, hp.eps,
                               p, n, avg_g, delta)


class RMSpropGraves(optimizer.GradientMethod):
    """Alex Graves's RMSprop.

    See: https://arxiv.org/abs/1308.0850 and :class:`RMSpropGravesRule`.

    Args:
        lr (float): Learning rate.
        alpha (float): Exponential decay rate of the first and second order moments
            of the raw gradient.
        momentum (float): Exponential decay rate of the first order moment of the
            adjusted gradient.
        eps (float): Small value for the numerical stability.

    >>> import numpy, kusari
    >>> from kusari import optimizers
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(1, dtype=numpy.float64))
    >>> opt = optimizers.RMSpropGraves(lr=0.1, alpha=0.5, eps=0.0).setup(link)
    >>> link.w.grad = numpy.ones(1)
    >>> opt.update()
    >>> link.w.array  # -0.1 / sqrt(0.5 - 0.25)
    array([-0.2])
    """

    def __init__(self, lr=_default_hyperparam.lr, alpha=_default_hyperparam.alpha,
                 momentum=_default_hyperparam.momentum, eps=_default_hyperparam.eps):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.alpha = alpha
        self.hyperparam.momentum = momentum
        self.hyperparam.eps = eps

    lr = optimizer.HyperparameterProxy('lr')
    alpha = optimizer.HyperparameterProxy('alpha')
    momentum = optimizer.HyperparameterProxy('momentum')
    eps = optimizer.HyperparameterProxy('eps')

    def create_update_rule(self):
        """Return a new :class:`RMSpropGravesRule` (parent: this optimizer's)."""
        return RMSpropGravesRule(self.hyperparam)
