import numpy
import pytest

import kusari.functions as F
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _reference(pred, true):
    pred, true = pred.astype(numpy.float64), true.astype(numpy.float64)
    ss_res = ((pred - true) ** 2).sum(axis=0)
    ss_tot = ((true - true.mean(axis=0)) ** 2).sum(axis=0)
    return numpy.where(ss_tot == 0, 0.0, 1 - ss_res / numpy.where(ss_tot == 0, 1, ss_tot))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(10,), (10, 3), (6, 2, 2)])
@pytest.mark.parametrize('multioutput', ['uniform_average', 'raw_values'])
@pytest.mark.parametrize('contiguous', [True, False])
def test_r2_score(dtype, shape, multioutput, contiguous):
    rng = numpy.random.RandomState(0)
    true = rng.uniform(-1, 1, shape).astype(dtype)
    pred = (true + rng.uniform(-0.3, 0.3, shape)).astype(dtype)
    if not contiguous:
        true, pred = numpy.asfortranarray(true), numpy.asfortranarray(pred)
    r2 = F.r2_score(pred, true, multioutput=multioutput)
    expect = _reference(pred, true)
    if multioutput == 'uniform_average':
        expect = expect.mean()
    assert r2.dtype == dtype and r2.shape == numpy.shape(expect)
    tol = 1e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(r2.array, expect, rtol=tol, atol=tol)


def test_r2_score_constant_target():
    true = numpy.array([[1., 2.], [1., 3.]], numpy.float32)
    r2 = F.r2_score(true, true, multioutput='raw_values')
    numpy.testing.assert_array_equal(r2.array, [0., 1.])


def test_r2_score_bad_input():
    a = numpy.zeros((3, 2), numpy.float32)
    with pytest.raises(InvalidType, match='R2Score'):
        F.r2_score(a, numpy.zeros((2, 3), numpy.float32))
    with pytest.raises(InvalidType, match='R2Score'):
        F.r2_score(a, a.astype(numpy.int32))
    with pytest.raises(NotImplementedError):
        F.r2_score(a, a, sample_weight=a)
    with pytest.raises(ValueError, match='r2_score'):
        F.r2_score(a, a, multioutput='variance_weighted')


@pytest.mark.gpu
def test_r2_score_gpu():
    import cupy
    true = numpy.array([1., 2., 3., 4.], numpy.float32)
    r2 = F.r2_score(cupy.asarray(true), cupy.asarray(true))
    assert float(r2.array) == 1.0
