"""Chainer's module ``chainer.functions.math.erfinv`` (the code is in
:mod:`kusari.functions.math.special`)."""
from kusari.functions.math.special import (  # noqa: F401
    ErfInv,
    erfinv,
)

__all__ = ['ErfInv', 'erfinv']
