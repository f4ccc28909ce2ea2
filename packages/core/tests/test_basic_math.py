"""Variable's operators: values against NumPy, numerical gradients, double backprop."""
import numpy
import pytest

import kusari
from kusari import Variable, gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _tol(dtype):
    if dtype == numpy.float16:
        return dict(atol=5e-2, rtol=5e-2)
    return dict(atol=1e-4, rtol=1e-3)


def _rand(shape, dtype, low=-1, high=1, seed=0):
    return numpy.random.RandomState(seed).uniform(low, high, shape).astype(dtype)


BINARY = [
    ('add', lambda a, b: a + b, lambda a, b: a + b),
    ('sub', lambda a, b: a - b, lambda a, b: a - b),
    ('mul', lambda a, b: a * b, lambda a, b: a * b),
    ('div', lambda a, b: a / b, lambda a, b: a / b),
    ('pow', lambda a, b: a ** b, lambda a, b: a ** b),
]


@pytest.mark.parametrize('name,op,ref', BINARY)
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shapes', [((3, 2), (3, 2)), ((3, 2), (2,)), ((1, 2), (3, 1))])
def test_binary(name, op, ref, dtype, shapes):
    sa, sb = shapes
    a = _rand(sa, dtype, 0.5, 2, 1)
    b = _rand(sb, dtype, 0.5, 2, 2)
    y = op(Variable(a), Variable(b))
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, ref(a, b), **_tol(dtype))
    gy = _rand(y.shape, dtype, seed=3)
    gradient_check.check_backward(op, (a, b), gy, dtype=numpy.float64, **_tol(dtype))
    ggx = (_rand(sa, dtype, seed=4), _rand(sb, dtype, seed=5))
    gradient_check.check_double_backward(op, (a, b), gy, ggx, dtype=numpy.float64,
                                         **_tol(dtype))


CONST = [
    ('radd', lambda x: 2.5 + x, lambda x: 2.5 + x),
    ('add', lambda x: x + 2.5, lambda x: x + 2.5),
    ('sub', lambda x: x - 2.5, lambda x: x - 2.5),
    ('rsub', lambda x: 2.5 - x, lambda x: 2.5 - x),
    ('mul', lambda x: x * 2.5, lambda x: x * 2.5),
    ('rmul', lambda x: 2.5 * x, lambda x: 2.5 * x),
    ('div', lambda x: x / 2.5, lambda x: x / 2.5),
    ('rdiv', lambda x: 2.5 / x, lambda x: 2.5 / x),
    ('pow', lambda x: x ** 3, lambda x: x ** 3),
    ('pow2', lambda x: x ** 2, lambda x: x ** 2),
    ('powf', lambda x: x ** 1.5, lambda x: x ** 1.5),
    ('rpow', lambda x: 2.5 ** x, lambda x: 2.5 ** x),
    ('neg', lambda x: -x, lambda x: -x),
    ('abs', lambda x: abs(x), lambda x: abs(x)),
]


