"""Chainer's new-style function node and :func:`grad` (implemented in the Cython core)."""
from kusari._core import FunctionNode, grad  # noqa: F401

__all__ = ['FunctionNode', 'grad']
