"""Chainer's module ``chainer.functions.math.arctanh`` (the code is in
:mod:`kusari.functions.math.hyperbolic`)."""
from kusari.functions.math.hyperbolic import (  # noqa: F401
    Arctanh,
    arctanh,
)

__all__ = ['Arctanh', 'arctanh']
