import numpy
import pytest

import kusari.functions as F
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(10,), (4, 3)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_binary_accuracy(dtype, shape, contiguous):
    rng = numpy.random.RandomState(0)
    y = rng.uniform(-1, 1, shape).astype(dtype)
    if not contiguous:
        y = numpy.asfortranarray(y)
    t = rng.randint(-1, 2, shape).astype(numpy.int32)
    acc = F.binary_accuracy(y, t)
    mask = t != -1
    expect = ((y >= 0) == t)[mask].sum() / max(mask.sum(), 1)
    assert acc.dtype == dtype and acc.shape == ()
    numpy.testing.assert_allclose(acc.array, expect, rtol=1e-3)


def test_binary_accuracy_all_ignored():
    y = numpy.array([1., -1.], numpy.float32)
    assert F.binary_accuracy(y, numpy.array([-1, -1], numpy.int32)).array == 0.0


def test_binary_accuracy_bad_input():
    y = numpy.zeros((4,), numpy.float32)
    with pytest.raises(InvalidType, match='BinaryAccuracy'):
        F.binary_accuracy(y, numpy.zeros(5, numpy.int32))
    with pytest.raises(InvalidType, match='BinaryAccuracy'):
        F.binary_accuracy(y, numpy.zeros(4, numpy.float32))


@pytest.mark.gpu
def test_binary_accuracy_gpu():
    import cupy
    y = numpy.array([[-2., 0.], [3., -5.]], numpy.float32)
    t = numpy.array([[0, 0], [1, 1]], numpy.int32)
    acc = F.binary_accuracy(cupy.asarray(y), cupy.asarray(t))
    assert float(acc.array) == 0.5
