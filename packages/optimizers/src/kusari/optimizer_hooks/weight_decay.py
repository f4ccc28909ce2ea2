"""Weight decay (L2 regularization) hook (``chainer.optimizer_hooks.WeightDecay``)."""
import numpy

from kusari.backends import cuda
from kusari.optimizer_hooks import _util

_weight_decay_kernel = cuda.elementwise(
    'T p, T decay', 'T g', 'g += decay * p', 'kusari_weight_decay')


class WeightDecay:
    """Optimizer/UpdateRule hook function for weight decay regularization.

    Adds the scaled parameter to its gradient, :math:`g \\leftarrow g + r\\,\\theta`:
    the gradient of :math:`\\frac{r}{2}\\|\\theta\\|^2`.  (When the gradient is still
    loss-scaled, the rate is scaled alike.)

    Args:
        rate (float): Coefficient :math:`r` of the weight decay.

    Attributes:
        ~WeightDecay.rate (float): Coefficient of the weight decay.
        ~WeightDecay.timing (str): When the hook is called by the optimizer or
            update rule: ``'pre'`` (before the updates, default) or ``'post'``.
        ~WeightDecay.call_for_each_param (bool): ``True``: called as
            ``hook(rule, param)`` for each parameter.

    >>> import numpy, kusari
    >>> from kusari import optimizers, optimizer_hooks
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.array([1.0, -2.0]))
    >>> opt = optimizers.SGD(lr=1.0).setup(link)
    >>> opt.add_hook(optimizer_hooks.WeightDecay(0.5))
    >>> link.w.grad = numpy.zeros(2)
    >>> opt.update()
    >>> link.w.array
    array([ 0.5, -1. ])
    """

    name = 'WeightDecay'
    call_for_each_param = True
    timing = 'pre'

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, rule, param):
        """Add ``rate * param`` to ``param.grad`` in place (no-op without either)."""
        p, g = param.array, param.grad
        if p is None or g is None:
            return
        rate = self.rate
        scale = _util.loss_scale_of(param)
        if scale is not None:
            rate *= scale
        if isinstance(g, numpy.ndarray):
            g += rate * p
        else:
            with cuda.get_device_from_array(g):
                _weight_decay_kernel(p, rate, g)
