"""Transformer encoder layer."""
import kusari.functions as F
from kusari import _core
from kusari import link
from kusari.links import _util
from kusari.links.attention.multi_head_attention import MultiHeadAttention
from kusari.links.connection.linear import Linear
from kusari.links.normalization.layer_normalization import LayerNormalization

_ACTIVATIONS = {'gelu': F.gelu, 'relu': F.relu}


class TransformerEncoderLayer(link.Chain):
    """One Transformer encoder layer: self-attention and a feed-forward network.

    With ``norm_first=True`` (pre-norm, the default)::

        x = x + dropout(self_attn(norm1(x)))
        x = x + dropout(W_2(dropout(activation(W_1(norm2(x))))))

    and with ``norm_first=False`` (post-norm, as in the original Transformer)::

        x = norm1(x + dropout(self_attn(x)))
        x = norm2(x + dropout(W_2(dropout(activation(W_1(x))))))

    Not in Chainer v7 (the structure follows PyTorch's ``TransformerEncoderLayer``).

    Args:
        d_model (int): Feature size of the input and output.
        n_heads (int): Number of attention heads (must divide ``d_model``).
        d_ff (int or None): Hidden size of the feed-forward network
            (``None``: ``4 * d_model``).
        dropout_ratio (float): Dropout ratio of the attention probabilities and of the
            residual branches (training only).
        activation (str or callable): ``'gelu'``, ``'relu'`` or a function of one
            Variable, the feed-forward nonlinearity.
        norm_first (bool): Pre-norm (``True``) or post-norm (``False``).

    Attributes:
        self_attn (~kusari.links.MultiHeadAttention): The self-attention.
        W_1, W_2 (~kusari.links.Linear): The feed-forward projections.
        norm1, norm2 (~kusari.links.LayerNormalization): The layer normalizations
            (``eps=1e-5``).

    >>> import numpy, kusari.links as L
    >>> layer = L.TransformerEncoderLayer(8, 2, d_ff=16)
    >>> layer(numpy.zeros((2, 5, 8), numpy.float32)).shape
    (2, 5, 8)
    """

    def __init__(self, d_model, n_heads, d_ff=None, dropout_ratio=0.1,
                 activation='gelu', norm_first=True):
        super().__init__()
        if d_ff is None:
            d_ff = 4 * d_model
        if isinstance(activation, str):
            if activation not in _ACTIVATIONS:
                raise ValueError("TransformerEncoderLayer: activation must be 'gelu', "
                                 "'relu' or a callable, got %r" % (activation,))
            activation = _ACTIVATIONS[activation]
        elif not callable(activation):
            raise ValueError('TransformerEncoderLayer: activation must be a string or '
                             'a callable, got %r' % (activation,))
        if not 0.0 <= dropout_ratio < 1.0:
            raise ValueError('TransformerEncoderLayer: dropout_ratio must be in [0, 1), '
                             'got %r' % (dropout_ratio,))
        self.d_model = d_model
        self.d_ff = d_ff
        self.dropout_ratio = dropout_ratio
        self.activation = activation
        self.norm_first = norm_first
        with self.init_scope():
            self.self_attn = MultiHeadAttention(n_heads, d_model,
                                                dropout_ratio=dropout_ratio)
            self.W_1 = Linear(d_model, d_ff)
            self.W_2 = Linear(d_ff, d_model)
            self.norm1 = LayerNormalization(d_model, eps=1e-5)
            self.norm2 = LayerNormalization(d_model, eps=1e-5)

    def _norm(self, norm, x):
        B, L, D = x.shape
        return _core.reshape(norm(_core.reshape(x, (B * L, D))), (B, L, D))

    def _dropout(self, x):
        if self.dropout_ratio == 0:
            return x
        return F.dropout(x, self.dropout_ratio)

    def _attn(self, x, mask, is_causal):
        return self._dropout(self.self_attn(x, mask=mask, is_causal=is_causal))

    def _ff(self, x):
        h = self._dropout(self.activation(self.W_1(x, n_batch_axes=2)))
        return self._dropout(self.W_2(h, n_batch_axes=2))

    def forward(self, x, mask=None, is_causal=False):
        """Apply the layer.

        Args:
            x (~kusari.Variable or array): ``(B, L, d_model)``.
            mask (array or None): Attention mask (see
                :meth:`MultiHeadAttention.forward`), e.g. a ``(B, 1, 1, L)`` key
                padding mask.
            is_causal (bool): Causal self-attention.

        Returns:
            ~kusari.Variable: ``(B, L, d_model)``.
        """
        shape = _util.shape_of(x)
        if len(shape) != 3 or shape[2] != self.d_model:
            raise _util.invalid('TransformerEncoderLayer',
                                'x.shape == (batch, length, %d)' % self.d_model,
                                'x.shape == %s' % (shape,))
        if self.norm_first:
            x = x + self._attn(self._norm(self.norm1, x), mask, is_causal)
            return x + self._ff(self._norm(self.norm2, x))
        x = self._norm(self.norm1, x + self._attn(x, mask, is_causal))
        return self._norm(self.norm2, x + self._ff(x))
