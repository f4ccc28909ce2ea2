"""Layer normalization layer."""
import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari import utils
from kusari import variable
from kusari.links import _util


class LayerNormalization(link.Link):
    """Layer normalization layer on outputs of linear functions.

    Wraps :func:`kusari.functions.layer_normalization`: each sample (a row of a
    2-d input) is normalized to zero mean and unit variance, then scaled by
    ``gamma`` and shifted by ``beta``.

    Args:
        size (int or None): Number of units (``None``: the size of ``x.shape[1:]``
            on the first call).
        eps (float): Epsilon added to the variance.
        initial_gamma: Initializer of ``gamma`` (``None``: one).
        initial_beta: Initializer of ``beta`` (``None``: zero).

    >>> import kusari.links as L
    >>> L.LayerNormalization(4).beta.array
    array([0., 0., 0., 0.], dtype=float32)
    """

    def __init__(self, size=None, eps=1e-6, initial_gamma=None, initial_beta=None):
        super().__init__()
        if initial_gamma is None:
            initial_gamma = 1
        if initial_beta is None:
            initial_beta = 0
        self.eps = eps
        with self.init_scope():
            self.gamma = variable.Parameter(
                initializers._get_initializer(initial_gamma))
            self.beta = variable.Parameter(initializers._get_initializer(initial_beta))
        if size is not None:
            self._initialize_params(size)

    def _initialize_params(self, size):
        self.gamma.initialize(size)
        self.beta.initialize(size)

    def forward(self, x):
        """Apply layer normalization.

        Args:
            x (~kusari.Variable or array): Input, ``(N, size)``.

        Returns:
            ~kusari.Variable: Output, ``(N, size)``.

        """
        shape = _util.check_ndim('LayerNormalization', x, 2)
        if self.gamma.array is None:
            self._initialize_params(utils.size_of_shape(shape[1:]))
        else:
            _util.check_channels('LayerNormalization', x, self.gamma.shape[0])
        return F.layer_normalization(x, self.gamma, self.beta, self.eps)
