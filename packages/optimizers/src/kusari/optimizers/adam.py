"""Adam and its variants (``chainer.optimizers.Adam``, ``AdamW``, ``AMSGrad``,
``AdaBound``, ``AMSBound``)."""
import math
import warnings

import numpy

from kusari import backend
from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers import _base

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.alpha = 0.001
_default_hyperparam.beta1 = 0.9
_default_hyperparam.beta2 = 0.999
_default_hyperparam.eps = 1e-8
_default_hyperparam.eta = 1.0
_default_hyperparam.weight_decay_rate = 0
_default_hyperparam.amsgrad = False
_default_hyperparam.adabound = False
_default_hyperparam.final_lr = 0.1
_default_hyperparam.gamma = 1e-3


def _learning_rate(hp, t):
    alpha, beta1, beta2 = _base.get_hyperparameters(hp, ('alpha', 'beta1', 'beta2'))
    return _alpha_t(alpha, beta1, beta2, t)


def _alpha_t(alpha, beta1, beta2, t):
    if t == 0:
        raise RuntimeError(
            "Can't determine the learning rate of Adam optimizer because the update "
            "steps have not been started.")
    fix1 = 1. - math.pow(beta1, t)
    fix2 = 1. - math.pow(beta2, t)
    return alpha * math.sqrt(fix2) / fix1


# the hyperparameters that the fused kernel takes (AdamRule._update_kernel)
_KERNEL_HYPERPARAMS = ('alpha', 'beta1', 'beta2', 'eps', 'eta', 'weight_decay_rate',
                       'amsgrad', 'adabound')


def _intermediate_dtype(dtype):
    # float16 parameters are updated with float32 arithmetic
    dtype = numpy.dtype(dtype)
    return numpy.dtype(numpy.float32) if dtype == numpy.float16 else dtype


def _gpu_kernel(amsgrad, adabound, name):
    # P: the parameter's (and state's) dtype; T: the arithmetic dtype (float32 for
    # float16 parameters), fixed by the empty ``dummy`` array.
    ops = ['T grad_ = static_cast<T>(grad);',
           'T m_ = static_cast<T>(m);',
           'm_ += one_minus_beta1 * (grad_ - m_);',
           'm = static_cast<P>(m_);',
           'T v_ = static_cast<T>(v);',
           'v_ += one_minus_beta2 * (grad_ * grad_ - v_);',
           'v = static_cast<P>(v_);']
    outs = 'P param, P m, P v'
    if amsgrad:
        ops += ['v_ = max(static_cast<T>(vhat), v_);',
                'vhat = static_cast<P>(v_);']
        outs += ', P vhat'
    ops.append('T step = alpha_t / (sqrt(v_) + eps);')
    if adabound:
        ops.append('step = max(min(step, upper), lower);')
    ops += ['T p_ = static_cast<T>(param);',
            'param = static_cast<P>(p_ - eta * (step * m_ + weight_decay_rate * p_));']
    return cuda.elementwise(
        'P grad, T alpha_t, T one_minus_beta1, T one_minus_beta2, T lower, T upper, '
        'T eps, T eta, T weight_decay_rate, raw T dummy',
        outs, '\n'.join(ops), name)


_adam_kernel = _gpu_kernel(False, False, 'kusari_adam')
_amsgrad_kernel = _gpu_kernel(True, False, 'kusari_amsgrad')
_adabound_kernel = _gpu_kernel(False, True, 'kusari_adabound')
_amsbound_kernel = _gpu_kernel(True, True, 'kusari_amsbound')


