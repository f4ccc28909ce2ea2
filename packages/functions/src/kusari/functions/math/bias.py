"""Chainer's module ``chainer.functions.math.bias`` (the code is in
:mod:`kusari.functions.math.bias_scale`)."""
from kusari.functions.math.bias_scale import (  # noqa: F401
    bias,
)

__all__ = ['bias']
