"""Chainer's module ``chainer.functions.math.minimum`` (the code is in
:mod:`kusari.functions.math.minmax_elementwise`)."""
from kusari.functions.math.minmax_elementwise import (  # noqa: F401
    Minimum,
    minimum,
)

__all__ = ['Minimum', 'minimum']
