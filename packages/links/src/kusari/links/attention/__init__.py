"""kusari.links: attention layers (not in Chainer v7).

:class:`MultiHeadAttention` and :class:`TransformerEncoderLayer`, built on
:func:`kusari.functions.scaled_dot_product_attention`.
"""
from kusari.links.attention.multi_head_attention import MultiHeadAttention  # noqa: F401,E501
from kusari.links.attention.transformer import TransformerEncoderLayer  # noqa: F401

__all__ = ['MultiHeadAttention', 'TransformerEncoderLayer']
