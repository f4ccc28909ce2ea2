"""Spectral normalization of a link's weight (Miyato et al., 2018)."""
import kusari
import kusari.functions as F
from kusari import backend
from kusari.link_hooks import _weight_hook


def _l2normalize(xp, v, eps):
    return v / (xp.linalg.norm(v) + eps)


def update_approximate_vectors(weight_matrix, u, n_power_iteration, eps):
    """Run ``n_power_iteration`` steps of the power iteration on ``weight_matrix``.

    Args:
        weight_matrix (~kusari.Variable): the ``(m, n)`` weight.
        u (ndarray): the current left singular vector estimate, ``(m,)``.

    Returns:
        tuple: the new estimates ``(u, v)`` of the first left and right singular
        vectors (arrays; no gradient flows through them).
    """
    w = weight_matrix.array
    xp = backend.get_array_module(w)
    for _ in range(n_power_iteration):
        v = _l2normalize(xp, xp.dot(u, w), eps)
        u = _l2normalize(xp, xp.dot(w, v), eps)
    return u, v


def calculate_max_singular_value(weight_matrix, u, v):
    """``u^T W v``: the largest singular value when ``u``, ``v`` are its vectors."""
    return F.matmul(F.matmul(u, weight_matrix), v)


class SpectralNormalization(_weight_hook.WeightHook):
    """Spectral normalization: use ``W / sigma(W)`` in forward (Chainer's hook).

    ``sigma(W)``, the largest singular value of the weight (reshaped to a matrix
    ``(W.shape[0], -1)``; the axis of output channels comes first for
    deconvolutions), is estimated by power iteration with a vector ``u`` kept in the
    link as the persistent value ``<weight_name>_u`` (so it is saved and loaded with
    the link, under the same key as Chainer's).  ``u`` is updated in training mode
    only (``config.train``), and not while ``config.in_recomputing``.

    Register it with ``link.add_hook(SpectralNormalization())``; it cannot be used as
    a context manager.

    Args:
        n_power_iteration (int): power iteration steps per forward (> 0).
        eps (float): added to norms in the power iteration.
        use_gamma (bool): multiply the normalized weight by a learned scalar
            Parameter ``link.gamma``, initialized to the largest singular value.
        factor (float): if given, the weight is divided by ``sigma / factor``.
        weight_name (str): the attribute holding the weight.
        name (str): the hook's name (default ``'SpectralNormalization'``).

    >>> import numpy, kusari.links as L
    >>> from kusari.link_hooks import SpectralNormalization
    >>> layer = L.Linear(5, 3).add_hook(SpectralNormalization())
    >>> layer.W_u.shape
    (3,)
    >>> y = layer(numpy.ones((2, 5), numpy.float32))
    """

    name = 'SpectralNormalization'

    def __init__(self, n_power_iteration=1, eps=1e-6, use_gamma=False, factor=None,
                 weight_name='W', name=None):
        if not n_power_iteration > 0:
            raise ValueError('SpectralNormalization: n_power_iteration must be '
                             'positive, but got {}'.format(n_power_iteration))
        self.n_power_iteration = n_power_iteration
        self.eps = eps
        self.use_gamma = use_gamma
        self.factor = factor
        self.weight_name = weight_name
        self.vector_name = weight_name + '_u'
        self._initialized = False
        self.axis = 0
        self.v = None
        self.original_weight = None
        if name is not None:
            self.name = name

    def added(self, link):
        self._check_weight(link)
        from kusari import links
        if isinstance(link, (links.Deconvolution2D, links.DeconvolutionND)):
            self.axis = 1   # their weights are (in_channels, out_channels, ...)
        if getattr(link, self.weight_name).array is not None:
            self._prepare_parameters(link)

    def deleted(self, link):
        delattr(link, self.vector_name)
        if self.use_gamma:
            del link.gamma

    def forward_preprocess(self, cb_args):
        link = cb_args.link
        if not self._initialized:
            self._initialize_weight(link, cb_args.args)
            self._prepare_parameters(link)
        self.original_weight = getattr(link, self.weight_name)
        setattr(link, self.weight_name, self.normalize_weight(link))

    def _prepare_parameters(self, link):
        w = getattr(link, self.weight_name)
        if w.shape[self.axis] == 0:
            raise ValueError('SpectralNormalization: expected {}.shape[{}] > 0, but '
                             'the shape is {}'.format(self.weight_name, self.axis,
                                                      w.shape))
        xp = link.xp
        u = xp.random.normal(size=(w.shape[self.axis],)).astype(w.dtype)
        setattr(link, self.vector_name, u)
        link.register_persistent(self.vector_name)
        if self.use_gamma:
            s = xp.linalg.svd(self.reshape_W(w.array), compute_uv=False)
            with link.init_scope():
                link.gamma = kusari.Parameter(xp.asarray(s[0], dtype=w.dtype))
        self._initialized = True

    def normalize_weight(self, link):
        """Return the normalized weight (a Variable) of ``link``, updating ``u``."""
        w = getattr(link, self.weight_name)
        u = getattr(link, self.vector_name)
        weight_matrix = self.reshape_W(w)
        recomputing = getattr(kusari.config, 'in_recomputing', False)
        if not recomputing:
            u, v = update_approximate_vectors(weight_matrix, u,
                                              self.n_power_iteration, self.eps)
        else:
            v = self.v
        sigma = calculate_max_singular_value(weight_matrix, u, v)
        if self.factor is not None:
            sigma = sigma / self.factor
        if self.use_gamma:
            w = link.gamma * w / sigma
        else:
            w = w / sigma
        if not recomputing:
            self.v = v
            if kusari.config.train:
                getattr(link, self.vector_name)[...] = u
        return w

    def reshape_W(self, W):
        """The weight as a matrix: the normalized axis first, the others flattened."""
        if self.axis != 0:
            axes = [self.axis] + [i for i in range(W.ndim) if i != self.axis]
            W = F.transpose(W, axes) if isinstance(W, kusari.Variable) else \
                W.transpose(axes)
        if W.ndim == 2:
            return W
        return W.reshape(W.shape[0], -1)
