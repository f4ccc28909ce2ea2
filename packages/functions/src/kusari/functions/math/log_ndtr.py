"""Chainer's module ``chainer.functions.math.log_ndtr`` (the code is in
:mod:`kusari.functions.math.special`)."""
from kusari.functions.math.special import (  # noqa: F401
    LogNdtr,
    log_ndtr,
)

__all__ = ['LogNdtr', 'log_ndtr']
