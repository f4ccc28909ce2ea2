"""Chainer's module ``chainer.functions.math.cumsum`` (the code is in
:mod:`kusari.functions.math.cumulative`)."""
from kusari.functions.math.cumulative import (  # noqa: F401
    Cumsum,
    cumsum,
)

__all__ = ['Cumsum', 'cumsum']
