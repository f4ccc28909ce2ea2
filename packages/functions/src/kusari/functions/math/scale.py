"""Chainer's module ``chainer.functions.math.scale`` (the code is in
:mod:`kusari.functions.math.bias_scale`)."""
from kusari.functions.math.bias_scale import (  # noqa: F401
    scale,
)

__all__ = ['scale']
