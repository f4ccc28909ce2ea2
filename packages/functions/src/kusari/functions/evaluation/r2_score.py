"""Coefficient of determination: :func:`r2_score`."""

from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.evaluation import _util


class R2Score(FunctionNode):
    """R^2 of predictions against targets, per output column (axis 0 is the samples).

    Args:
        sample_weight: must be ``None`` (weights are not supported).
        multioutput (str): ``'uniform_average'`` or ``'raw_values'``.
    """

    def __init__(self, sample_weight=None, multioutput='uniform_average'):
        if sample_weight is not None:
            raise NotImplementedError('r2_score: sample_weight is not supported')
        if multioutput not in ('uniform_average', 'raw_values'):
            raise ValueError("r2_score: multioutput must be 'uniform_average' or "
                             "'raw_values', got %r" % (multioutput,))
        self.multioutput = multioutput

    def forward(self, inputs):
        pred, true = inputs
        for name, a in (('pred', pred), ('true', true)):
            if a.dtype.kind != 'f':
                raise _util.invalid('R2Score', '%s.dtype.kind == f' % name,
                                    '%s != f' % a.dtype.kind)
        if pred.shape != true.shape:
            raise _util.invalid('R2Score', 'pred.shape == true.shape',
                                '%s != %s' % (pred.shape, true.shape))
        if pred.ndim == 0:
            raise _util.invalid('R2Score', 'pred.ndim >= 1', '0 < 1')
        xp = _core.get_array_module(pred)
        ss_res = xp.asarray(((pred - true) ** 2).sum(axis=0))
        ss_tot = xp.asarray(((true - true.mean(axis=0)) ** 2).sum(axis=0))
        zero = ss_tot == 0
        ss_tot = xp.where(zero, xp.ones_like(ss_tot), ss_tot)
        ret = xp.where(zero, 0.0, 1 - ss_res / ss_tot).astype(pred.dtype)
        if self.multioutput == 'uniform_average':
            return xp.asarray(ret.mean(), dtype=pred.dtype),
        return ret,

    def backward(self, indexes, grad_outputs):
        return (None,) * len(indexes)

    def backward_array(self, indexes, grad_outputs):
        return (None,) * len(indexes)


def r2_score(pred, true, sample_weight=None, multioutput='uniform_average'):
    """R^2, the coefficient of determination, of a regression.

    .. math:: R^2 = 1 - \\frac{\\sum_i (\\hat y_i - y_i)^2}{\\sum_i (y_i - \\bar y)^2}

    computed per column (axis 0 indexes the samples); a column of constant targets
    scores 0.

    Args:
        pred (Variable or array): float predictions of shape ``(N, ...)``.
        true (Variable or array): float targets of the shape of ``pred``.
        sample_weight: for compatibility with scikit-learn; only ``None`` is allowed.
        multioutput (str): ``'uniform_average'`` returns the mean over the columns,
            ``'raw_values'`` the score of every column.

    Returns:
        Variable: a 0-D array, or an array of shape ``pred.shape[1:]`` (not
        differentiable).

    >>> import numpy, kusari.functions as F
    >>> true = numpy.array([1., 2., 3., 4.], numpy.float32)
    >>> F.r2_score(true, true).array
    array(1., dtype=float32)
    >>> F.r2_score(numpy.full(4, 2.5, numpy.float32), true).array
    array(0., dtype=float32)
    """
    return R2Score(sample_weight, multioutput).apply((pred, true))[0]


