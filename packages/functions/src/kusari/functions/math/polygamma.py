"""Chainer's module ``chainer.functions.math.polygamma`` (the code is in
:mod:`kusari.functions.math.special`)."""
from kusari.functions.math.special import (  # noqa: F401
    PolyGamma,
    polygamma,
)

__all__ = ['PolyGamma', 'polygamma']
