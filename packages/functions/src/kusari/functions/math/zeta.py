"""Chainer's module ``chainer.functions.math.zeta`` (the code is in
:mod:`kusari.functions.math.special`)."""
from kusari.functions.math.special import (  # noqa: F401
    Zeta,
    zeta,
)

__all__ = ['Zeta', 'zeta']
