import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import backend
from kusari import gradient_check

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('dst', [-1, '@numpy', backend.CpuDevice()])
def test_cpu_to_cpu(dtype, dst):
    x = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)[:, ::2]
    y = F.copy(x, dst)
    assert isinstance(y.array, numpy.ndarray) and y.dtype == dtype
    numpy.testing.assert_array_equal(y.array, x)
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    gradient_check.check_backward(lambda x: F.copy(x, dst), x, gy,
                                  dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(lambda x: F.copy(x, dst), x, gy, x,
                                         dtype=numpy.float64, **tol)


def test_gradient_is_passed_through():
    x = kusari.Variable(numpy.zeros(3, numpy.float32))
    y = F.copy(x, -1)
    y.grad = numpy.array([1, 2, 3], numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [1, 2, 3])


def test_bad_device():
    with pytest.raises(ValueError, match='get_device'):
        F.copy(numpy.zeros(3, numpy.float32), '@nowhere')


@pytest.mark.gpu
def test_host_device_round_trip():
    import cupy
    x = numpy.random.uniform(-1, 1, (2, 3)).astype(numpy.float32)
    xv = kusari.Variable(x)
    y = F.copy(xv, 0)
    assert isinstance(y.array, cupy.ndarray)
    z = F.copy(y * 2, -1)
    assert isinstance(z.array, numpy.ndarray)
    z.grad = numpy.ones((2, 3), numpy.float32)
    z.backward()
    assert isinstance(xv.grad, numpy.ndarray)
    numpy.testing.assert_array_equal(xv.grad, numpy.full((2, 3), 2, numpy.float32))
