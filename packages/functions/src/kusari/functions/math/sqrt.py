"""Chainer's module ``chainer.functions.math.sqrt`` (the code is in
:mod:`kusari.functions.math.basic_elementwise`)."""
from kusari.functions.math.basic_elementwise import (  # noqa: F401
    Sqrt,
    sqrt,
    Rsqrt,
    rsqrt,
)

__all__ = ['Sqrt', 'sqrt', 'Rsqrt', 'rsqrt']
