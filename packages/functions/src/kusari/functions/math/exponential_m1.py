"""Chainer's module ``chainer.functions.math.exponential_m1`` (the code is in
:mod:`kusari.functions.math.exponential`)."""
from kusari.functions.math.exponential import (  # noqa: F401
    Expm1,
    expm1,
)

__all__ = ['Expm1', 'expm1']
