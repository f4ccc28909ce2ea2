"""Elementwise gradient clipping hook (``chainer.optimizer_hooks.GradientHardClipping``)."""
import numpy

from kusari.backends import cuda
from kusari.optimizer_hooks import _util


class GradientHardClipping:
    """Optimizer/UpdateRule hook function for elementwise gradient clipping.

    Clips every gradient element into ``[lower_bound, upper_bound]`` in place.  (When
    the gradient is still loss-scaled, the bounds are scaled alike.)

    Args:
        lower_bound (float): The lower bound of the gradient value.
        upper_bound (float): The upper bound of the gradient value.

    Raises:
        ValueError: if ``lower_bound > upper_bound``.

    Attributes:
        ~GradientHardClipping.lower_bound (float): The lower bound.
        ~GradientHardClipping.upper_bound (float): The upper bound.
        ~GradientHardClipping.timing (str): ``'pre'`` (default) or ``'post'``.
        ~GradientHardClipping.call_for_each_param (bool): ``True``.

    >>> import numpy, kusari
    >>> from kusari import optimizers, optimizer_hooks
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(3))
    >>> opt = optimizers.SGD(lr=1.0).setup(link)
    >>> opt.add_hook(optimizer_hooks.GradientHardClipping(-0.5, 1.0))
    >>> link.w.grad = numpy.array([-3.0, 0.25, 2.0])
    >>> opt.update()
    >>> link.w.array
    array([ 0.5 , -0.25, -1.  ])
    """

    name = 'GradientHardClipping'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, lower_bound, upper_bound):
        if lower_bound > upper_bound:
            raise ValueError(
                'GradientHardClipping: lower_bound must not exceed upper_bound; got '
                'lower_bound={} > upper_bound={}'.format(lower_bound, upper_bound))
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound

    def __call__(self, rule, param):
        """Clip ``param.grad`` in place."""
        grad = param.grad
        if grad is None:
            return
        lower, upper = self.lower_bound, self.upper_bound
        scale = _util.loss_scale_of(param)
        if scale is not None:
            lower *= scale
            upper *= scale
        if isinstance(grad, numpy.ndarray):
            numpy.clip(grad, lower, upper, out=grad)
        else:
            with cuda.get_device_from_array(grad):
                cuda.cupy.clip(grad, lower, upper, out=grad)
