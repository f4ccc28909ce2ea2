"""Chainer's module ``chainer.functions.math.ndtr`` (the code is in
:mod:`kusari.functions.math.special`)."""
from kusari.functions.math.special import (  # noqa: F401
    Ndtr,
    ndtr,
)

__all__ = ['Ndtr', 'ndtr']
