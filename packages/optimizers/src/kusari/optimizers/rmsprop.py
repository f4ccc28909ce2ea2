"""RMSprop (``chainer.optimizers.RMSprop``)."""
import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers import _base

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01
_default_hyperparam.alpha = 0.99
_default_hyperparam.eps = 1e-8
_default_hyperparam.eps_inside_sqrt = False

_rmsprop_kernel = cuda.elementwise(
    'T grad, T lr, T alpha, T eps', 'T param, T ms',
    '''ms = alpha * ms + (1 - alpha) * grad * grad;
       param -= lr * grad / (sqrt(ms) + eps);''',
    'kusari_rmsprop')

_rmsprop_eps_inside_sqrt_kernel = cuda.elementwise(
    'T grad, T lr, T alpha, T eps', 'T param, T ms',
    '''ms = alpha * ms + (1 - alpha) * grad * grad;
       param -= lr * grad / sqrt(ms + eps);''',
    'kusari_rmsprop_eps_inside_sqrt')


class RMSpropRule(_base.ElementwiseRule):
    """Update rule of RMSprop.

    :math:`m \\leftarrow \\alpha m + (1 - \\alpha) g^2`, :math:`\\theta \\leftarrow
    \\theta - \\eta g / (\\sqrt{m} + \\epsilon)` (or :math:`/ \\sqrt{m + \\epsilon}`
    with ``eps_inside_sqrt``).  State: ``ms``.

    Args:
        parent_hyperparam (~kusari.optimizer.Hyperparameter): Hyperparameter that
            provides the default values.
        lr (float): Learning rate.
        alpha (float): Exponential decay rate of the second order moment.
        eps (float): Small value for the numerical stability.
        eps_inside_sqrt (bool): Divide the gradient by :math:`\\sqrt{ms + eps}`
            instead of :math:`\\sqrt{ms} + eps`.

    Raises:
        ValueError: at the update, if a nonzero ``eps`` is zero in the gradient's
            dtype.
    """

    _state_names = ('ms',)

    def __init__(self, parent_hyperparam=None, lr=None, alpha=None, eps=None,
                 eps_inside_sqrt=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if alpha is not None:
            self.hyperparam.alpha = alpha
        if eps is not None:
            self.hyperparam.eps = eps
        if eps_inside_sqrt is not None:
            self.hyperparam.eps_inside_sqrt = eps_inside_sqrt

    def _check(self, param):
        super()._check(param)
        _base.check_eps('RMSprop', self.hyperparam.eps, param.grad.dtype)

    def _update_kernel(self, p, g, state):
        lr, alpha, eps, eps_inside_sqrt = _base.get_hyperparameters(
            self.hyperparam, ('lr', 'alpha', 'eps', 'eps_inside_sqrt'))
        return _base._kernels.rmsprop(p, g, state.get('ms'), lr, alpha, eps,
                                      bool(eps_inside_sqrt))

    def _update_numpy(self, p, g, ms):
        hp = self.hyperparam
        eps = g.dtype.type(hp.eps)
        ms *= hp.alpha
        ms += (1 - hp.alpha) * g * g
        if hp.eps_inside_sqrt:
            denom = numpy.sqrt(ms + eps)
        else:
            denom = numpy.sqrt(ms) + eps
        p -= hp.lr * g / denom

    def _update_gpu(self, p, g, ms):
        hp = self.hyperparam
        kernel = (_rmsprop_eps_inside_sqrt_kernel if hp.eps_inside_sqrt
                  else _rmsprop_kernel)
        kernel(g, hp.lr, hp.alpha, hp.eps, p, ms)


class RMSprop(optimizer.GradientMethod):
    """RMSprop optimizer.

    See: T. Tieleman and G. Hinton (2012). Lecture 6.5 - rmsprop, COURSERA: Neural
    Networks for Machine Learning; and :class:`RMSpropRule`.

    Args:
        lr (float): Learning rate.
        alpha (float): Exponential decay rate of the second order moment.
        eps (float): Small value for the numerical stability.
        eps_inside_sqrt (bool): When ``True``, the gradient is divided by
            :math:`\\sqrt{ms + eps}` where ``ms`` is the mean square; when ``False``
            (default), by :math:`\\sqrt{ms} + eps`.

    >>> import numpy, kusari
    >>> from kusari import optimizers
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(1, dtype=numpy.float64))
    >>> opt = optimizers.RMSprop(lr=0.1, alpha=0.75, eps=0).setup(link)
    >>> link.w.grad = numpy.ones(1)
    >>> opt.update()
    >>> link.w.array  # -0.1 / sqrt(0.25)
    array([-0.2])
    """

    def __init__(self, lr=_default_hyperparam.lr, alpha=_default_hyperparam.alpha,
                 eps=_default_hyperparam.eps,
                 eps_inside_sqrt=_default_hyperparam.eps_inside_sqrt):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.alpha = alpha
        self.hyperparam.eps = eps
        self.hyperparam.eps_inside_sqrt = eps_inside_sqrt

    lr = optimizer.HyperparameterProxy('lr')
    alpha = optimizer.HyperparameterProxy('alpha')
    eps = optimizer.HyperparameterProxy('eps')
    eps_inside_sqrt = optimizer.HyperparameterProxy('eps_inside_sqrt')

    def create_update_rule(self):
        """Return a new :class:`RMSpropRule` (parent: this optimizer's hyperparam)."""
        return RMSpropRule(self.hyperparam)
