"""Chainer's module ``chainer.functions.math.inv`` (the code is in
:mod:`kusari.functions.math.linalg`)."""
from kusari.functions.math.linalg import (  # noqa: F401
    Inv,
    inv,
    batch_inv,
)

__all__ = ['Inv', 'inv', 'batch_inv']
