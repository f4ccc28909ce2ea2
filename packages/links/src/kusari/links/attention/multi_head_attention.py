"""Multi-head attention layer."""
import kusari.functions as F
from kusari import _core
from kusari import link
from kusari.links import _util
from kusari.links.connection.linear import Linear


class MultiHeadAttention(link.Chain):
    """Multi-head (scaled dot-product) attention (Vaswani et al., 2017).

    The query, key and value inputs are projected by ``W_q``, ``W_k``, ``W_v``
    (``in_size -> in_size``), split into ``n_heads`` heads of ``in_size // n_heads``
    features, attended with :func:`~kusari.functions.scaled_dot_product_attention`
    (scale ``1 / sqrt(in_size // n_heads)``), concatenated and projected by ``W_o``
    (``in_size -> out_size``).  Not in Chainer v7.

    Args:
        n_heads (int): Number of heads; must divide ``in_size``.
        in_size (int): Feature size of the query, key and value inputs.
        out_size (int or None): Output feature size (``None``: ``in_size``).
        nobias (bool): If ``True``, the four projections have no bias.
        dropout_ratio (float): Dropout of the attention probabilities (training only).

    Attributes:
        W_q, W_k, W_v, W_o (~kusari.links.Linear): The projections.

    >>> import numpy, kusari.links as L
    >>> mha = L.MultiHeadAttention(2, 8)
    >>> x = numpy.zeros((3, 5, 8), numpy.float32)       # (batch, length, in_size)
    >>> mha(x).shape
    (3, 5, 8)
    """

    def __init__(self, n_heads, in_size, out_size=None, nobias=False, dropout_ratio=0.0):
        super().__init__()
        if n_heads < 1 or in_size % n_heads != 0:
            raise ValueError('MultiHeadAttention: in_size (%d) must be a positive '
                             'multiple of n_heads (%d)' % (in_size, n_heads))
        if not 0.0 <= dropout_ratio < 1.0:
            raise ValueError('MultiHeadAttention: dropout_ratio must be in [0, 1), got '
                             '%r' % (dropout_ratio,))
        self.n_heads = n_heads
        self.in_size = in_size
        self.out_size = in_size if out_size is None else out_size
        self.head_size = in_size // n_heads
        self.dropout_ratio = dropout_ratio
        with self.init_scope():
            self.W_q = Linear(in_size, in_size, nobias=nobias)
            self.W_k = Linear(in_size, in_size, nobias=nobias)
            self.W_v = Linear(in_size, in_size, nobias=nobias)
            self.W_o = Linear(in_size, self.out_size, nobias=nobias)

    def _check(self, x, name):
        shape = _util.shape_of(x)
        if len(shape) != 3 or shape[2] != self.in_size:
            raise _util.invalid('MultiHeadAttention',
                                '%s.shape == (batch, length, %d)' % (name, self.in_size),
                                '%s.shape == %s' % (name, shape))
        return shape

    def _split(self, h, B, L):
        h = _core.reshape(h, (B, L, self.n_heads, self.head_size))
        return _core.transpose(h, (0, 2, 1, 3))            # (B, H, L, d)

    def forward(self, query, key=None, value=None, mask=None, is_causal=False):
        """Attend from ``query`` to ``key``/``value``.

        Args:
            query (~kusari.Variable or array): ``(B, Lq, in_size)``.
            key (~kusari.Variable or array or None): ``(B, Lk, in_size)``
                (``None``: ``query``, i.e. self-attention).
            value (~kusari.Variable or array or None): ``(B, Lk, in_size)``
                (``None``: ``key``).
            mask (array or None): ``True`` = attend (bool) or additive float mask,
                broadcastable to ``(B, n_heads, Lq, Lk)``; a 3-d ``(B, Lq, Lk)`` mask
                is shared by the heads.
            is_causal (bool): Query ``i`` attends to keys ``j <= i`` only.

        Returns:
            ~kusari.Variable: ``(B, Lq, out_size)``.
        """
        if key is None:
            key = query
        if value is None:
            value = key
        B, Lq, _ = self._check(query, 'query')
        Bk, Lk, _ = self._check(key, 'key')
        Bv, Lv, _ = self._check(value, 'value')
        if Bk != B or Bv != B or Lv != Lk:
            raise _util.invalid('MultiHeadAttention',
                                'query, key, value of one batch size, key.shape == '
                                'value.shape',
                                'query %s, key %s, value %s'
                                % ((B, Lq), (Bk, Lk), (Bv, Lv)))
        if mask is not None:
            if isinstance(mask, _core.Variable):
                mask = mask.array
            if mask.ndim == 3:
                mask = mask[:, None]
        q = self._split(self.W_q(query, n_batch_axes=2), B, Lq)
        k = self._split(self.W_k(key, n_batch_axes=2), B, Lk)
        v = self._split(self.W_v(value, n_batch_axes=2), B, Lk)
        h = F.scaled_dot_product_attention(q, k, v, mask=mask,
                                           dropout_ratio=self.dropout_ratio,
                                           is_causal=is_causal)
        h = _core.reshape(_core.transpose(h, (0, 2, 1, 3)), (B, Lq, self.in_size))
        return self.W_o(h, n_batch_axes=2)
