"""Chainer's module ``chainer.functions.math.sign`` (the code is in
:mod:`kusari.functions.math.rounding`)."""
from kusari.functions.math.rounding import (  # noqa: F401
    sign,
)

__all__ = ['sign']
