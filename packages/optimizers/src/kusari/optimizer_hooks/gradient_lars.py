"""Layer-wise adaptive rate scaling hook (``chainer.optimizer_hooks.GradientLARS``)."""
import numpy

from kusari.backends import cuda
from kusari.optimizer_hooks import _util

_lars_kernel = cuda.elementwise(
    'T p, T rate, T weight_decay', 'T g',
    'g += weight_decay * p; g *= rate;',
    'kusari_lars')


class GradientLARS:
    """Optimizer/UpdateRule hook function for layer-wise adaptive rate scaling.

    See: `Large Batch Training of Convolutional Networks
    <https://arxiv.org/abs/1708.03888>`_ and `Convergence Analysis of Gradient
    Descent Algorithms with Proportional Updates <https://arxiv.org/abs/1801.03137>`_.

    For each parameter :math:`w` with gradient :math:`g`:

    .. math::

        \\mathrm{rate} &= \\begin{cases}
            \\frac{\\|w\\|}{\\epsilon + \\|g\\| + \\beta\\|w\\|} & \\|w\\| > \\tau \\\\
            1 & \\text{otherwise}\\end{cases}, \\\\
        g &\\leftarrow \\mathrm{rate}\\,(g + \\beta w),

    so that SGD's (or MomentumSGD's) ``lr`` plays the role of the global learning
    rate times the LARS coefficient.

    Args:
        threshold (float): :math:`\\tau`: the gradient is rescaled only for a weight
            whose norm exceeds it.
        weight_decay (float): :math:`\\beta`: coefficient of the weight decay.
        eps (float): :math:`\\epsilon`: small value for the numerical stability.

    Attributes:
        ~GradientLARS.threshold (float): See above.
        ~GradientLARS.weight_decay (float): See above.
        ~GradientLARS.eps (float): See above.
        ~GradientLARS.timing (str): ``'pre'`` (default) or ``'post'``.
        ~GradientLARS.call_for_each_param (bool): ``True``.

    >>> import numpy, kusari
    >>> from kusari import optimizers, optimizer_hooks
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.array([3.0, 4.0]))
    >>> opt = optimizers.SGD(lr=0.1).setup(link)
    >>> opt.add_hook(optimizer_hooks.GradientLARS(eps=0.0))
    >>> link.w.grad = numpy.array([0.0, 10.0])
    >>> opt.update()
    >>> link.w.array  # rate = |w| / |g| = 0.5
    array([3. , 3.5])
    """

    name = 'GradientLARS'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, threshold=1e-2, weight_decay=0.0, eps=1e-9):
        self.threshold = threshold
        self.weight_decay = weight_decay
        self.eps = eps

    def __call__(self, rule, param):
        """Rescale ``param.grad`` in place (see the class docstring)."""
        p, g = param.array, param.grad
        if p is None or g is None:
            return
        scale = _util.loss_scale_of(param)
        weight_decay = self.weight_decay
        if isinstance(g, numpy.ndarray):
            xp = numpy
            p_norm = numpy.linalg.norm(p)
            g_norm = numpy.linalg.norm(g)
        else:
            xp = cuda.cupy
            with cuda.get_device_from_array(g):
                p_norm = xp.linalg.norm(p)
                g_norm = xp.linalg.norm(g)
        if scale is not None:
            g_norm = g_norm / scale
        with numpy.errstate(divide='ignore', invalid='ignore'):
            local_rate = p_norm / (self.eps + g_norm + weight_decay * p_norm)
        if xp is numpy:
            rate = float(local_rate) if p_norm > self.threshold else 1.0
            if scale is not None:
                weight_decay *= scale
            g += weight_decay * p
            g *= rate
        else:
            with cuda.get_device_from_array(g):
                rate = xp.where(p_norm > self.threshold, local_rate, 1.0)
                if scale is not None:
                    weight_decay *= scale
                _lars_kernel(p, rate.astype(g.dtype), weight_decay, g)