@pytest.mark.parametrize('name,op,ref', CONST)
@pytest.mark.parametrize('dtype', DTYPES)
def test_with_constant(name, op, ref, dtype):
    x = _rand((3, 4), dtype, 0.5, 2)
    if name == 'abs':
        x = x - dtype(1.25)   # both signs, away from 0
        x[numpy.abs(x) < 0.1] = 0.5
    y = op(Variable(x))
    assert y.dtype == dtype, name
    numpy.testing.assert_allclose(y.array, ref(x), **_tol(dtype))
    gy = _rand(x.shape, dtype, seed=1)
    gradient_check.check_backward(op, x, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(op, x, gy, _rand(x.shape, dtype, seed=2),
                                         dtype=numpy.float64, **_tol(dtype))


@pytest.mark.parametrize('shapes', [((3, 4), (4, 2)), ((2, 3, 4), (4, 5)), ((4,), (4, 3)),
                                    ((3, 4), (4,)), ((4,), (4,)), ((2, 1, 3, 4), (5, 4, 2))])
def test_matmul(shapes):
    sa, sb = shapes
    a = _rand(sa, numpy.float64, seed=1)
    b = _rand(sb, numpy.float64, seed=2)
    y = Variable(a) @ Variable(b)
    numpy.testing.assert_allclose(y.array, a @ b)
    gy = _rand(numpy.shape(a @ b), numpy.float64, seed=3)
    gradient_check.check_backward(lambda p, q: p @ q, (a, b), gy)
    gradient_check.check_double_backward(
        lambda p, q: p @ q, (a, b), gy,
        (_rand(sa, numpy.float64, seed=4), _rand(sb, numpy.float64, seed=5)))


def test_array_on_either_side():
    a = numpy.arange(3.0)
    v = Variable(numpy.ones(3))
    for y, ref in [(a + v, a + 1), (v + a, a + 1), (a - v, a - 1), (v - a, 1 - a),
                   (a * v, a), (a / (v + 1.0), a / 2), (a @ v, a.sum()),
                   (v ** a, numpy.ones(3))]:
        assert isinstance(y, Variable)
        numpy.testing.assert_allclose(y.array, ref)
    y = a * v
    y.grad = numpy.ones(3)
    y.backward()
    numpy.testing.assert_allclose(v.grad, a)


def test_numpy_scalar_constants_keep_dtype():
    v = Variable(numpy.ones(2, numpy.float16))
    assert (v * numpy.float64(2)).dtype == numpy.float16
    assert (v + 1).dtype == numpy.float16


def test_mismatched_dtypes_raise_invalid_type():
    a = Variable(numpy.ones(2, numpy.float32))
    b = Variable(numpy.ones(2, numpy.float64))
    for op in (lambda: a + b, lambda: a - b, lambda: a * b, lambda: a / b,
               lambda: a ** b, lambda: a @ b):
        with pytest.raises(InvalidType) as e:
            op()
        assert 'float32 != float64' in str(e.value)
        assert isinstance(e.value, TypeError)


def test_shape_errors_name_the_operation():
    a = Variable(numpy.ones((2, 3)))
    with pytest.raises(InvalidType, match='_ @ _'):
        a @ Variable(numpy.ones((2, 3)))
    with pytest.raises(InvalidType, match=r'_ \+ _'):
        a + Variable(numpy.ones((4,)))
    with pytest.raises(TypeError, match='unsupported operand'):
        a + 'x'


def test_integer_division_by_variable_is_refused():
    with pytest.raises(InvalidType):
        Variable(numpy.ones(2, numpy.int32)) / Variable(numpy.ones(2, numpy.int32))


def test_labels():
    x = Variable(numpy.ones(2))
    assert (x + x).creator.label == '_ + _'
    assert (x * 2.0).creator.label == '_ * 2.0'
    assert (-x).creator.label == '__neg__'


def test_non_contiguous_inputs():
    a = _rand((4, 6), numpy.float64)[:, ::2]
    b = _rand((3, 4), numpy.float64, seed=3).T
    assert not a.flags.c_contiguous
    gradient_check.check_backward(lambda p, q: p * q + p / (q + 3.0), (a, b),
                                  numpy.ones((4, 3)))


def test_broadcast_to_and_sum_to():
    x = _rand((3, 1), numpy.float64)
    y = kusari._core.broadcast_to(Variable(x), (2, 3, 4))
    numpy.testing.assert_array_equal(y.array, numpy.broadcast_to(x, (2, 3, 4)))
    gradient_check.check_backward(lambda v: kusari._core.broadcast_to(v, (2, 3, 4)), x,
                                  _rand((2, 3, 4), numpy.float64))
    z = _rand((2, 3, 4), numpy.float64)
    s = kusari._core.sum_to(Variable(z), (3, 1))
    numpy.testing.assert_allclose(s.array, z.sum(axis=(0, 2)).reshape(3, 1))
    gradient_check.check_double_backward(lambda v: kusari._core.sum_to(v, (3, 1)), z,
                                         _rand((3, 1), numpy.float64), z * 0.5)
    with pytest.raises(InvalidType, match='SumTo'):
        kusari._core.sum_to(Variable(z), (5,))
