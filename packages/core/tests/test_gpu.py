"""GPU variants of the core checks: operators, backward, devices on CuPy arrays."""
import numpy
import pytest

import kusari
from kusari import Variable, gradient_check, testing

OPS = {
    'add': lambda a, b: a + b, 'sub': lambda a, b: a - b, 'mul': lambda a, b: a * b,
    'div': lambda a, b: a / b, 'pow': lambda a, b: a ** b, 'matmul': lambda a, b: a @ b.T,
    'const': lambda a, b: 2.0 * a - b / 3.0 + a ** 2,
    'getitem': lambda a, b: a[1:, ::2] * b[1:, ::2],
    'reshape_T': lambda a, b: a.reshape(4, 3).T * b,
}


@pytest.mark.gpu
@pytest.mark.parametrize('name', sorted(OPS))
def test_operators_on_gpu_match_cpu(name):
    import cupy
    f = OPS[name]
    rng = numpy.random.RandomState(0)
    a = rng.uniform(0.5, 2, (3, 4))
    b = rng.uniform(0.5, 2, (3, 4))
    y_cpu = f(Variable(a), Variable(b))
    y_gpu = f(Variable(cupy.asarray(a)), Variable(cupy.asarray(b)))
    assert isinstance(y_gpu.array, cupy.ndarray)
    testing.assert_allclose(y_gpu.array, y_cpu.array)
    gy = rng.uniform(-1, 1, y_cpu.shape)
    gradient_check.check_backward(f, (cupy.asarray(a), cupy.asarray(b)), cupy.asarray(gy))
    gradient_check.check_double_backward(
        f, (cupy.asarray(a), cupy.asarray(b)), cupy.asarray(gy),
        (cupy.asarray(rng.uniform(-1, 1, a.shape)), cupy.asarray(rng.uniform(-1, 1, b.shape))))


@pytest.mark.gpu
def test_variable_and_parameter_move_between_devices():
    import cupy
    v = Variable(numpy.arange(3, dtype=numpy.float32))
    v.grad = numpy.ones(3, numpy.float32)
    v.to_device('@cupy:0')
    assert isinstance(v.array, cupy.ndarray) and isinstance(v.grad, cupy.ndarray)
    assert v.xp is cupy and v.device == kusari.get_device('@cupy:0')
    v.to_cpu()
    assert isinstance(v.array, numpy.ndarray)
    p = kusari.Parameter(kusari.initializers.One())
    p.to_device('@cupy:0')
    p.initialize((2,))
    assert isinstance(p.array, cupy.ndarray)
    y = (Variable(cupy.ones(3, cupy.float32)) * 2.0)
    y.grad = cupy.ones(3, cupy.float32)
    y.backward()
