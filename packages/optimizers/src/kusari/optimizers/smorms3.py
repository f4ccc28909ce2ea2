"""Simon Funk's SMORMS3 (``chainer.optimizers.SMORMS3``)."""
import numpy

from kusari import backend
from kusari import optimizer
from kusari.backends import cuda
from kusari.optimizers import _base

_default_hyperparam = optimizer.Hyperparameter()
_default_hyperparam.lr = 0.001
_default_hyperparam.eps = 1e-16

_smorms3_kernel = cuda.elementwise(
    'T grad, T lr, T eps', 'T param, T mem, T g, T g2',
    '''T r = 1 / (mem + 1);
       g = (1 - r) * g + r * grad;
       g2 = (1 - r) * g2 + r * grad * grad;
       T x = g * g / (g2 + eps);
       param -= grad * min(lr, x) / (sqrt(g2) + eps);
       mem = 1 + mem * (1 - x);''',
    'kusari_smorms3')


class SMORMS3Rule(_base.ElementwiseRule):
    """Update rule of Simon Funk's SMORMS3.

    .. math::

        r &= 1 / (\\mathit{mem} + 1), \\\\
        \\bar g &\\leftarrow (1 - r) \\bar g + r g, \\quad
        \\bar{g^2} \\leftarrow (1 - r) \\bar{g^2} + r g^2, \\\\
        x &= \\bar g^2 / (\\bar{g^2} + \\epsilon), \\\\
        \\theta &\\leftarrow \\theta - g \\min(x, \\eta) / (\\sqrt{\\bar{g^2}} +
        \\epsilon), \\\\
        \\mathit{mem} &\\leftarrow 1 + \\mathit{mem}\\,(1 - x).

    States: ``mem`` (starts at ones), ``g`` and ``g2`` (start at zeros).

    Args:
        parent_hyperparam (~kusari.optimizer.Hyperparameter): Hyperparameter that
            provides the default values.
        lr (float): Learning rate :math:`\\eta`.
        eps (float): Small value for the numerical stability.
    """

    _state_names = ('mem', 'g', 'g2')

    def __init__(self, parent_hyperparam=None, lr=None, eps=None):
        super().__init__(parent_hyperparam or _default_hyperparam)
        if lr is not None:
            self.hyperparam.lr = lr
        if eps is not None:
            self.hyperparam.eps = eps

    def init_state(self, param):
        """Create ``mem`` (ones), ``g`` and ``g2`` (zeros) shaped like the parameter."""
        xp = backend.get_array_module(param.array)
        self.state['mem'] = xp.ones_like(param.array)
        self.state['g'] = xp.zeros_like(param.array)
        self.state['g2'] = xp.zeros_like(param.array)

    def _update_kernel(self, p, g, state):
        lr, eps = _base.get_hyperparameters(self.hyperparam, ('lr', 'eps'))
        return _base._kernels.smorms3(p, g, state.get('mem'), state.get('g'),
                                      state.get('g2'), lr, eps)

    def _update_numpy(self, p, grad, mem, g, g2):
        hp = self.hyperparam
        r = 1 / (mem + 1)
        g *= 1 - r
        g += r * grad
        g2 *= 1 - r
        g2 += r * grad * grad
        x = g * g / (g2 + hp.eps)
        p -= grad * numpy.minimum(x, hp.lr) / (numpy.sqrt(g2) + hp.eps)
        mem *= 1 - x
        mem += 1

    def _update_gpu(self, p, grad, mem, g, g2):
        hp = self.hyperparam
        _smorms3_kernel(grad, hp.lr, hp.eps, p, mem, g, g2)


class SMORMS3(optimizer.GradientMethod):
    """Simon Funk's SMORMS3.

    See http://sifter.org/~simon/journal/20150420.html and :class:`SMORMS3Rule`.

    Args:
        lr (float): Learning rate.
        eps (float): Small value for the numerical stability.

    >>> import numpy, kusari
    >>> from kusari import optimizers
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.w = kusari.Parameter(numpy.zeros(1, dtype=numpy.float64))
    >>> opt = optimizers.SMORMS3(lr=0.1).setup(link)
    >>> link.w.grad = numpy.array([2.0])
    >>> opt.update()
    >>> link.w.array  # x = 0.5, so the step is 2 * min(0.5, 0.1) / sqrt(2)
    array([-0.14142136])
    """

    def __init__(self, lr=_default_hyperparam.lr, eps=_default_hyperparam.eps):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.eps = eps

    lr = optimizer.HyperparameterProxy('lr')
    eps = optimizer.HyperparameterProxy('eps')

    def create_update_rule(self):
        """Return a new :class:`SMORMS3Rule` (parent: this optimizer's hyperparam)."""
        return SMORMS3Rule(self.hyperparam)
