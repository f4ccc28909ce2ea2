import numpy
import pytest

import kusari.functions as F
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _reference(y, t, label_num, beta, ignore_label):
    pred = y.argmax(axis=1).ravel()
    true = t.ravel()
    keep = true != ignore_label
    pred, true = pred[keep], true[keep]
    out = []
    for c in range(label_num):
        tp = numpy.sum((pred == c) & (true == c))
        p = tp / numpy.sum(pred == c) if numpy.sum(pred == c) else numpy.nan
        r = tp / numpy.sum(true == c) if numpy.sum(true == c) else numpy.nan
        f = (1 + beta ** 2) * p * r / (beta ** 2 * p + r) if (beta ** 2 * p + r) else \
            numpy.nan
        out.append((p, r, f, numpy.sum(true == c)))
    return [numpy.array(v) for v in zip(*out)]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('yshape, tshape', [((20, 3), (20,)), ((5, 3, 4), (5, 4))])
@pytest.mark.parametrize('label_num', [None, 4])
@pytest.mark.parametrize('beta', [1.0, 2.0])
@pytest.mark.parametrize('ignore_label', [-1, 0])
@pytest.mark.parametrize('contiguous', [True, False])
def test_classification_summary(dtype, yshape, tshape, label_num, beta, ignore_label,
                                contiguous):
    rng = numpy.random.RandomState(0)
    y = rng.uniform(-1, 1, yshape).astype(dtype)
    if not contiguous:
        y = numpy.asfortranarray(y)
    t = rng.randint(0, 3, tshape).astype(numpy.int32)
    if ignore_label == -1:
        t.ravel()[::4] = -1
    n = label_num if label_num is not None else int(t[t != ignore_label].max()) + 1
    p, r, f, s = F.classification_summary(y, t, label_num, beta, ignore_label)
    ep, er, ef, es = _reference(y, t, n, beta, ignore_label)
    for got, exp in ((p, ep), (r, er), (f, ef)):
        assert got.dtype == dtype and got.shape == (n,)
        numpy.testing.assert_allclose(got.array, exp, rtol=1e-3)
    numpy.testing.assert_array_equal(s.array, es)
    if beta == 1.0:
        numpy.testing.assert_array_equal(F.precision(y, t, label_num, ignore_label)[0].array,
                                         p.array)
        numpy.testing.assert_array_equal(F.recall(y, t, label_num, ignore_label)[0].array,
                                         r.array)
        numpy.testing.assert_array_equal(F.f1_score(y, t, label_num, ignore_label)[0].array,
                                         f.array)
    numpy.testing.assert_array_equal(
        F.fbeta_score(y, t, label_num, beta, ignore_label)[0].array, f.array)


def test_classification_summary_bad_input():
    y = numpy.zeros((4, 3), numpy.float32)
    with pytest.raises(InvalidType, match='ClassificationSummary'):
        F.classification_summary(y, numpy.zeros(4, numpy.float32))
    with pytest.raises(InvalidType, match='ClassificationSummary'):
        F.classification_summary(y, numpy.zeros(3, numpy.int32))
    with pytest.raises(ValueError, match='classification_summary'):
        F.classification_summary(y, numpy.array([0, 1, 5, 1], numpy.int32), label_num=3)


@pytest.mark.parametrize('label_dtype', [numpy.int8, numpy.int16, numpy.int64])
def test_classification_summary_labels_of_any_int_width(label_dtype):
    # Chainer accepts every signed int dtype for the labels
    rng = numpy.random.RandomState(1)
    y = rng.uniform(-1, 1, (30, 3)).astype(numpy.float32)
    t = rng.randint(0, 3, 30)
    t[::5] = 0
    got = F.classification_summary(y, t.astype(label_dtype), 3, 1.0, 0)
    want = _reference(y, t.astype(numpy.int32), 3, 1.0, 0)
    for g, w in zip(got, want):
        numpy.testing.assert_allclose(g.array, w, rtol=1e-6)


@pytest.mark.gpu
def test_classification_summary_gpu():
    import cupy
    y = numpy.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], numpy.float32)
    t = numpy.array([0, 1, 1], numpy.int32)
    p, r, f, s = F.classification_summary(cupy.asarray(y), cupy.asarray(t))
    numpy.testing.assert_allclose(cupy.asnumpy(p.array), [0.5, 1.0])
    numpy.testing.assert_array_equal(cupy.asnumpy(s.array), [1, 2])
