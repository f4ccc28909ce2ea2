"""Discriminative margin-based clustering loss
(``F.discriminative_margin_based_clustering_loss``)."""
import numpy

from kusari import _core
from kusari import backend
from kusari._core import Variable
from kusari.functions.activation.relu import relu
from kusari.functions.math.basic_elementwise import absolute
from kusari.functions.math.basic_elementwise import sqrt
from kusari.functions.math.sum import sum as _sum
from kusari.functions.util import _ops

_NAME = 'discriminative_margin_based_clustering_loss'


class DiscriminativeMarginBasedClusteringLoss:
    """The loss of De Brabandere et al. (2017) as a callable object.

    See :func:`discriminative_margin_based_clustering_loss` for the arguments.
    """

    def __init__(self, delta_v=0.5, delta_d=1.5, max_embedding_dim=10, norm=1,
                 alpha=1.0, beta=1.0, gamma=0.001):
        if max_embedding_dim <= 0:
            raise ValueError('%s: max_embedding_dim must be positive, got %r'
                             % (_NAME, max_embedding_dim))
        if norm not in (1, 2):
            raise ValueError('%s: norm can only be 1 or 2, got %r' % (_NAME, norm))
        self.delta_v = delta_v
        self.delta_d = delta_d
        self.max_embedding_dim = max_embedding_dim
        self.norm_order = norm
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma

    def norm(self, x, axis):
        """L1 or L2 norm of ``x`` over ``axis`` (the L2 norm has zero gradient at 0)."""
        if self.norm_order == 1:
            return _sum(absolute(x), axis=axis)
        s = _sum(x * x, axis=axis)
        xp = backend.get_array_module(s)
        pos = s.array > 0
        safe = s * xp.asarray(pos, s.dtype) + xp.asarray(~pos, s.dtype)
        return sqrt(safe) * xp.asarray(pos, s.dtype)

    def __call__(self, embeddings, labels):
        """Compute ``(alpha * l_var, beta * l_dist, gamma * l_reg)``."""
        e = _ops.array_of(embeddings)
        lab = _ops.array_of(labels)
        _ops.check_float(_NAME, 'embeddings', e)
        if e.ndim != 4:
            raise _ops.invalid(_NAME, 'embeddings.ndim == 4 (B, C, H, W)',
                               '%d != 4' % e.ndim)
        K = self.max_embedding_dim
        if e.shape[1] != K:
            raise _ops.invalid(_NAME, 'embeddings.shape[1] == max_embedding_dim (= %d)'
                               % K, '%d != %d' % (e.shape[1], K))
        if lab.dtype.kind not in 'iu':
            raise _ops.invalid(_NAME, 'labels.dtype.kind == i', '%s != i' % lab.dtype.kind)
        if lab.shape != (e.shape[0],) + e.shape[2:]:
            raise _ops.invalid(_NAME, 'labels.shape == (B, H, W) of embeddings',
                               '%s != %s' % (lab.shape, (e.shape[0],) + e.shape[2:]))
        xp = backend.get_array_module(e)
        dtype = e.dtype
        B, C, H, W = e.shape
        emb = _ops.as_var(embeddings)
        # ms[k, b, 0, h, w]: pixel (b, h, w) belongs to instance k + 1
        ms = xp.stack([lab == k + 1 for k in range(K)], 0)[:, :, None].astype(dtype)
        embk = _core.broadcast_to(_core.reshape(emb, (1, B, C, H, W)), (K, B, C, H, W))
        cnt = xp.maximum(ms.sum(axis=(2, 3, 4)), 1).astype(dtype)        # (K, B)
        mns = _sum(embk * ms, axis=(3, 4)) / cnt[:, :, None]              # (K, B, C)
        # regularization: norm of the instance means
        l_reg = _sum(self.norm(mns, (1, 2))) / (K * B)
        # variance: pull pixels towards their instance mean
        mexp = _core.broadcast_to(_core.reshape(mns, (K, B, C, 1, 1)), (K, B, C, H, W))
        d = self.norm((mexp - embk) * ms, 2)                              # (K, B, H, W)
        r = relu(d - self.delta_v)
        l_var = _sum(r * r, axis=(1, 2, 3))                               # (K,)
        total = xp.maximum(ms.sum(axis=(1, 2, 3, 4)), 1).astype(dtype)
        l_var = _sum(l_var / total) / K
        # distance: push instance means of every pair apart
        ia, ib = numpy.triu_indices(K, 1)
        count = len(ia)
        if count:
            diff = _core.get_item(mns, xp.asarray(ia)) - _core.get_item(mns, xp.asarray(ib))
            dist = self.norm(diff, 2)                                     # (P, B)
            h = relu(2 * self.delta_d - dist)
            l_dist = _sum(h * h) / max(count * B, 1)
        else:
            l_dist = Variable(xp.zeros((), dtype))
        return self.alpha * l_var, self.beta * l_dist, self.gamma * l_reg


def discriminative_margin_based_clustering_loss(
        embeddings, labels, delta_v, delta_d, max_embedding_dim, norm=1, alpha=1.0,
        beta=1.0, gamma=0.001):
    """Discriminative margin-based clustering loss (De Brabandere et al., 2017).

    For instance segmentation by pixel embeddings: with ``K = max_embedding_dim``
    instances labelled ``1..K`` (0 is background) and ``mu_k`` the mean embedding
    of instance ``k`` in each image,

    * variance term: ``mean_k sum_pixels relu(||mu_k - e_p|| - delta_v)^2 /
      n_k`` (pull pixels to their mean),
    * distance term: ``sum_{k<l} relu(2 delta_d - ||mu_k - mu_l||)^2 /
      (n_pairs B)`` (push means apart),
    * regularization term: ``sum_k ||mu_k|| / (K B)``,

    with ``||.||`` the L1 (``norm=1``) or L2 (``norm=2``) norm, following Chainer's
    normalization of each term exactly.

    Args:
        embeddings (~kusari.Variable or array): ``(B, K, H, W)`` float embeddings
            (the channel count must equal ``max_embedding_dim``).
        labels (array): ``(B, H, W)`` int instance labels.
        delta_v (float): margin below which the variance term is zero.
        delta_d (float): half the distance beyond which the distance term is zero.
        max_embedding_dim (int): ``K``, the number of instances (and channels).
        norm (int): 1 or 2.
        alpha, beta, gamma (float): weights of the three terms.

    Returns:
        tuple of ~kusari.Variable: ``(alpha * l_var, beta * l_dist, gamma * l_reg)``
        (scalars).

    >>> import numpy, kusari.functions as F
    >>> emb = numpy.zeros((1, 2, 2, 2), numpy.float32)
    >>> labels = numpy.array([[[1, 1], [2, 2]]])
    >>> l_var, l_dist, l_reg = F.discriminative_margin_based_clustering_loss(
    ...     emb, labels, 0.5, 1.5, 2)
    >>> print(float(l_var.array), float(l_dist.array), float(l_reg.array))
    0.0 9.0 0.0
    """
    loss = DiscriminativeMarginBasedClusteringLoss(
        delta_v, delta_d, max_embedding_dim, norm, alpha, beta, gamma)
    return loss(embeddings, labels)
