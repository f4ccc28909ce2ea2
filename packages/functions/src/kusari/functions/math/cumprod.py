"""Chainer's module ``chainer.functions.math.cumprod`` (the code is in
:mod:`kusari.functions.math.cumulative`)."""
from kusari.functions.math.cumulative import (  # noqa: F401
    Cumprod,
    cumprod,
)

__all__ = ['Cumprod', 'cumprod']
