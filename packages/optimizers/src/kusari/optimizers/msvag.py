"""M-SVAG (``chainer.optimizers.MSVAG``)."""
import numpy

from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers import _base

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.1
_default_hyperparam.beta = 0.9
_default_hyperparam.eta = 1.0
_default_hyperparam.weight_decay_rate = 0

_msvag_kernel = cuda.elementwise(
    'T grad, T lr, T one_minus_beta, T eta, T weight_decay_rate, T beta_power, T rho',
    'T param, T m, T v',
    '''m += one_minus_beta * (grad - m);
       v += one_minus_beta * (grad * grad - v);
       T mt = m / (1 - beta_power);
       T vt = v / (1 - beta_power);
       T mt2 = mt * mt;
       T s = (vt - mt2) / (1 - rho);
       T factor = mt2 / (mt2 + rho * s);
       // 0 where undefined (m = v = 0 gives 0 / 0), else clipped to [0, 1]
       factor = (factor != factor || factor < (T)0) ? (T)0
                : (factor > (T)1 ? (T)1 : factor);
       param -= eta * (lr * mt * factor + weight_decay_rate * param);''',
    'kusari_msvag')


def _rho(beta, beta_power):
    # the variance adaptation's correction for the bias of the moment estimates
    rho = (((1.0 - beta) ** 2) * (1.0 - beta_power ** 2)
           / (((1.0 - beta_power) ** 2) * (1.0 - beta ** 2)))
    return min(rho, 0.9999)


class MSVAGRule(_base.ElementwiseRule):
    """Update rule of M-SVAG (with decoupled weight decay).

    With :math:`b = \\beta^t` and :math:`\\rho = \\min\\left(0.9999,
    \\frac{(1-\\beta)^2 (1-b^2)}{(1-b)^2 (1-\\beta^2)}\\right)`:

    .. math::

        m &\\leftarrow m + (1 - \\beta)(g - m), \\quad
        v \\leftarrow v + (1 - \\beta)(g^2 - v), \\\\
        \\hat m &= m / (1 - b), \\quad \\hat v = v / (1 - b), \\quad
        s = (\\hat v - \\hat m^2) / (1 - \\rho), \\\\
        f &= \\mathrm{clip}(\\hat m^2 / (\\hat m^2 + \\rho s), 0, 1)
             \\text{ (0 where undefined)}, \\\\
        \\theta &\\leftarrow \\theta - \\eta_s (\\eta \\hat m f + \\lambda \\theta).

    States: ``m`` and ``v``.  The bias corrections use the rule's step count
    :attr:`t`, so they survive a snapshot.

    See: `Dissecting Adam: The Sign, Magnitude and Variance of Stochastic Gradients
    <https://arxiv.org/abs/1705.07774>`_.

    Args:
        parent_hyperparam (~kusari.optimizer.Hyperparameter): Hyperparameter that
            provides the default values.
        lr (float): Learning rate :math:`\\eta`.
        beta (float): Exponential decay rate of the first and second order moments.
        eta (float): Schedule multiplier :math:`\\eta_s`.
        weight_decay_rate (float): Weight decay rate :math:`\\lambda`.
    """

    _state_names = ('m', 'v')

    def __init__(self, parent_hyperparam=None, lr=None, beta=None, eta=None,
                 weight_decay_rate=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if beta is not None:
            self.hyperparam.beta = beta
        if eta is not None:
            self.hyperparam.eta = eta
        if weight_decay_rate is not None:
            self.hyperparam.weight_decay_rate = weight_decay_rate

    @property
    def beta_power(self):
        """:math:`\\beta^t` at the current step (``t >= 1`` during an update)."""
        return self.hyperparam.beta ** max(self.t, 1)

    def _rho(self, beta_power):
        return _rho(self.hyperparam.beta, beta_power)

    def _update_kernel(self, p, g, state):
        lr, beta, eta, weight_decay_rate = _base.get_hyperparameters(
            self.hyperparam, ('lr', 'beta', 'eta', 'weight_decay_rate'))
        bp = beta ** max(self.t, 1)  # beta_power
        return _base._kernels.msvag(p, g, state.get('m'), state.get('v'), lr, beta, eta,
                                    weight_decay_rate, bp, _rho(beta, bp))

    def _update_numpy(self, p, g, m, v):
        hp = self.hyperparam
        bp = self.beta_power
        rho = self._rho(bp)
        m += (1 - hp.beta) * (g - m)
        v += (1 - hp.beta) * (g * g - v)
        mt = m / (1 - bp)
        vt = v / (1 - bp)
        mt2 = mt ** 2
        s = (vt - mt2) / (1 - rho)
        with numpy.errstate(divide='ignore', invalid='ignore'):
            factor = numpy.clip(mt2 / (mt2 + rho * s), 0, 1)
        factor[numpy.isnan(factor)] = 0
        p -= hp.eta * (hp.lr * mt * factor + hp.weight_decay_rate * p)

    def _update_gpu(self, p, g, m, v):
        hp = self.hyperparam
        bp = self.beta_power
        _msvag_kernel(g, hp.lr, 1 - hp.beta, hp.eta, hp.weight_decay_rate, bp,
                      self._rho(bp), p, m, v)


class MSVAG(optimizer.GradientMethod):
    """M-SVAG optimizer (with decoupled weight decay, as in AdamW).

    See: `Dissecting Adam: The Sign, Magnitude and Variance of Stochastic Gradients
    <https://arxiv.org/abs/1705.07774>`_ and :class:`MSVAGRule`.

    Args:
        lr (float): Learning rate.
        beta (float): Exponential decay rate of the first and second order moments.
        eta (float): Schedule multiplier, can be used for warm restarts.
        weight_decay_rate (float): Weight decay rate.

    >>> import numpy, kusari
    >>> from kusari import optimizers
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(2, dtype=numpy.float64))
    >>> opt = optimizers.MSVAG(lr=0.1).setup(link)
    >>> link.w.grad = numpy.array([1.0, 0.0])
    >>> opt.update()
    >>> link.w.array  # a first step has no variance estimate: factor 1 (0 where g = 0)
    array([-0.1,  0. ])
    """

    def __init__(self, lr=_default_hyperparam.lr, beta=_default_hyperparam.beta,
                 eta=_default_hyperparam.eta,
                 weight_decay_rate=_default_hyperparam.weight_decay_rate):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.beta = beta
        self.hyperparam.eta = eta
        self.hyperparam.weight_decay_rate = weight_decay_rate

    lr = optimizer.HyperparameterProxy('lr')
    beta = optimizer.HyperparameterProxy('beta')
    eta = optimizer.HyperparameterProxy('eta')
    weight_decay_rate = optimizer.HyperparameterProxy('weight_decay_rate')

    def create_update_rule(self):
        """Return a new :class:`MSVAGRule` (parent: this optimizer's hyperparam)."""
        return MSVAGRule(self.hyperparam)
