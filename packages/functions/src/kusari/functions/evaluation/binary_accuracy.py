"""Binary classification accuracy: :func:`binary_accuracy`."""
from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.evaluation import _util


class BinaryAccuracy(FunctionNode):
    """Fraction of ``(y >= 0) == t`` over the entries whose label is not -1."""

    ignore_label = -1

    def forward(self, inputs):
        y, t = inputs
        if y.dtype.kind != 'f':
            raise _util.invalid('BinaryAccuracy', 'x.dtype.kind == f',
                                '%s != f' % y.dtype.kind)
        if t.dtype.kind != 'i':
            raise _util.invalid('BinaryAccuracy', 't.dtype.kind == i',
                                '%s != i' % t.dtype.kind)
        if t.shape != y.shape:
            raise _util.invalid('BinaryAccuracy', 't.shape == x.shape',
                                '%s != %s' % (t.shape, y.shape))
        xp = _core.get_array_module(y)
        c = (y >= 0).ravel()
        t = t.ravel()
        count = xp.maximum(1, (t != self.ignore_label).sum())
        return xp.asarray((c == t).sum() / count, dtype=y.dtype),

    def backward(self, indexes, grad_outputs):
        return (None,) * len(indexes)

    def backward_array(self, indexes, grad_outputs):
        return (None,) * len(indexes)


def binary_accuracy(y, t):
    """Binary classification accuracy of a minibatch.

    The prediction for an entry is 1 if ``y >= 0`` and 0 otherwise.

    Args:
        y (Variable or array): float scores (logits) of any shape.
        t (Variable or array): integer labels of the shape of ``y``: 1 positive,
            0 negative, -1 ignored.  If all are ignored the accuracy is 0.

    Returns:
        Variable: a 0-D array of the dtype of ``y`` (not differentiable).

    >>> import numpy, kusari.functions as F
    >>> y = numpy.array([[-2.0, 0.0], [3.0, -5.0]], numpy.float32)
    >>> F.binary_accuracy(y, numpy.array([[0, 1], [1, 0]], numpy.int32)).array
    array(1., dtype=float32)
    >>> F.binary_accuracy(y, numpy.array([[0, 0], [1, 1]], numpy.int32)).array
    array(0.5, dtype=float32)
    >>> F.binary_accuracy(y, numpy.array([[0, -1], [1, -1]], numpy.int32)).array
    array(1., dtype=float32)
    """
    return BinaryAccuracy().apply((y, t))[0]
