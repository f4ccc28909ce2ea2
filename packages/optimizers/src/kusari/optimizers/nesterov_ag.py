"""Nesterov's accelerated gradient (``chainer.optimizers.NesterovAG``)."""
from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers import _base

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01
_default_hyperparam.momentum = 0.9

_nesterov_ag_kernel = cuda.elementwise(
    'T grad, T lr, T momentum', 'T param, T v',
    '''v = v * momentum - lr * grad;
       param += momentum * momentum * v - (1 + momentum) * lr * grad;''',
    'kusari_nesterov_ag')


class NesterovAGRule(_base.ElementwiseRule):
    """Update rule of Nesterov's accelerated gradient.

    :math:`v \\leftarrow \\mu v - \\eta g,\\ \\theta \\leftarrow \\theta + \\mu^2 v
    - (1 + \\mu) \\eta g`, the parameter moving with the *updated* velocity, exactly as
    Chainer does (Eq. 7 of https://arxiv.org/abs/1212.0901 uses the previous one; see
    chainer/chainer#4274).  State: ``v``.

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
        return _base._kernels.nesterov_ag(p, g, state.get('v'), lr, momentum)

    def _update_numpy(self, p, g, v):
        lr, mu = self.hyperparam.lr, self.hyperparam.momentum
        v *= mu
        v -= lr * g
        p += mu * mu * v
        p -= (1 + mu) * lr * g

    def _update_gpu(self, p, g, v):
        hp = self.hyperparam
        _nesterov_ag_kernel(g, hp.lr, hp.momentum, p, v)


class NesterovAG(optimizer.GradientMethod):
    """Nesterov's accelerated gradient.

    See: https://arxiv.org/abs/1212.0901 (and :class:`NesterovAGRule`).

    Args:
        lr (float): Learning rate.
        momentum (float): Exponential decay rate of the first order moment.

    >>> import numpy, kusari
    >>> from kusari import optimizers
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(1, dtype=numpy.float64))
    >>> opt = optimizers.NesterovAG(lr=0.1, momentum=0.5).setup(link)
    >>> link.w.grad = numpy.ones(1)
    >>> opt.update()
    >>> link.w.array  # 0.25 * (-0.1) - 1.5 * 0.1
    array([-0.175])
    """

    def __init__(self, lr=_default_hyperparam.lr,
                 momentum=_default_hyperparam.momentum):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum

    lr = optimizer.HyperparameterProxy('lr')
    momentum = optimizer.HyperparameterProxy('momentum')

    def create_update_rule(self):
        """Return a new :class:`NesterovAGRule` (parent: this optimizer's hyperparam)."""
        return NesterovAGRule(self.hyperparam)
