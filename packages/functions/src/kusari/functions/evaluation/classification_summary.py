"""Per-class precision, recall, F-beta score and support.

:func:`classification_summary`, :func:`precision`, :func:`recall`, :func:`fbeta_score`,
:func:`f1_score`.
"""
import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.evaluation import _util


def _fbeta_score(precision, recall, beta):
    beta_square = beta * beta
    return ((1 + beta_square) * precision * recall /
            (beta_square * precision + recall)).astype(precision.dtype, copy=False)


class ClassificationSummary(FunctionNode):
    """Precision, recall, F-beta score and support of every class.

    Args:
        label_num (int or None): number of classes; ``None`` means ``max(t) + 1``.
        beta (float): weight of precision in the F-beta score.
        ignore_label (int): samples with this label are left out.
    """

    def __init__(self, label_num=None, beta=1.0, ignore_label=-1):
        self.label_num = label_num
        self.beta = beta
        self.ignore_label = ignore_label

    def forward(self, inputs):
        y, t = inputs
        _util.check_scores_labels('ClassificationSummary', y, t)
        xp = _core.get_array_module(y)
        if self.label_num is None:
            valid = t[t != self.ignore_label]
            label_num = int(valid.max()) + 1 if valid.size else 0
        else:
            label_num = int(self.label_num)
            if label_num < 0:
                raise ValueError('classification_summary: label_num must be >= 0, got %d'
                                 % label_num)
        tr = t.ravel()
        mask = tr == self.ignore_label
        bad = (~mask) & ((tr < 0) | (tr >= label_num))
        if bool(bad.any()):
            raise ValueError('classification_summary: every label must be in [0, %d) '
                             'or equal ignore_label (%d)' % (label_num, self.ignore_label))
        pred = xp.where(mask, label_num, y.argmax(axis=1).ravel())
        true = xp.where(mask, label_num, tr)
        support = xp.bincount(true, minlength=label_num + 1)[:label_num]
        relevant = xp.bincount(pred, minlength=label_num + 1)[:label_num]
        tp_mask = xp.where(pred == true, true, label_num)
        tp = xp.bincount(tp_mask, minlength=label_num + 1)[:label_num]
        with numpy.errstate(divide='ignore', invalid='ignore'):
            precision = (tp / relevant).astype(y.dtype)
            recall = (tp / support).astype(y.dtype)
            fbeta = _fbeta_score(precision, recall, self.beta)
        return precision, recall, fbeta, support.astype(numpy.int32)

    def backward(self, indexes, grad_outputs):
        return (None,) * len(indexes)

    def backward_array(self, indexes, grad_outputs):
        return (None,) * len(indexes)


def classification_summary(y, t, label_num=None, beta=1.0, ignore_label=-1):
    """Precision, recall, F-beta score and support of each class.

    * precision: :math:`tp / (tp + fp)`
    * recall: :math:`tp / (tp + fn)`
    * F-beta: :math:`(1 + \\beta^2) p r / (\\beta^2 p + r)`
    * support: the number of samples of each true label.

    A class never predicted (or never present) gets ``nan`` precision (or recall).

    Args:
        y (Variable or array): float scores of shape ``(N, C, ...)``; the prediction
            is the argmax over axis 1.
        t (Variable or array): int labels (any width) of shape ``(N, ...)``, each in
            ``[0, label_num)`` or equal to ``ignore_label``.
        label_num (int or None): number of classes; ``None`` means ``max(t) + 1``.
        beta (float): weight of precision in the F-beta score.
        ignore_label (int): samples with this label are left out.

    Returns:
        tuple of 4 Variables of shape ``(label_num,)``: precision, recall and F-beta
        (dtype of ``y``) and support (int32); none is differentiable.

    >>> import numpy, kusari.functions as F
    >>> y = numpy.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], numpy.float32)
    >>> t = numpy.array([0, 1, 1], numpy.int32)
    >>> p, r, f, s = F.classification_summary(y, t)
    >>> p.array
    array([0.5, 1. ], dtype=float32)
    >>> r.array
    array([1. , 0.5], dtype=float32)
    >>> s.array
    array([1, 2], dtype=int32)
    """
    return ClassificationSummary(label_num, beta, ignore_label).apply((y, t))


