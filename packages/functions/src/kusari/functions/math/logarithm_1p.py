"""Chainer's module ``chainer.functions.math.logarithm_1p`` (the code is in
:mod:`kusari.functions.math.exponential`)."""
from kusari.functions.math.exponential import (  # noqa: F401
    Log1p,
    log1p,
)

__all__ = ['Log1p', 'log1p']
