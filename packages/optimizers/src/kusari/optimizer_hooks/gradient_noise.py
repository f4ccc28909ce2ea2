"""Gradient noise hook (``chainer.optimizer_hooks.GradientNoise``)."""
import numpy

from kusari.backends import cuda
from kusari.optimizer_hooks import _util


def exponential_decay_noise(xp, shape, dtype, hook, opt):
    """Time-dependent annealed Gaussian noise :math:`N(0, \\eta / (1 + t)^{0.55})`.

    From `Adding Gradient Noise Improves Learning for Very Deep Networks
    <https://arxiv.org/abs/1511.06807>`_.

    Args:
        xp: ``numpy`` or ``cupy`` (its global random generator is used).
        shape (tuple of int): Shape of the noise.
        dtype: dtype of the noise.
        hook (GradientNoise): The hook (gives ``eta``).
        opt: The update rule (or optimizer) whose step count ``t`` anneals the noise.

    Returns:
        array: Noise of ``shape`` and ``dtype``.

    >>> import numpy
    >>> from kusari.optimizer_hooks import GradientNoise, gradient_noise
    >>> class Rule:
    ...     t = 0
    >>> numpy.random.seed(0)
    >>> noise = gradient_noise.exponential_decay_noise(
    ...     numpy, (1000,), numpy.float32, GradientNoise(eta=0.01), Rule())
    >>> noise.dtype, bool(abs(noise.std() - 0.1) < 0.01)
    (dtype('float32'), True)
    """
    std = numpy.sqrt(hook.eta / numpy.power(1 + opt.t, 0.55))
    return xp.random.normal(0, std, shape).astype(dtype)


class GradientNoise:
    """Optimizer/UpdateRule hook function for adding gradient noise.

    Adds ``noise_func(xp, shape, dtype, hook, rule)`` to each gradient, by default
    time-dependent annealed Gaussian noise (:func:`exponential_decay_noise`):

    .. math::

        g_t \\leftarrow g_t + N(0, \\sigma_t^2), \\qquad
        \\sigma_t^2 = \\frac{\\eta}{(1+t)^{0.55}}

    with :math:`\\eta` selected from {0.01, 0.3, 1.0}.  (When the gradient is still
    loss-scaled, the noise is scaled alike.)

    Args:
        eta (float): Scale of the noise (for the default noise function, 0.01, 0.3
            or 1.0 are recommended).
        noise_func (callable): Noise generating function
            ``noise_func(xp, shape, dtype, hook, rule)``.

    Attributes:
        ~GradientNoise.eta (float): Scale of the noise.
        ~GradientNoise.noise_func (callable): The noise function.
        ~GradientNoise.timing (str): ``'pre'`` (default) or ``'post'``.
        ~GradientNoise.call_for_each_param (bool): ``True``.

    >>> import numpy, kusari
    >>> from kusari import optimizers, optimizer_hooks
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(2))
    >>> opt = optimizers.SGD(lr=1.0).setup(link)
    >>> def one(xp, shape, dtype, hook, rule):
    ...     return xp.full(shape, hook.eta, dtype=dtype)
    >>> opt.add_hook(optimizer_hooks.GradientNoise(0.5, noise_func=one))
    >>> link.w.grad = numpy.zeros(2)
    >>> opt.update()
    >>> link.w.array
    array([-0.5, -0.5])
    """

    name = 'GradientNoise'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, eta, noise_func=exponential_decay_noise):
        self.eta = eta
        self.noise_func = noise_func

    def __call__(self, rule, param):
        """Add noise to ``param.grad`` in place."""
        g = param.grad
        if g is None:
            return
        scale = _util.loss_scale_of(param)
        if isinstance(g, numpy.ndarray):
            noise = self.noise_func(numpy, g.shape, g.dtype, self, rule)
            if scale is not None:
                noise = noise * scale
            g += noise
        else:
            with cuda.get_device_from_array(g):
                noise = self.noise_func(cuda.cupy, g.shape, g.dtype, self, rule)
                if scale is not None:
                    noise = noise * scale
                g += noise
