"""Chainer's module ``chainer.functions.math.floor`` (the code is in
:mod:`kusari.functions.math.rounding`)."""
from kusari.functions.math.rounding import (  # noqa: F401
    floor,
)

__all__ = ['floor']