class AdamRule(_base.ElementwiseRule):
    """Update rule of Adam (with decoupled weight decay, AMSGrad and AdaBound options).

    With :math:`\\alpha_t = \\alpha \\sqrt{1 - \\beta_2^t} / (1 - \\beta_1^t)`:

    .. math::

        m &\\leftarrow m + (1 - \\beta_1)(g - m), \\\\
        v &\\leftarrow v + (1 - \\beta_2)(g^2 - v), \\\\
        \\hat v &\\leftarrow \\max(\\hat v, v) \\text{ (AMSGrad; else } \\hat v = v), \\\\
        s &= \\alpha_t / (\\sqrt{\\hat v} + \\epsilon)
             \\text{ (clipped to the AdaBound bounds if ``adabound``)}, \\\\
        \\theta &\\leftarrow \\theta - \\eta (s\\, m + \\lambda \\theta).

    States: ``m``, ``v`` and, with ``amsgrad``, ``vhat`` (arrays of the parameter's
    dtype).  A float16 parameter is updated with float32 arithmetic.

    See: `Adam <https://arxiv.org/abs/1412.6980v8>`_, `Fixing Weight Decay
    Regularization in Adam <https://openreview.net/forum?id=rk6qdGgCZ>`_, `On the
    Convergence of Adam and Beyond <https://openreview.net/forum?id=ryQu7f-RZ>`_,
    `Adaptive Gradient Methods with Dynamic Bound of Learning Rate
    <https://openreview.net/forum?id=Bkg3g2R9FX>`_.

    Args:
        parent_hyperparam (~kusari.optimizer.Hyperparameter): Hyperparameter that
            provides the default values.
        alpha (float): Coefficient of learning rate.
        beta1 (float): Exponential decay rate of the first order moment.
        beta2 (float): Exponential decay rate of the second order moment.
        eps (float): Small value for the numerical stability.
        eta (float): Schedule multiplier, can be used for warm restarts.
        weight_decay_rate (float): Weight decay rate :math:`\\lambda`.
        amsgrad (bool): Whether to use the AMSGrad variant of Adam.
        adabound (bool): Whether to use the AdaBound variant of Adam.
        final_lr (float): Final (SGD) learning rate in AdaBound.
        gamma (float): Convergence speed of the bound functions in AdaBound.

    Raises:
        ValueError: at the update, if a nonzero ``eps`` is zero in the arithmetic
            dtype.
    """

    _state_names = ('m', 'v', 'vhat')
    _dummy = None

    def __init__(self, parent_hyperparam=None, alpha=None, beta1=None, beta2=None,
                 eps=None, eta=None, weight_decay_rate=None, amsgrad=None,
                 adabound=None, final_lr=None, gamma=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        for name, value in (('alpha', alpha), ('beta1', beta1), ('beta2', beta2),
                            ('eps', eps), ('eta', eta),
                            ('weight_decay_rate', weight_decay_rate),
                            ('amsgrad', amsgrad), ('adabound', adabound),
                            ('final_lr', final_lr), ('gamma', gamma)):
            if value is not None:
                setattr(self.hyperparam, name, value)
        #: ``alpha`` when the rule was created: AdaBound's ``final_lr`` is scaled by
        #: ``alpha / initial_alpha`` so that schedules of ``alpha`` also apply to it.
        self.initial_alpha = self.hyperparam.alpha

    def init_state(self, param):
        """Create ``m``, ``v`` (and ``vhat`` with ``amsgrad``) as zeros like the param."""
        xp = backend.get_array_module(param.array)
        self.state['m'] = xp.zeros_like(param.array)
        self.state['v'] = xp.zeros_like(param.array)
        if self.hyperparam.amsgrad:
            self.state['vhat'] = xp.zeros_like(param.array)

    def _active_state_names(self):
        return ('m', 'v', 'vhat') if self.hyperparam.amsgrad else ('m', 'v')

    def _check(self, param):
        if self.hyperparam.amsgrad and 'vhat' not in self.state:
            # amsgrad switched on after the state was created
            xp = backend.get_array_module(param.array)
            self.state['vhat'] = xp.zeros_like(param.array)
        super()._check(param)
        _base.check_eps('Adam', self.hyperparam.eps, _intermediate_dtype(param.dtype))

    @property
    def alpha_t(self):
        """The bias-corrected step size :math:`\\alpha\\sqrt{1-\\beta_2^t}/(1-\\beta_1^t)`.

        Raises:
            RuntimeError: before the first update (``t == 0``).
        """
        return _learning_rate(self.hyperparam, self.t)

    @property
    def lr(self):
        """Deprecated alias of :attr:`alpha_t` (as in Chainer v6+)."""
        warnings.warn('AdamRule.lr has been renamed to AdamRule.alpha_t. '
                      'Use of AdamRule.lr is deprecated in Chainer v6.',
                      DeprecationWarning)
        return self.alpha_t

    @property
    def bounds(self):
        """AdaBound's ``(lower, upper)`` bounds of the step size at the current ``t``.

        ``final_lr' = final_lr * alpha / initial_alpha``; ``lower = final_lr' * (1 -
        1 / (gamma t + 1))``, ``upper = final_lr' * (1 + 1 / (gamma t))``.

        Raises:
            RuntimeError: before the first update (``t == 0``).
        """
        if self.t == 0:
            raise RuntimeError(
                "Can't determine the bounds of AdaBound optimizer because the update "
                "steps have not been started.")
        hp = self.hyperparam
        final_lr = hp.final_lr * hp.alpha / self.initial_alpha
        lower = final_lr * (1.0 - 1.0 / (hp.gamma * self.t + 1))
        upper = final_lr * (1.0 + 1.0 / (hp.gamma * self.t))
        return lower, upper

    def _bounds_or_none(self):
        if self.hyperparam.adabound:
            return self.bounds
        return 0.0, 0.0

    def _update_kernel(self, p, g, state):
        alpha, beta1, beta2, eps, eta, weight_decay_rate, amsgrad, adabound = \
            _base.get_hyperparameters(self.hyperparam, _KERNEL_HYPERPARAMS)
        lower, upper = self.bounds if adabound else (0.0, 0.0)
        return _base._kernels.adam(
            p, g, state.get('m'), state.get('v'), state.get('vhat') if amsgrad else None,
            _alpha_t(alpha, beta1, beta2, self.t), beta1, beta2, eps, eta,
            weight_decay_rate, bool(amsgrad), bool(adabound), lower, upper)

    def _update_numpy(self, p, g, m, v, vhat=None):
        hp = self.hyperparam
        dtype = _intermediate_dtype(p.dtype)
        g = g.astype(dtype, copy=False)
        m += (1 - hp.beta1) * (g - m)
        v += (1 - hp.beta2) * (g * g - v)
        if hp.amsgrad:
            numpy.maximum(vhat, v, out=vhat)
        else:
            vhat = v
        vhat = vhat.astype(dtype, copy=False)
        step = self.alpha_t / (numpy.sqrt(vhat) + hp.eps)
        if hp.adabound:
            lower, upper = self.bounds
            step = numpy.clip(step, lower, upper)
        p -= hp.eta * (step * m.astype(dtype, copy=False)
                       + hp.weight_decay_rate * p.astype(dtype, copy=False))

    def _update_gpu(self, p, g, m, v, vhat=None):
        hp = self.hyperparam
        dtype = _intermediate_dtype(p.dtype)
        dummy = self._dummy
        if dummy is None or dummy.dtype != dtype:
            dummy = self._dummy = cuda.cupy.empty((0,), dtype=dtype)
        lower, upper = self._bounds_or_none()
        args = (g, self.alpha_t, 1 - hp.beta1, 1 - hp.beta2, lower, upper, hp.eps,
                hp.eta, hp.weight_decay_rate, dummy, p, m, v)
        if hp.amsgrad:
            kernel = _amsbound_kernel if hp.adabound else _amsgrad_kernel
            kernel(*args, vhat)
        else:
            kernel = _adabound_kernel if hp.adabound else _adam_kernel
            kernel(*args)


class Adam(optimizer.GradientMethod):
    """Adam optimizer, with decoupled weight decay (AdamW), AMSGrad and AdaBound.

    See: `Adam: A Method for Stochastic Optimization <https://arxiv.org/abs/1412.6980v8>`_
    and :class:`AdamRule` for the update.  With the defaults ``eta = 1`` and
    ``weight_decay_rate = 0`` this is the standard Adam method; ``amsgrad`` selects
    :class:`AMSGrad`, ``adabound`` :class:`AdaBound`, both :class:`AMSBound`.

    Args:
        alpha (float): Coefficient of learning rate.
        beta1 (float): Exponential decay rate of the first order moment.
        beta2 (float): Exponential decay rate of the second order moment.
        eps (float): Small value for the numerical stability.
        eta (float): Schedule multiplier, can be used for warm restarts.
        weight_decay_rate (float): Weight decay rate.
        amsgrad (bool): Whether to use the AMSGrad variant of Adam.
        adabound (bool): Whether to use the AdaBound variant of Adam.
        final_lr (float): Final (SGD) learning rate in AdaBound.
        gamma (float): Convergence speed of the bound functions in AdaBound.

    >>> import numpy, kusari
    >>> from kusari import optimizers
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(2, dtype=numpy.float64))
    >>> opt = optimizers.Adam(alpha=0.1).setup(link)
    >>> link.w.grad = numpy.array([3.0, -0.5])
    >>> opt.update()
    >>> link.w.array.round(6)  # the first step is about alpha * sign(g)
    array([-0.1,  0.1])
    >>> round(opt.alpha_t, 6)
    0.031623
    """

    def __init__(self, alpha=_default_hyperparam.alpha, beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2, eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta,
                 weight_decay_rate=_default_hyperparam.weight_decay_rate,
                 amsgrad=_default_hyperparam.amsgrad,
                 adabound=_default_hyperparam.adabound,
                 final_lr=_default_hyperparam.final_lr,
                 gamma=_default_hyperparam.gamma):
        super().__init__()
        self.hyperparam.alpha = alpha
        self.hyperparam.beta1 = beta1
        self.hyperparam.beta2 = beta2
        self.hyperparam.eps = eps
        self.hyperparam.eta = eta
        self.hyperparam.weight_decay_rate = weight_decay_rate
        self.hyperparam.amsgrad = amsgrad
        self.hyperparam.adabound = adabound
        self.hyperparam.final_lr = final_lr
        self.hyperparam.gamma = gamma

    alpha = optimizer.HyperparameterProxy('alpha')
    beta1 = optimizer.HyperparameterProxy('beta1')
    beta2 = optimizer.HyperparameterProxy('beta2')
    eps = optimizer.HyperparameterProxy('eps')
    eta = optimizer.HyperparameterProxy('eta')
    weight_decay_rate = optimizer.HyperparameterProxy('weight_decay_rate')
    amsgrad = optimizer.HyperparameterProxy('amsgrad')
    adabound = optimizer.HyperparameterProxy('adabound')
    final_lr = optimizer.HyperparameterProxy('final_lr')
    gamma = optimizer.HyperparameterProxy('gamma')

    def create_update_rule(self):
        """Return a new :class:`AdamRule` (parent: this optimizer's hyperparam)."""
        return AdamRule(self.hyperparam)

    @property
    def alpha_t(self):
        """The bias-corrected step size at the optimizer's step count :attr:`t`.

        Raises:
            RuntimeError: before the first update (``t == 0``).
        """
        return _learning_rate(self.hyperparam, self.t)

    @property
    def lr(self):
        """Deprecated alias of :attr:`alpha_t` (as in Chainer v6+)."""
        warnings.warn('Adam.lr has been renamed to AdamRule.alpha_t. '
                      'Use of Adam.lr is deprecated in Chainer v6.',
                      DeprecationWarning)
        return self.alpha_t


class AdamW(Adam):
    """AdamW optimizer: :class:`Adam` with decoupled weight decay.

    See: `Fixing Weight Decay Regularization in Adam
    <https://openreview.net/forum?id=rk6qdGgCZ>`_.

    Args:
        alpha (float): Coefficient of learning rate.
        beta1 (float): Exponential decay rate of the first order moment.
        beta2 (float): Exponential decay rate of the second order moment.
        eps (float): Small value for the numerical stability.
        eta (float): Schedule multiplier, can be used for warm restarts.
        weight_decay_rate (float): Weight decay rate.

    >>> from kusari import optimizers
    >>> optimizers.AdamW(weight_decay_rate=0.01).weight_decay_rate
    0.01
    """

    def __init__(self, alpha=_default_hyperparam.alpha, beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2, eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta,
                 weight_decay_rate=_default_hyperparam.weight_decay_rate):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                         weight_decay_rate=weight_decay_rate)