def precision(y, t, label_num=None, ignore_label=-1):
    """Per-class precision and support (see :func:`classification_summary`).

    Args:
        y (Variable or array): float scores of shape ``(N, C, ...)``.
        t (Variable or array): int32 labels of shape ``(N, ...)``.
        label_num (int or None): number of classes; ``None`` means ``max(t) + 1``.
        ignore_label (int): samples with this label are left out.

    Returns:
        tuple of Variable: ``(precision, support)``, each of shape ``(label_num,)``.

    >>> import numpy, kusari.functions as F
    >>> y = numpy.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], numpy.float32)
    >>> F.precision(y, numpy.array([0, 1, 1], numpy.int32))[0].array
    array([0.5, 1. ], dtype=float32)
    """
    ret = ClassificationSummary(label_num, 1.0, ignore_label).apply((y, t))
    return ret[0], ret[-1]


def recall(y, t, label_num=None, ignore_label=-1):
    """Per-class recall and support (see :func:`classification_summary`).

    Args:
        y (Variable or array): float scores of shape ``(N, C, ...)``.
        t (Variable or array): int32 labels of shape ``(N, ...)``.
        label_num (int or None): number of classes; ``None`` means ``max(t) + 1``.
        ignore_label (int): samples with this label are left out.

    Returns:
        tuple of Variable: ``(recall, support)``, each of shape ``(label_num,)``.

    >>> import numpy, kusari.functions as F
    >>> y = numpy.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], numpy.float32)
    >>> F.recall(y, numpy.array([0, 1, 1], numpy.int32))[0].array
    array([1. , 0.5], dtype=float32)
    """
    ret = ClassificationSummary(label_num, 1.0, ignore_label).apply((y, t))
    return ret[1], ret[-1]


def fbeta_score(y, t, label_num=None, beta=1.0, ignore_label=-1):
    """Per-class F-beta score and support (see :func:`classification_summary`).

    Args:
        y (Variable or array): float scores of shape ``(N, C, ...)``.
        t (Variable or array): int32 labels of shape ``(N, ...)``.
        label_num (int or None): number of classes; ``None`` means ``max(t) + 1``.
        beta (float): weight of precision.
        ignore_label (int): samples with this label are left out.

    Returns:
        tuple of Variable: ``(fbeta_score, support)``, each of shape ``(label_num,)``.

    >>> import numpy, kusari.functions as F
    >>> y = numpy.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], numpy.float32)
    >>> F.fbeta_score(y, numpy.array([0, 1, 1], numpy.int32), beta=2.0)[0].array
    array([0.8333333, 0.5555556], dtype=float32)
    """
    ret = ClassificationSummary(label_num, beta, ignore_label).apply((y, t))
    return ret[2], ret[-1]


def f1_score(y, t, label_num=None, ignore_label=-1):
    """Per-class F1 score and support (see :func:`classification_summary`).

    Args:
        y (Variable or array): float scores of shape ``(N, C, ...)``.
        t (Variable or array): int32 labels of shape ``(N, ...)``.
        label_num (int or None): number of classes; ``None`` means ``max(t) + 1``.
        ignore_label (int): samples with this label are left out.

    Returns:
        tuple of Variable: ``(f1_score, support)``, each of shape ``(label_num,)``.

    >>> import numpy, kusari.functions as F
    >>> y = numpy.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], numpy.float32)
    >>> F.f1_score(y, numpy.array([0, 1, 1], numpy.int32))[0].array
    array([0.6666667, 0.6666667], dtype=float32)
    """
    ret = ClassificationSummary(label_num, 1.0, ignore_label).apply((y, t))
    return ret[2], ret[-1]
