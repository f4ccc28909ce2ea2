"""Chainer's module ``chainer.functions.math.ndtri`` (the code is in
:mod:`kusari.functions.math.special`)."""
from kusari.functions.math.special import (  # noqa: F401
    Ndtri,
    ndtri,
)

__all__ = ['Ndtri', 'ndtri']
