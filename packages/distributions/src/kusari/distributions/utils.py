"""Chainer's ``chainer.distributions.utils``: the entropy term ``x log x`` with 0 log 0 = 0.

Kept under Chainer's module and names (``_modified_xlogx``) for code and tests written
against Chainer; it is also :func:`modified_xlogx`.
"""
from kusari.distributions._util import ModifiedXLogX  # noqa: F401
from kusari.distributions._util import modified_xlogx

_modified_xlogx = modified_xlogx

__all__ = ['ModifiedXLogX', 'modified_xlogx']
