"""Multiclass classification accuracy: :func:`accuracy`."""
import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.evaluation import _accuracy_kernels
from kusari.functions.evaluation import _util

_ndarray = numpy.ndarray


class Accuracy(FunctionNode):
    """Fraction of samples whose argmax over axis 1 of ``y`` equals the label ``t``.

    Args:
        ignore_label (int or None): labels equal to it are left out of the count.
    """

    def __init__(self, ignore_label=None):
        self.ignore_label = ignore_label

    def forward(self, inputs):
        y, t = inputs
        # (N, C) float scores and (N,) int labels on the CPU: one Cython pass
        acc = _accuracy_kernels.accuracy(y, t, self.ignore_label)
        if acc is not None:
            return acc,
        if y.ndim != 2 or t.ndim != 1 or y.shape[0] != t.shape[0] or \
                y.dtype.kind != 'f' or t.dtype.kind != 'i':
            _util.check_scores_labels('Accuracy', y, t)
        xp = numpy if type(y) is _ndarray else _core.get_array_module(y)
        pred = y.argmax(axis=1).reshape(t.shape)
        if self.ignore_label is None:
            n = t.size
            if n == 0:
                return xp.asarray(0.0, dtype=y.dtype),
            if xp is numpy:
                return numpy.array(numpy.count_nonzero(pred == t) / n, dtype=y.dtype),
            return xp.asarray((pred == t).mean(dtype=y.dtype)),
        mask = t != self.ignore_label
        if xp is numpy:
            total = numpy.count_nonzero(mask)
            if total == 0:
                return numpy.array(0.0, dtype=y.dtype),
            count = numpy.count_nonzero((pred == t) & mask)
            return numpy.array(count / total, dtype=y.dtype),
        total = mask.sum()
        count = ((pred == t) & mask).sum()
        return xp.where(total == 0, xp.asarray(0.0, y.dtype),
                        (count / xp.maximum(total, 1)).astype(y.dtype)),

    def backward(self, indexes, grad_outputs):
        return (None,) * len(indexes)

    def backward_array(self, indexes, grad_outputs):
        return (None,) * len(indexes)


def accuracy(y, t, ignore_label=None):
    """Multiclass classification accuracy of a minibatch.

    The prediction of sample ``(i, k, ...)`` is ``argmax_j y[i, j, k, ...]``.

    Args:
        y (Variable or array): float scores of shape ``(N, C, ...)``.
        t (Variable or array): integer labels of shape ``(N, ...)``.
        ignore_label (int or None): samples whose label is ``ignore_label`` are left
            out; if all are left out the accuracy is 0.

    Returns:
        Variable: a 0-D array of the dtype of ``y`` (not differentiable).

    >>> import numpy, kusari.functions as F
    >>> y = numpy.array([[0.1, 0.7, 0.2], [8.0, 1.0, 2.0], [-8.0, 1.0, 2.0],
    ...                  [-8.0, -1.0, -2.0]], numpy.float32)
    >>> F.accuracy(y, numpy.array([1, 0, 2, 1], numpy.int32)).array
    array(1., dtype=float32)
    >>> F.accuracy(y, numpy.array([1, 0, 0, 0], numpy.int32)).array
    array(0.5, dtype=float32)
    >>> F.accuracy(y, numpy.array([1, 0, 0, 0], numpy.int32), ignore_label=0).array
    array(1., dtype=float32)
    """
    return Accuracy(ignore_label).apply((y, t))[0]
