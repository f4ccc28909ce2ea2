"""Classical momentum SGD (``chainer.optimizers.MomentumSGD``)."""
from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers import _base

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01
_default_hyperparam.momentum = 0.9

_momentum_sgd_kernel = cuda.elementwise(
    'T grad, T lr, T momentum', 'T param, T v',
    '''v = momentum * v - lr * grad;
       param += v;''',
    'kusari_momentum_sgd')


class MomentumSGDRule(_base.ElementwiseRule):
    """Update rule of momentum SGD.

    :math:`v \\leftarrow \\mu v - \\eta g,\\ \\theta \\leftarrow \\theta + v`.
    State: ``v`` (the velocity, shaped like the parameter).

    Args:
        parent_hyperparam (~kusari.optimizer.Hyperparameter): Hyperparameter that
            provides the default values.
        lr (float): Learning rate :math:`\\eta`.
        momentum (float): Momentum :math:`\\mu`.
    """

    _state_names = ('v',)

    def __init__(self, parent_hyperparam=None, lr=None, momentum=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if momentum is not None:
            self.hyperparam.momentum = momentum

    def _update_kernel(self, p, g, state):
        lr, momentum = _base.get_hyperparameters(self.hyperparam, ('lr', 'momentum'))
        return _base._kernels.momentum_sgd(p, g, state.get('v'), lr, momentum)

    def _update_numpy(self, p, g, v):
        hp = self.hyperparam
        v *= hp.momentum
        v -= hp.lr * g
        p += v

    def _update_gpu(self, p, g, v):
        hp = self.hyperparam
        _momentum_sgd_kernel(g, hp.lr, hp.momentum, p, v)


class MomentumSGD(optimizer.GradientMethod):
    """Momentum SGD.

    Per parameter: :math:`v \\leftarrow \\mathrm{momentum}\\, v - \\mathrm{lr}\\, g`,
    :math:`\\theta \\leftarrow \\theta + v` (state ``v``).

    Args:
        lr (float): Learning rate.
        momentum (float): Exponential decay rate of the first order moment.

    >>> import numpy, kusari
    >>> from kusari import optimizers
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(2, dtype=numpy.float32))
    >>> opt = optimizers.MomentumSGD(lr=0.1, momentum=0.5).setup(link)
    >>> for _ in range(2):
    ...     link.w.grad = numpy.ones(2, dtype=numpy.float32)
    ...     opt.update()
    >>> link.w.array  # -0.1, then -0.1 + (0.5 * -0.1 - 0.1)
    array([-0.25, -0.25], dtype=float32)
    """

    def __init__(self, lr=_default_hyperparam.lr,
                 momentum=_default_hyperparam.momentum):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum

    lr = optimizer.HyperparameterProxy('lr')
    momentum = optimizer.HyperparameterProxy('momentum')

    def create_update_rule(self):
        """Return a new :class:`MomentumSGDRule` (parent: this optimizer's hyperparam)."""
        return MomentumSGDRule(self.hyperparam)
