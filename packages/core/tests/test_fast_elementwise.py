"""Small-array fast paths of the arithmetic nodes and of the engine's gradient sums
(``_core._fast_elementwise``): bit-identical to NumPy where they apply, and NumPy
(``None``) everywhere else."""
import numpy
import pytest

import kusari
from kusari import _core

fast = _core._fast_elementwise
DTYPES = [numpy.float32, numpy.float64]
SHAPES = [(), (0,), (1,), (16,), (3, 5), (2, 3, 4)]


def _arr(shape, dtype, seed=0):
    rng = numpy.random.default_rng(seed)
    return rng.standard_normal(shape).astype(dtype)


def _same(a, b):
    # bit-identical: equal values, same dtype and shape, NaNs in the same places
    assert type(a) is numpy.ndarray
    assert a.dtype == b.dtype and a.shape == b.shape
    numpy.testing.assert_array_equal(a, b, strict=True)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', SHAPES)
@pytest.mark.parametrize('op,ref', [('add', numpy.add), ('sub', numpy.subtract),
                                    ('mul', numpy.multiply)])
def test_binary_matches_numpy(op, ref, shape, dtype):
    a, b = _arr(shape, dtype, 1), _arr(shape, dtype, 2)
    _same(fast(op, a, b), numpy.asarray(ref(a, b)))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('value', [1.001, -3, 0.1, 1e-30, 2 ** 60])
@pytest.mark.parametrize('op', ['scale', 'shift', 'rsub'])
def test_scalar_matches_numpy(op, value, dtype):
    x = _arr((4, 7), dtype)
    c = dtype(value)          # the nodes pass the constant cast to x's dtype
    ref = {'scale': x * c, 'shift': x + c, 'rsub': c - x}[op]
    _same(fast(op, x, c), ref)


def test_special_values_follow_ieee():
    x = numpy.array([numpy.nan, numpy.inf, -0.0, 0.0, 1.0], numpy.float32)
    y = numpy.array([1.0, 2.0, 0.0, -0.0, numpy.nan], numpy.float32)
    for op, ref in [('add', x + y), ('sub', x - y), ('mul', x * y)]:
        _same(fast(op, x, y), ref)
    _same(fast('neg', x), -x)


@pytest.mark.parametrize('x,y', [
    (numpy.array([3e38], numpy.float32), numpy.array([3e38], numpy.float32)),  # overflow
    (numpy.array([numpy.inf], numpy.float32), numpy.array([-numpy.inf], numpy.float32)),
    (numpy.array([1e-30], numpy.float32), numpy.array([1e-30], numpy.float32)),  # under
])
def test_floating_point_exceptions_go_to_numpy(x, y):
    # a loop that raised an exception flag gives the operation back to NumPy, which
    # reports it as numpy.errstate says
    with numpy.errstate(all='ignore'):
        assert fast('add', x, y) is None or fast('mul', x, y) is None


def test_errstate_keeps_its_meaning_for_variables():
    x = kusari.Variable(numpy.array([3e38, 1.0], numpy.float32))
    with numpy.errstate(over='raise'):
        with pytest.raises(FloatingPointError):
            x * 10.0
        with pytest.raises(FloatingPointError):
            x + x
    with numpy.errstate(over='ignore'):
        numpy.testing.assert_array_equal((x * 10.0).array,
                                         numpy.array([numpy.inf, 10.0], numpy.float32))


@pytest.mark.parametrize('a,b', [
    (numpy.ones(4, numpy.float16), numpy.ones(4, numpy.float16)),        # dtype
    (numpy.ones(4, numpy.int32), numpy.ones(4, numpy.int32)),
    (numpy.ones(4, numpy.float32), numpy.ones(4, numpy.float64)),        # mixed
    (numpy.ones((2, 3), numpy.float32), numpy.ones((3, 2), numpy.float32)),  # shapes
    (numpy.ones((2, 3), numpy.float32), numpy.ones(3, numpy.float32)),   # broadcast
    (numpy.ones((4, 4), numpy.float32)[:, ::2], numpy.ones((4, 2), numpy.float32)),
    (numpy.ones(4, numpy.dtype('>f4')), numpy.ones(4, numpy.dtype('>f4'))),  # swapped
    (numpy.ones(20000, numpy.float32), numpy.ones(20000, numpy.float32)),  # large
    (numpy.ma.ones(4, numpy.float32), numpy.ones(4, numpy.float32)),     # subclass
])
def test_other_operand_pairs_are_left_to_numpy(a, b):
    assert fast('add', a, b) is None
    assert fast('mul', b, a) is None


@pytest.mark.parametrize('x', [
    numpy.ones(4, numpy.float16), numpy.ones(4, numpy.int64),
    numpy.ones((4, 4), numpy.float32).T, numpy.ones(4, numpy.dtype('>f8')),
    numpy.ones(20000, numpy.float64), numpy.ma.ones(4, numpy.float32), [1.0, 2.0],
])
def test_other_operands_are_left_to_numpy(x):
    assert fast('scale', x, 2.0) is None
    assert fast('shift', x, 2.0) is None
    assert fast('neg', x) is None


def test_unknown_op_is_an_error():
    with pytest.raises(ValueError, match='unknown op'):
        fast('pow', numpy.ones(2), numpy.ones(2))


@pytest.mark.parametrize('dtype', DTYPES + [numpy.float16])
@pytest.mark.parametrize('layout', ['contiguous', 'strided'])
def test_variable_arithmetic_matches_numpy_on_every_path(dtype, layout):
    # the public operators give NumPy's results whether or not a fast path applies
    base_a, base_b = _arr((6, 8), dtype, 3), _arr((6, 8), dtype, 4)
    if layout == 'strided':
        base_a, base_b = base_a[:, ::2], base_b[:, ::2]
    a, b = kusari.Variable(base_a), kusari.Variable(base_b)
    c = dtype(1.5)
    checks = [(a + b, base_a + base_b), (a - b, base_a - base_b), (a * b, base_a * base_b),
              (a * 1.5, base_a * c), (a + 1.5, base_a + c), (1.5 - a, c - base_a),
              (-a, -base_a)]
    for got, ref in checks:
        assert got.dtype == dtype
        numpy.testing.assert_array_equal(got.array, ref)


def test_gradients_through_fast_paths():
    # h = x * 3 + x * x - 2 - x: dh/dx = 3 + 2x - 1, summed from four uses of x by
    # the engine (its allocating and its in-place sums)
    xv = _arr((5,), numpy.float32)
    x = kusari.Variable(xv)
    h = x * 3.0 + x * x - 2.0 - x
    h.grad = numpy.ones_like(xv)
    h.backward()
    assert x.grad.dtype == numpy.float32
    numpy.testing.assert_allclose(x.grad, 2 + 2 * xv, rtol=1e-6)
