"""GPU variants: every elementwise math function on CuPy arrays agrees with NumPy's."""
import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check
from kusari import testing

# name -> (function, inputs' value range); differentiable ones are gradient-checked
UNARY = {
    'absolute': (F.absolute, (0.2, 1)), 'exp': (F.exp, (-1, 1)), 'expm1': (F.expm1, (-1, 1)),
    'log': (F.log, (0.5, 2)), 'log10': (F.log10, (0.5, 2)), 'log1p': (F.log1p, (0, 1)),
    'log2': (F.log2, (0.5, 2)), 'sqrt': (F.sqrt, (0.5, 2)), 'rsqrt': (F.rsqrt, (0.5, 2)),
    'square': (F.square, (-1, 1)), 'sin': (F.sin, (-1, 1)), 'cos': (F.cos, (-1, 1)),
    'tan': (F.tan, (-1, 1)), 'arcsin': (F.arcsin, (-0.8, 0.8)),
    'arccos': (F.arccos, (-0.8, 0.8)), 'arctan': (F.arctan, (-1, 1)),
    'sinh': (F.sinh, (-1, 1)), 'cosh': (F.cosh, (-1, 1)), 'arctanh': (F.arctanh, (-0.8, 0.8)),
    'identity': (F.identity, (-1, 1)), 'clip': (lambda x: F.clip(x, -0.5, 0.5), (-1, 1)),
}
NONDIFF = {'ceil': F.ceil, 'floor': F.floor, 'fix': F.fix, 'sign': F.sign}
BINARY = {
    'arctan2': F.arctan2, 'fmod': F.fmod, 'maximum': F.maximum, 'minimum': F.minimum,
    'squared_difference': F.squared_difference, 'add': F.add,
}


def _x(lo, hi, dtype, seed=0, shape=(3, 4)):
    return numpy.random.RandomState(seed).uniform(lo, hi, shape).astype(dtype)


@pytest.mark.gpu
@pytest.mark.parametrize('name', sorted(UNARY))
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_unary_gpu_matches_cpu(name, dtype):
    import cupy
    f, (lo, hi) = UNARY[name]
    x = _x(lo, hi, dtype)
    testing.assert_allclose(f(cupy.asarray(x)).array, f(x).array, atol=1e-5, rtol=1e-4)
    gy = _x(-1, 1, dtype, 1)
    gradient_check.check_backward(f, cupy.asarray(x), cupy.asarray(gy),
                                  dtype=numpy.float64, atol=1e-3, rtol=1e-3)


@pytest.mark.gpu
@pytest.mark.parametrize('name', sorted(NONDIFF))
def test_nondifferentiable_gpu_matches_cpu(name):
    import cupy
    x = _x(-3, 3, numpy.float32)
    testing.assert_allclose(NONDIFF[name](cupy.asarray(x)).array, NONDIFF[name](x).array)


@pytest.mark.gpu
@pytest.mark.parametrize('name', sorted(BINARY))
def test_binary_gpu_matches_cpu(name):
    import cupy
    f = BINARY[name]
    a, b = _x(0.5, 2, numpy.float64, 2), _x(0.5, 2, numpy.float64, 3)
    testing.assert_allclose(f(cupy.asarray(a), cupy.asarray(b)).array, f(a, b).array)
    gy = _x(-1, 1, numpy.float64, 4)
    gradient_check.check_backward(f, (cupy.asarray(a), cupy.asarray(b)), cupy.asarray(gy),
                                  atol=1e-3, rtol=1e-3)