class AMSGrad(Adam):
    """AMSGrad optimizer: :class:`Adam` with ``amsgrad=True``.

    See: `On the Convergence of Adam and Beyond
    <https://openreview.net/forum?id=ryQu7f-RZ>`_.

    Args:
        alpha (float): Coefficient of learning rate.
        beta1 (float): Exponential decay rate of the first order moment.
        beta2 (float): Exponential decay rate of the second order moment.
        eps (float): Small value for the numerical stability.
        eta (float): Schedule multiplier, can be used for warm restarts.

    >>> from kusari import optimizers
    >>> optimizers.AMSGrad().amsgrad
    True
    """

    def __init__(self, alpha=_default_hyperparam.alpha, beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2, eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                         amsgrad=True)


class AdaBound(Adam):
    """AdaBound optimizer: :class:`Adam` with ``adabound=True``.

    See: `Adaptive Gradient Methods with Dynamic Bound of Learning Rate
    <https://openreview.net/forum?id=Bkg3g2R9FX>`_.

    Args:
        alpha (float): Coefficient of learning rate.
        beta1 (float): Exponential decay rate of the first order moment.
        beta2 (float): Exponential decay rate of the second order moment.
        final_lr (float): Final (SGD) learning rate in AdaBound.
        gamma (float): Convergence speed of the bound functions in AdaBound.
        eps (float): Small value for the numerical stability.
        eta (float): Schedule multiplier, can be used for warm restarts.

    >>> from kusari import optimizers
    >>> opt = optimizers.AdaBound()
    >>> opt.adabound, opt.amsgrad, opt.final_lr
    (True, False, 0.1)
    """

    def __init__(self, alpha=_default_hyperparam.alpha, beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2, final_lr=_default_hyperparam.final_lr,
                 gamma=_default_hyperparam.gamma, eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                         amsgrad=False, adabound=True, final_lr=final_lr, gamma=gamma)


