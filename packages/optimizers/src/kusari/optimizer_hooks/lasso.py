"""Lasso (L1 regularization) hook (``chainer.optimizer_hooks.Lasso``)."""
import numpy

from kusari.backends import cuda
from kusari.optimizer_hooks import _util

_lasso_kernel = cuda.elementwise(
    'T p, T decay', 'T g',
    'g += decay * (p > (T)0 ? (T)1 : (p < (T)0 ? (T)(-1) : (T)0))',
    'kusari_lasso')


class Lasso:
    """Optimizer/UpdateRule hook function for Lasso regularization.

    Adds the scaled sign of the parameter to its gradient,
    :math:`g \\leftarrow g + r\\,\\mathrm{sign}(\\theta)`: the (sub)gradient of
    :math:`r\\|\\theta\\|_1`.  (When the gradient is still loss-scaled, the rate is
    scaled alike.)

    Args:
        rate (float): Coefficient :math:`r` of the regularization.

    Attributes:
        ~Lasso.rate (float): Coefficient of the regularization.
        ~Lasso.timing (str): ``'pre'`` (default) or ``'post'``.
        ~Lasso.call_for_each_param (bool): ``True``.

    >>> import numpy, kusari
    >>> from kusari import optimizers, optimizer_hooks
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.array([1.0, -2.0, 0.0]))
    >>> opt = optimizers.SGD(lr=1.0).setup(link)
    >>> opt.add_hook(optimizer_hooks.Lasso(0.25))
    >>> link.w.grad = numpy.zeros(3)
    >>> opt.update()
    >>> link.w.array
    array([ 0.75, -1.75,  0.  ])
    """

    name = 'Lasso'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, rule, param):
        """Add ``rate * sign(param)`` to ``param.grad`` in place."""
        p, g = param.array, param.grad
        if p is None or g is None:
            return
        rate = self.rate
        scale = _util.loss_scale_of(param)
        if scale is not None:
            rate *= scale
        if isinstance(g, numpy.ndarray):
            g += rate * numpy.sign(p)
        else:
            with cuda.get_device_from_array(g):
                _lasso_kernel(p, rate, g)
