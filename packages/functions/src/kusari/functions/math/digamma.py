"""Chainer's module ``chainer.functions.math.digamma`` (the code is in
:mod:`kusari.functions.math.special`)."""
from kusari.functions.math.special import (  # noqa: F401
    DiGamma,
    digamma,
)

__all__ = ['DiGamma', 'digamma']