class AMSBound(Adam):
    """AMSBound optimizer: :class:`Adam` with ``amsgrad=True`` and ``adabound=True``.

    See: `Adaptive Gradient Methods with Dynamic Bound of Learning Rate
    <https://openreview.net/forum?id=Bkg3g2R9FX>`_.

    Args:
        alpha (float): Coefficient of learning rate.
        beta1 (float): Exponential decay rate of the first order moment.
        beta2 (float): Exponential decay rate of the second order moment.
        final_lr (float): Final (SGD) learning rate in AdaBound.
        gamma (float): Convergence speed of the bound functions in AdaBound.
        eps (float): Small value for the numerical stability.
        eta (float): Schedule multiplier, can be used for warm restarts.

    >>> from kusari import optimizers
    >>> opt = optimizers.AMSBound()
    >>> opt.adabound, opt.amsgrad
    (True, True)
    """

    def __init__(self, alpha=_default_hyperparam.alpha, beta1=_default_hyperparam.beta1,
                 beta2=_default_hyperparam.beta2, final_lr=_default_hyperparam.final_lr,
                 gamma=_default_hyperparam.gamma, eps=_default_hyperparam.eps,
                 eta=_default_hyperparam.eta):
        super().__init__(alpha=alpha, beta1=beta1, beta2=beta2, eps=eps, eta=eta,
                         amsgrad=True, adabound=True, final_lr=final_lr, gamma=gamma)
