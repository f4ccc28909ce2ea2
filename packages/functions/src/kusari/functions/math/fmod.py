"""Chainer's module ``chainer.functions.math.fmod`` (the code is in
:mod:`kusari.functions.math.basic_elementwise`)."""
from kusari.functions.math.basic_elementwise import (  # noqa: F401
    Fmod,
    fmod,
)

__all__ = ['Fmod', 'fmod']
