"""Chainer's module ``chainer.functions.math.lgamma`` (the code is in
:mod:`kusari.functions.math.special`)."""
from kusari.functions.math.special import (  # noqa: F401
    LGamma,
    lgamma,
)

__all__ = ['LGamma', 'lgamma']
