import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _tol(dtype):
    if dtype == numpy.float16:
        return dict(atol=5e-3, rtol=5e-3)
    return dict(atol=1e-5, rtol=1e-4)


def _noncontig(a):
    b = numpy.empty(a.shape + (2,), a.dtype)[..., 0]
    b[...] = a
    return b


CASES = [
    ((2, 3), 1, 'constant', {}),
    ((2, 3), ((1, 0), (2, 1)), 'constant', {'constant_values': 0.5}),
    ((3,), (2, 1), 'constant', {}),
    ((2, 3), ((1, 2), (0, 3)), 'edge', {}),
    ((2, 3), ((1, 1), (2, 2)), 'reflect', {}),
    ((2, 3), ((2, 1), (3, 2)), 'symmetric', {}),
    ((2, 3), ((3, 2), (4, 5)), 'wrap', {}),
]


def _reference(x, pad_width, mode, kw):
    # numpy.pad (in float64) is the reference
    return numpy.pad(x.astype(numpy.float64), pad_width, mode=mode, **kw).astype(x.dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,pad_width,mode,kw', CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, shape, pad_width, mode, kw, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.pad(x if contiguous else _noncontig(x), pad_width, mode, **kw)
    numpy.testing.assert_array_equal(y.array, _reference(x, pad_width, mode, kw))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,pad_width,mode,kw', CASES)
def test_backward(dtype, shape, pad_width, mode, kw):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y_shape = numpy.pad(x, pad_width, mode=mode, **kw).shape
    gy = numpy.random.uniform(-1, 1, y_shape).astype(dtype)
    f = lambda x: F.pad(x, pad_width, mode, **kw)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64,
                                         **_tol(dtype))


def test_edge_gradient_values():
    x = kusari.Variable(numpy.zeros(3, numpy.float32))
    y = F.pad(x, (2, 1), 'edge')
    y.grad = numpy.arange(6, dtype=numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [0 + 1 + 2, 3, 4 + 5])


def test_unsupported_backward_mode():
    x = kusari.Variable(numpy.arange(4, dtype=numpy.float32))
    y = F.pad(x, 1, 'linear_ramp')
    numpy.testing.assert_array_equal(y.array, numpy.pad(x.array, 1, 'linear_ramp'))
    y.grad = numpy.ones(6, numpy.float32)
    with pytest.raises(NotImplementedError, match='pad'):
        y.backward()


def test_invalid():
    with pytest.raises(InvalidType, match='Pad'):
        F.pad(numpy.zeros((2, 3), numpy.int32), 1, 'constant')
    with pytest.raises(ValueError, match='pad'):
        F.pad(numpy.zeros((2, 3), numpy.float32), -1, 'constant')
    with pytest.raises(ValueError, match='pad'):
        F.pad(numpy.zeros((2, 3), numpy.float32), ((1, 1), (1, 1), (1, 1)), 'constant')


@pytest.mark.parametrize('mode', ['constant', 'edge'])
def test_zero_dim_input_is_returned_as_is(mode):
    x = numpy.array(1.5, numpy.float32)
    y = F.pad(x, 1, mode)
    assert y.shape == () and y.array == 1.5
    gradient_check.check_backward(lambda x: F.pad(x, 1, mode), x, numpy.array(2., 'f'))
