"""Chainer's module ``chainer.functions.math.erfcinv`` (the code is in
:mod:`kusari.functions.math.special`)."""
from kusari.functions.math.special import (  # noqa: F401
    ErfcInv,
    erfcinv,
)

__all__ = ['ErfcInv', 'erfcinv']
