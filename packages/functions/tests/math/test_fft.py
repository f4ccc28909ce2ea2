import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _tol(dtype):
    if dtype == numpy.float16:
        return dict(atol=2e-2, rtol=5e-2)
    return dict(atol=1e-4, rtol=1e-3)


def _u(shape, dtype, seed):
    return numpy.random.RandomState(seed).uniform(-1, 1, shape).astype(dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('method', ['fft', 'ifft'])
@pytest.mark.parametrize('shape', [(4,), (2, 3), (2, 1, 5)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_fft(dtype, method, shape, contiguous):
    f = getattr(F, method)
    r, i = _u(shape, dtype, 0), _u(shape, dtype, 1)
    if not contiguous:
        r, i = numpy.asfortranarray(r), numpy.asfortranarray(i)
    yr, yi = f((r, i))
    expect = getattr(numpy.fft, method)(r.astype(numpy.float64) + 1j * i)
    assert yr.dtype == dtype and yi.dtype == dtype
    numpy.testing.assert_allclose(yr.array.astype(numpy.float64), expect.real,
                                  **_tol(dtype))
    numpy.testing.assert_allclose(yi.array.astype(numpy.float64), expect.imag,
                                  **_tol(dtype))
    gys = (_u(shape, dtype, 2), _u(shape, dtype, 3))
    g = lambda r, i: f((r, i))  # noqa: E731
    gradient_check.check_backward(g, (r, i), gys, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(g, (r, i), gys,
                                         (_u(shape, dtype, 4), _u(shape, dtype, 5)),
                                         dtype=numpy.float64, **_tol(dtype))


def test_fft_gradient_of_one_output():
    r, i = _u((4,), numpy.float64, 0), _u((4,), numpy.float64, 1)
    gradient_check.check_backward(lambda r, i: F.fft((r, i))[0], (r, i),
                                  _u((4,), numpy.float64, 2))


def test_fft_bad_input():
    a = numpy.zeros((3,), numpy.float32)
    with pytest.raises(InvalidType, match='FFT'):
        F.fft((a, numpy.zeros((4,), numpy.float32)))
    with pytest.raises(InvalidType, match='IFFT'):
        F.ifft((a, a.astype(numpy.float64)))
    with pytest.raises(InvalidType, match='FFT'):
        F.fft((a.astype(numpy.int32), a.astype(numpy.int32)))


@pytest.mark.gpu
def test_fft_gpu():
    import cupy
    r, i = _u((2, 4), numpy.float32, 0), _u((2, 4), numpy.float32, 1)
    yr, yi = F.fft((cupy.asarray(r), cupy.asarray(i)))
    numpy.testing.assert_allclose(cupy.asnumpy(yr.array), F.fft((r, i))[0].array,
                                  rtol=1e-5, atol=1e-6)
    gradient_check.check_backward(lambda r, i: F.fft((r, i)),
                                  (cupy.asarray(r), cupy.asarray(i)),
                                  (cupy.asarray(r), cupy.asarray(i)),
                                  dtype=numpy.float64, atol=1e-4, rtol=1e-3)
