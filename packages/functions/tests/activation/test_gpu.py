"""GPU variants: every activation on CuPy arrays agrees with its NumPy result."""
import numpy
import pytest

from kusari import gradient_check
from kusari import testing
from kusari.functions import activation as A

FUNCS = {
    'relu': A.relu, 'relu6': A.relu6, 'tanh': A.tanh, 'sigmoid': A.sigmoid,
    'leaky_relu': A.leaky_relu, 'elu': A.elu, 'selu': A.selu,
    'clipped_relu': lambda x: A.clipped_relu(x, 0.5), 'hard_sigmoid': A.hard_sigmoid,
    'softplus': A.softplus, 'softmax': A.softmax, 'log_softmax': A.log_softmax,
    'softmax_last': lambda x: A.softmax(x, axis=-1), 'crelu': A.crelu,
    'maxout': lambda x: A.maxout(x, 2),
}


@pytest.mark.gpu
@pytest.mark.parametrize('name', sorted(FUNCS))
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_gpu_matches_cpu(name, dtype):
    import cupy
    f = FUNCS[name]
    x = numpy.random.uniform(-1, 1, (3, 4)).astype(dtype)
    x = numpy.where(abs(x) < 0.05, 0.3, x).astype(dtype)
    gy_shape = f(x).shape
    gy = numpy.random.uniform(-1, 1, gy_shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    testing.assert_allclose(f(cupy.asarray(x)).array, f(x).array, **tol)
    gradient_check.check_backward(f, cupy.asarray(x), cupy.asarray(gy),
                                  dtype=numpy.float64, atol=5e-2, rtol=5e-2)


@pytest.mark.gpu
def test_gpu_prelu_swish_rrelu():
    import cupy
    x = numpy.random.uniform(-1, 1, (2, 3)).astype(numpy.float32)
    W = numpy.random.uniform(0.1, 0.5, (3,)).astype(numpy.float32)
    r = numpy.random.uniform(0.1, 0.3, (2, 3)).astype(numpy.float32)
    for f, args in [(A.prelu, (x, W)), (A.swish, (x, W))]:
        testing.assert_allclose(f(*[cupy.asarray(a) for a in args]).array,
                                f(*args).array)
    got = A.rrelu(cupy.asarray(x), r=cupy.asarray(r)).array
    testing.assert_allclose(got, numpy.where(x >= 0, x, x * r))
