"""Chainer's module ``chainer.functions.math.ceil`` (the code is in
:mod:`kusari.functions.math.rounding`)."""
from kusari.functions.math.rounding import (  # noqa: F401
    ceil,
)

__all__ = ['ceil']
