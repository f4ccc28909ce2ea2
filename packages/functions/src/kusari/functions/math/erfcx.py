"""Chainer's module ``chainer.functions.math.erfcx`` (the code is in
:mod:`kusari.functions.math.special`)."""
from kusari.functions.math.special import (  # noqa: F401
    Erfcx,
    erfcx,
)

__all__ = ['Erfcx', 'erfcx']
