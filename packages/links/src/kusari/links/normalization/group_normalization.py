"""Group normalization layer."""
import numpy

import kusari
import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari import variable
from kusari.links import _util


class GroupNormalization(link.Link):
    """Group normalization layer on outputs of convolution functions.

    Wraps :func:`kusari.functions.group_normalization`: the channels are split in
    ``groups`` groups, each normalized per sample, then scaled by ``gamma`` and
    shifted by ``beta`` (per channel).

    Args:
        groups (int): Number of channel groups; must divide the channel count.
        size (int or None): Number of channels (``None``: ``x.shape[1]`` on the
            first call).
        eps (float): Epsilon added to the variance.
        initial_gamma: Initializer of ``gamma`` (``None``: one).
        initial_beta: Initializer of ``beta`` (``None``: zero).

    >>> import kusari.links as L
    >>> L.GroupNormalization(2, 4).gamma.shape
    (4,)
    """

    def __init__(self, groups, size=None, eps=1e-5, initial_gamma=None,
                 initial_beta=None):
        super().__init__()
        if initial_gamma is None:
            initial_gamma = 1
        if initial_beta is None:
            initial_beta = 0
        self.groups = groups
        self.eps = eps
        # As in Chainer, the parameters' dtype is fixed when the link is built
        # (the configured dtype, float32 for mixed16), not when they are
        # initialized lazily on the first call.
        highprec_dtype = kusari.get_dtype(None, map_mixed16=numpy.float32)
        gamma_initializer = initializers._get_initializer(initial_gamma)
        gamma_initializer.dtype = highprec_dtype
        beta_initializer = initializers._get_initializer(initial_beta)
        beta_initializer.dtype = highprec_dtype
        with self.init_scope():
            self.gamma = variable.Parameter(gamma_initializer)
            self.beta = variable.Parameter(beta_initializer)
        if size is not None:
            self._initialize_params(size)

    def _initialize_params(self, size):
        self.gamma.initialize(size)
        self.beta.initialize(size)

    def forward(self, x):
        """Apply group normalization.

        Args:
            x (~kusari.Variable or array): Input, ``(N, C, ...)``.

        Returns:
            ~kusari.Variable: Output of the shape of ``x``.

        """
        shape = _util.shape_of(x)
        if len(shape) < 2:
            # Chainer raises ValueError here.
            raise ValueError(
                'GroupNormalization: the input must have at least 2 dimensions '
                '(batch, channels, ...), got shape {}'.format(shape))
        if self.gamma.array is None:
            self._initialize_params(shape[1])
        else:
            _util.check_channels('GroupNormalization', x, self.gamma.shape[0])
        # F.group_normalization raises Chainer's TypeError / ValueError for a
        # non-integer ``groups`` or one that does not divide the channels.
        return F.group_normalization(x, self.groups, self.gamma, self.beta, self.eps)
