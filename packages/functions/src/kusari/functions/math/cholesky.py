"""Chainer's module ``chainer.functions.math.cholesky`` (the code is in
:mod:`kusari.functions.math.linalg`)."""
from kusari.functions.math.linalg import (  # noqa: F401
    Cholesky,
    cholesky,
)

__all__ = ['Cholesky', 'cholesky']
