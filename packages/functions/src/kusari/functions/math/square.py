"""Chainer's module ``chainer.functions.math.square`` (the code is in
:mod:`kusari.functions.math.basic_elementwise`)."""
from kusari.functions.math.basic_elementwise import (  # noqa: F401
    Square,
    square,
)

__all__ = ['Square', 'square']
