"""The one-pass CPU kernel of F.accuracy against an independent NumPy reference."""
import numpy
import pytest

import kusari.functions as F
from kusari.functions.evaluation import _accuracy_kernels as K


def _ref(y, t, ignore_label=None):
    pred = numpy.argmax(y, axis=1)
    keep = numpy.ones(len(t), bool) if ignore_label is None else t != ignore_label
    n = keep.sum()
    return 0.0 if n == 0 else ((pred == t) & keep).sum() / n


@pytest.mark.parametrize('ydtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('tdtype', [numpy.int32, numpy.int64])
@pytest.mark.parametrize('ignore_label', [None, -1, 2])
def test_against_reference(ydtype, tdtype, ignore_label):
    rng = numpy.random.default_rng(0)
    y = rng.standard_normal((50, 4)).astype(ydtype)
    t = rng.integers(-1, 4, 50).astype(tdtype)
    got = K.accuracy(y, t, ignore_label)
    assert got.dtype == ydtype and got.shape == ()
    assert got == ydtype(_ref(y, t, ignore_label))


def test_ties_nan_and_infinities_follow_numpy_argmax():
    y = numpy.array([[1, 3, 3, 0],            # tie: the first maximum
                     [numpy.nan, 5, 1, 1],    # NaN: argmax is the first NaN
                     [0, 1, numpy.nan, 9],
                     [-numpy.inf, -numpy.inf, -numpy.inf, -numpy.inf],
                     [numpy.inf, 2, numpy.inf, 0]], numpy.float32)
    pred = numpy.argmax(y, axis=1)
    for k in range(5):
        t = pred.copy()
        t[k] = (t[k] + 1) % 4
        assert K.accuracy(y, t.astype(numpy.int32), None) == numpy.float32(4 / 5)


def test_large_inputs_are_left_to_numpy():
    y = numpy.ones((K.MAX_SIZE // 4 + 1, 4), numpy.float32)
    assert K.accuracy(y, numpy.zeros(len(y), numpy.int32), None) is None
    assert K.accuracy(y[:-1], numpy.zeros(len(y) - 1, numpy.int32), None) == 1


def test_all_ignored_or_empty_is_zero():
    y = numpy.ones((3, 2), numpy.float32)
    assert K.accuracy(y, numpy.full(3, -1, numpy.int32), -1) == 0
    assert K.accuracy(numpy.ones((0, 2), numpy.float32), numpy.ones(0, numpy.int32),
                      None) == 0


@pytest.mark.parametrize('y,t,ignore', [
    (numpy.ones((3, 2), numpy.float16), numpy.ones(3, numpy.int32), None),
    (numpy.ones((2, 3), numpy.float32).T, numpy.ones(3, numpy.int32), None),
    (numpy.ones((3, 2), numpy.float32), numpy.ones(3, numpy.int16), None),
    (numpy.ones((3, 2), numpy.float32), numpy.ones(2, numpy.int32), None),
    (numpy.ones((3, 2, 2), numpy.float32), numpy.ones((3, 2), numpy.int32), None),
    (numpy.ones((3, 0), numpy.float32), numpy.ones(3, numpy.int32), None),
    (numpy.ones((3, 2), numpy.float32), numpy.ones(3, numpy.int32), 1.5),
    (numpy.ones((3, 2), numpy.float32), numpy.ones(3, numpy.int32), 2 ** 70),
])
def test_other_inputs_are_left_to_numpy(y, t, ignore):
    assert K.accuracy(y, t, ignore) is None


def test_public_function_same_on_both_paths():
    rng = numpy.random.default_rng(1)
    y = rng.standard_normal((40, 6)).astype(numpy.float32)
    t = rng.integers(0, 6, 40).astype(numpy.int32)
    fast = F.accuracy(y, t).array
    general = F.accuracy(numpy.asfortranarray(y), t).array
    assert fast == general == numpy.float32(_ref(y, t))
