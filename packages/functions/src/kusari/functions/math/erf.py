"""Chainer's module ``chainer.functions.math.erf`` (the code is in
:mod:`kusari.functions.math.special`)."""
from kusari.functions.math.special import (  # noqa: F401
    Erf,
    erf,
)

__all__ = ['Erf', 'erf']
