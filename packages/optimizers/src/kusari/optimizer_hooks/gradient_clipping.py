"""Gradient norm clipping hook (``chainer.optimizer_hooks.GradientClipping``)."""
import math

import numpy

from kusari import backend
from kusari.backends import cuda
from kusari.optimizer_hooks import _util


def _sqnorm(x, scale):
    x = x.reshape(-1)
    if x.dtype == numpy.float16:
        x = x.astype(numpy.float32)
    s = x.dot(x)
    if scale is not None:
        s = s / (scale * scale)
    return s


class GradientClipping:
    """Optimizer hook function for gradient clipping by the global L2 norm.

    Computes the L2 norm :math:`\\|g\\|` of all the gradients of the target link
    together and, if it exceeds ``threshold``, scales every gradient by
    :math:`\\mathrm{threshold} / \\|g\\|`.  (Loss-scaled gradients are measured
    unscaled.)

    Args:
        threshold (float): L2 norm threshold.

    Attributes:
        ~GradientClipping.threshold (float): L2 norm threshold of the gradients.
        ~GradientClipping.timing (str): ``'pre'`` (default) or ``'post'``.

    >>> import numpy, kusari
    >>> from kusari import optimizers, optimizer_hooks
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(2))
    ...     link.b = kusari.Parameter(numpy.zeros(1))
    >>> opt = optimizers.SGD(lr=1.0).setup(link)
    >>> opt.add_hook(optimizer_hooks.GradientClipping(1.0))
    >>> link.w.grad = numpy.array([3.0, 0.0])
    >>> link.b.grad = numpy.array([4.0])
    >>> opt.update()
    >>> link.w.array, link.b.array  # the gradients were scaled by 1 / 5
    (array([-0.6,  0. ]), array([-0.8]))
    """

    name = 'GradientClipping'
    timing = 'pre'

    def __init__(self, threshold):
        self.threshold = threshold

    def __call__(self, opt):
        """Scale all the gradients of ``opt.target`` so their joint norm <= threshold."""
        params = [p for p in opt.target.params(False) if p.grad is not None]
        if not params:
            return
        devices = {backend.get_device_from_array(p.grad) for p in params}
        if len(devices) == 1 and not isinstance(params[0].grad, numpy.ndarray):
            # one GPU: compute and apply the rate there, without synchronizing
            device = devices.pop()
            with device:
                xp = device.xp
                sqnorm = sum(_sqnorm(p.grad, _util.loss_scale_of(p)) for p in params)
                rate = xp.minimum(self.threshold / xp.sqrt(sqnorm), 1.0)
                for p in params:
                    p.grad *= rate
            return
        sqnorm = sum(float(_sqnorm(p.grad, _util.loss_scale_of(p))) for p in params)
        norm = math.sqrt(sqnorm)
        if norm == 0 or self.threshold / norm >= 1:
            return
        rate = self.threshold / norm
        for p in params:
            grad = p.grad
            with cuda.get_device_from_array(grad):
                grad *= rate
