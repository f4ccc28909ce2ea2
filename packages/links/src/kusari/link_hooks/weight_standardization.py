"""Weight standardization (Qiao et al., 2019)."""
import kusari.functions as F
from kusari.link_hooks import _weight_hook


class WeightStandardization(_weight_hook.WeightHook):
    """Use the standardized weight in forward (Chainer's hook).

    Each output unit's weights (``W[i]``, all axes but the first) are standardized to
    zero mean and unit variance: ``(W[i] - mean) / sqrt(var + eps)``, with
    :func:`kusari.functions.group_normalization` (one group), so gradients flow to
    the original weight.  Register it with ``link.add_hook(...)``.

    Args:
        eps (float): added to the variance.
        weight_name (str): the attribute holding the weight.
        name (str): the hook's name (default ``'WeightStandardization'``).

    >>> import numpy, kusari.links as L
    >>> from kusari.link_hooks import WeightStandardization
    >>> conv = L.Convolution2D(3, 4, 3).add_hook(WeightStandardization())
    >>> conv(numpy.ones((1, 3, 5, 5), numpy.float32)).shape
    (1, 4, 3, 3)
    """

    name = 'WeightStandardization'

    def __init__(self, *, eps=1e-5, weight_name='W', name=None):
        self.eps = eps
        self.weight_name = weight_name
        self.original_weight = None
        if name is not None:
            self.name = name

    def added(self, link):
        self._check_weight(link)

    def forward_preprocess(self, cb_args):
        link = cb_args.link
        self._initialize_weight(link, cb_args.args)
        weight = getattr(link, self.weight_name)
        xp = link.xp
        # group normalization of the (out, in, ...) weight with one group and the
        # identity affine transformation standardizes each output unit's weights
        gamma = xp.ones((weight.shape[1],), dtype=weight.dtype)
        beta = xp.zeros((weight.shape[1],), dtype=weight.dtype)
        self.original_weight = weight
        setattr(link, self.weight_name, F.group_normalization(
            weight, 1, gamma, beta, eps=self.eps))
