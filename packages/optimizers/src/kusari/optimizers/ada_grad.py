"""AdaGrad (``chainer.optimizers.AdaGrad``)."""
import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers import _base

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.001
_default_hyperparam.eps = 1e-8

_ada_grad_kernel = cuda.elementwise(
    'T grad, T lr, T eps', 'T param, T h',
    '''h += grad * grad;
       param -= lr * grad / (sqrt(h) + eps);''',
    'kusari_ada_grad')


class AdaGradRule(_base.ElementwiseRule):
    """Update rule of AdaGrad.

    :math:`h \\leftarrow h + g^2,\\ \\theta \\leftarrow \\theta - \\eta g /
    (\\sqrt{h} + \\epsilon)`.  State: ``h``.

    Args:
        parent_hyperparam (~kusari.optimizer.Hyperparameter): Hyperparameter that
            provides the default values.
        lr (float): Learning rate :math:`\\eta`.
        eps (float): Small value for numerical stability :math:`\\epsilon`.
    """

    _state_names = ('h',)

    def __init__(self, parent_hyperparam=None, lr=None, eps=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if eps is not None:
            self.hyperparam.eps = eps

    def _update_kernel(self, p, g, state):
        lr, eps = _base.get_hyperparameters(self.hyperparam, ('lr', 'eps'))
        return _base._kernels.ada_grad(p, g, state.get('h'), lr, eps)

    def _update_numpy(self, p, g, h):
        hp = self.hyperparam
        h += g * g
        p -= hp.lr * g / (numpy.sqrt(h) + hp.eps)

    def _update_gpu(self, p, g, h):
        hp = self.hyperparam
        _ada_grad_kernel(g, hp.lr, hp.eps, p, h)


class AdaGrad(optimizer.GradientMethod):
    """AdaGrad optimizer.

    See: http://jmlr.org/papers/v12/duchi11a.html and :class:`AdaGradRule`.

    Args:
        lr (float): Learning rate.
        eps (float): Small value for the numerical stability.

    >>> import numpy, kusari
    >>> from kusari import optimizers
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(2, dtype=numpy.float64))
    >>> opt = optimizers.AdaGrad(lr=0.1, eps=0).setup(link)
    >>> link.w.grad = numpy.array([2.0, -4.0])
    >>> opt.update()
    >>> link.w.array  # each step is lr * sign(g) at first
    array([-0.1,  0.1])
    """

    def __init__(self, lr=_default_hyperparam.lr, eps=_default_hyperparam.eps):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.eps = eps

    lr = optimizer.HyperparameterProxy('lr')
    eps = optimizer.HyperparameterProxy('eps')

    def create_update_rule(self):
        """Return a new :class:`AdaGradRule` (parent: this optimizer's hyperparam)."""
        return AdaGradRule(self.hyperparam)
