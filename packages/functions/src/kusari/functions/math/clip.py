"""Chainer's module ``chainer.functions.math.clip`` (the code is in
:mod:`kusari.functions.math.minmax_elementwise`)."""
from kusari.functions.math.minmax_elementwise import (  # noqa: F401
    Clip,
    clip,
)

__all__ = ['Clip', 'clip']
