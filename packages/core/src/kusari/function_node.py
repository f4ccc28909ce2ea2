"""Chainer's new-style function node and :func:`grad` (implemented in the Cython core),
and the deferred-gradient protocol between ``backward_array`` and the engine."""
from kusari._core import DeferredGrad, FunctionNode, MatMulTGrad, defers_grad, grad  # noqa: F401

__all__ = ['DeferredGrad', 'FunctionNode', 'MatMulTGrad', 'defers_grad', 'grad']
