import numpy
import pytest

import kusari
import kusari.functions as F
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _reference(y, t, ignore_label):
    pred = y.argmax(axis=1).reshape(t.shape)
    if ignore_label is None:
        return (pred == t).mean()
    mask = t != ignore_label
    if mask.sum() == 0:
        return 0.0
    return ((pred == t) & mask).sum() / mask.sum()


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('yshape, tshape', [((10, 3), (10,)), ((4, 3, 5), (4, 5)),
                                            ((4, 3, 5, 1), (4, 5))])
@pytest.mark.parametrize('ignore_label', [None, 0, -1])
@pytest.mark.parametrize('contiguous', [True, False])
def test_accuracy(dtype, yshape, tshape, ignore_label, contiguous):
    rng = numpy.random.RandomState(0)
    y = rng.uniform(-1, 1, yshape).astype(dtype)
    if not contiguous:
        y = numpy.asfortranarray(y)
    t = rng.randint(-1, 3, tshape).astype(numpy.int32)
    acc = F.accuracy(y, t, ignore_label=ignore_label)
    assert acc.dtype == dtype and acc.shape == ()
    numpy.testing.assert_allclose(acc.array, _reference(y, t, ignore_label), rtol=1e-3)


def test_accuracy_known_values():
    y = numpy.array([[0.1, 0.7, 0.2], [8., 1., 2.], [-8., 1., 2.], [-8., -1., -2.]],
                    numpy.float32)
    assert F.accuracy(y, numpy.array([1, 0, 2, 1], numpy.int32)).array == 1.0
    assert F.accuracy(y, numpy.array([1, 0, 0, 0], numpy.int32)).array == 0.5
    assert F.accuracy(y, numpy.array([1, 0, 0, 0], numpy.int32),
                      ignore_label=0).array == 1.0
    # everything ignored
    assert F.accuracy(y, numpy.zeros(4, numpy.int32), ignore_label=0).array == 0.0


def test_accuracy_not_differentiable_but_graph_ok():
    y = kusari.Variable(numpy.random.RandomState(0).randn(4, 3).astype(numpy.float32))
    acc = F.accuracy(y, numpy.array([0, 1, 2, 0], numpy.int32))
    loss = F.sum(y)
    loss.backward()
    assert acc.array.shape == ()
    numpy.testing.assert_array_equal(y.grad, numpy.ones((4, 3), numpy.float32))


def test_accuracy_bad_input():
    y = numpy.zeros((4, 3), numpy.float32)
    with pytest.raises(InvalidType, match='Accuracy'):
        F.accuracy(y, numpy.zeros(5, numpy.int32))
    with pytest.raises(InvalidType, match='Accuracy'):
        F.accuracy(y, numpy.zeros(4, numpy.float32))
    with pytest.raises(InvalidType, match='Accuracy'):
        F.accuracy(y.astype(numpy.int32), numpy.zeros(4, numpy.int32))
    with pytest.raises(InvalidType, match='Accuracy'):
        F.accuracy(numpy.zeros((4, 3, 2), numpy.float32), numpy.zeros((4, 3), numpy.int32))


@pytest.mark.gpu
def test_accuracy_gpu():
    import cupy
    rng = numpy.random.RandomState(0)
    y = rng.uniform(-1, 1, (10, 3)).astype(numpy.float32)
    t = rng.randint(0, 3, 10).astype(numpy.int32)
    for ignore in (None, 0):
        acc = F.accuracy(cupy.asarray(y), cupy.asarray(t), ignore_label=ignore)
        numpy.testing.assert_allclose(cupy.asnumpy(acc.array), _reference(y, t, ignore),
                                      rtol=1e-6)
