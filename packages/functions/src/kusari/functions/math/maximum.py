"""Chainer's module ``chainer.functions.math.maximum`` (the code is in
:mod:`kusari.functions.math.minmax_elementwise`)."""
from kusari.functions.math.minmax_elementwise import (  # noqa: F401
    Maximum,
    maximum,
)

__all__ = ['Maximum', 'maximum']
