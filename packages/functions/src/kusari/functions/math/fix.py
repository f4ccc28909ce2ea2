"""Chainer's module ``chainer.functions.math.fix`` (the code is in
:mod:`kusari.functions.math.rounding`)."""
from kusari.functions.math.rounding import (  # noqa: F401
    fix,
)

__all__ = ['fix']
