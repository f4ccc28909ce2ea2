"""kusari.functions: the evaluation family (metrics; none is differentiable)."""
from kusari.functions.evaluation.accuracy import accuracy  # noqa: F401
from kusari.functions.evaluation.binary_accuracy import binary_accuracy  # noqa: F401
from kusari.functions.evaluation.classification_summary import (  # noqa: F401
    classification_summary,
    f1_score,
    fbeta_score,
    precision,
    recall,
)
from kusari.functions.evaluation.r2_score import r2_score  # noqa: F401

__all__ = ['accuracy', 'binary_accuracy', 'classification_summary', 'f1_score',
           'fbeta_score', 'precision', 'recall', 'r2_score']

from kusari.functions import _layout  # noqa: E402

_layout.chainer_layout(globals())
