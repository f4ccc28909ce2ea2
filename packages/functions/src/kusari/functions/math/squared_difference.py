"""Chainer's module ``chainer.functions.math.squared_difference`` (the code is in
:mod:`kusari.functions.math.basic_elementwise`)."""
from kusari.functions.math.basic_elementwise import (  # noqa: F401
    SquaredDifference,
    squared_difference,
)

__all__ = ['SquaredDifference', 'squared_difference']
