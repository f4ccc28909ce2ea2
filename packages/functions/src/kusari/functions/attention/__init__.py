"""kusari.functions: the attention family (not in Chainer v7).

:func:`scaled_dot_product_attention` over ``(batch, heads, length, dim)`` arrays, with
a fused flash-attention style CPU kernel.
"""
from kusari.functions.attention.scaled_dot_product_attention import (  # noqa: F401
    ScaledDotProductAttention,
    scaled_dot_product_attention,
)

__all__ = ['scaled_dot_product_attention']

from kusari.functions import _layout  # noqa: E402

_layout.chainer_layout(globals())
