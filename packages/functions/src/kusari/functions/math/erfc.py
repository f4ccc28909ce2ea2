"""Chainer's module ``chainer.functions.math.erfc`` (the code is in
:mod:`kusari.functions.math.special`)."""
from kusari.functions.math.special import (  # noqa: F401
    Erfc,
    erfc,
)

__all__ = ['Erfc', 'erfc']
