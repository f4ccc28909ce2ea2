"""Chainer's module ``chainer.functions.math.det`` (the code is in
:mod:`kusari.functions.math.linalg`)."""
from kusari.functions.math.linalg import (  # noqa: F401
    Det,
    det,
    batch_det,
)

__all__ = ['Det', 'det', 'batch_det']
