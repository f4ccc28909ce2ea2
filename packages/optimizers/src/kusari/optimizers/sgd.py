"""Vanilla stochastic gradient descent (``chainer.optimizers.SGD``)."""
from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers import _base

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01

_sgd_kernel = cuda.elementwise(
    'T grad, T lr', 'T param',
    'param -= lr * grad',
    'kusari_sgd')


class SGDRule(_base.ElementwiseRule):
    """Update rule of vanilla SGD: :math:`\\theta \\leftarrow \\theta - \\eta g`.

    See :class:`~kusari.optimizers.SGD` for the default values of the
    hyperparameters.

    Args:
        parent_hyperparam (~kusari.optimizer.Hyperparameter): Hyperparameter that
            provides the default values.
        lr (float): Learning rate :math:`\\eta`.
    """

    def __init__(self, parent_hyperparam=None, lr=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr

    def _update_kernel(self, p, g, state):
        return _base._kernels.sgd(p, g, _base.get_hyperparameter(self.hyperparam, 'lr'))

    def _update_numpy(self, p, g):
        p -= self.hyperparam.lr * g

    def _update_gpu(self, p, g):
        _sgd_kernel(g, self.hyperparam.lr, p)


class SGD(optimizer.GradientMethod):
    """Vanilla stochastic gradient descent.

    Each parameter :math:`\\theta` with gradient :math:`g` is updated as
    :math:`\\theta \\leftarrow \\theta - \\mathrm{lr}\\, g`.

    Args:
        lr (float): Learning rate.

    >>> import numpy, kusari
    >>> from kusari import optimizers
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.array([1.0, 2.0], dtype=numpy.float32))
    >>> opt = optimizers.SGD(lr=0.5).setup(link)
    >>> link.w.grad = numpy.array([1.0, -2.0], dtype=numpy.float32)
    >>> opt.update()
    >>> link.w.array
    array([0.5, 3. ], dtype=float32)
    """

    def __init__(self, lr=_default_hyperparam.lr):
        super().__init__()
        self.hyperparam.lr = lr

    lr = optimizer.HyperparameterProxy('lr')

    def create_update_rule(self):
        """Return a new :class:`SGDRule` whose parent hyperparameter is this optimizer's."""
        return SGDRule(self.hyperparam)
