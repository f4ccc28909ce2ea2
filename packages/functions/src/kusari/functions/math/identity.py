"""Chainer's module ``chainer.functions.math.identity`` (the code is in
:mod:`kusari.functions.math.basic_elementwise`)."""
from kusari.functions.math.basic_elementwise import (  # noqa: F401
    Identity,
    identity,
)

__all__ = ['Identity', 'identity']
