"""Momentum SGD with momentum correction (``chainer.optimizers.CorrectedMomentumSGD``)."""
from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers import _base

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.01
_default_hyperparam.momentum = 0.9

_corrected_momentum_sgd_kernel = cuda.elementwise(
    'T grad, T lr, T momentum', 'T param, T v',
    '''v = momentum * v - grad;
       param += lr * v;''',
    'kusari_corrected_momentum_sgd')


class CorrectedMomentumSGDRule(_base.ElementwiseRule):
    """Update rule of corrected momentum SGD.

    :math:`v \\leftarrow \\mu v - g,\\ \\theta \\leftarrow \\theta + \\eta v`: the
    learning rate multiplies the accumulated velocity, so changing it during training
    does not need a momentum correction.  State: ``v``.

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
        return _base._kernels.corrected_momentum_sgd(p, g, state.get('v'), lr, momentum)

    def _update_numpy(self, p, g, v):
        hp = self.hyperparam
        v *= hp.momentum
        v -= g
        p += hp.lr * v

    def _update_gpu(self, p, g, v):
        hp = self.hyperparam
        _corrected_momentum_sgd_kernel(g, hp.lr, hp.momentum, p, v)


class CorrectedMomentumSGD(optimizer.GradientMethod):
    """Momentum SGD with momentum correction.

    Implements equation (9) of `Accurate, Large Minibatch SGD: Training ImageNet in
    1 Hour <https://arxiv.org/abs/1706.02677>`_: :math:`u \\leftarrow m u + g`,
    :math:`\\theta \\leftarrow \\theta - \\eta u` (stored as ``v = -u``), whereas
    :class:`MomentumSGD` implements equation (10).  They agree for a constant
    learning rate.

    Args:
        lr (float): Learning rate.
        momentum (float): Exponential decay rate of the first order moment.

    >>> import numpy, kusari
    >>> from kusari import optimizers
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(1, dtype=numpy.float64))
    >>> opt = optimizers.CorrectedMomentumSGD(lr=0.1, momentum=0.5).setup(link)
    >>> for _ in range(2):
    ...     link.w.grad = numpy.ones(1)
    ...     opt.update()
    >>> link.w.array  # -0.1 * 1, then -0.1 * (0.5 + 1)
    array([-0.25])
    """

    def __init__(self, lr=_default_hyperparam.lr,
                 momentum=_default_hyperparam.momentum):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum

    lr = optimizer.HyperparameterProxy('lr')
    momentum = optimizer.HyperparameterProxy('momentum')

    def create_update_rule(self):
        """Return a new :class:`CorrectedMomentumSGDRule` (parent: this optimizer's)."""
        return CorrectedMomentumSGDRule(self.hyperparam)
