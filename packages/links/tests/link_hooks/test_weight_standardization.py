"""WeightStandardization against a NumPy standardization of the weight."""
import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import gradient_check
from kusari.link_hooks import WeightStandardization


def _standardize(w, eps=1e-5):
    m = w.reshape(w.shape[0], -1)
    mean = m.mean(axis=1, keepdims=True)
    var = m.var(axis=1, keepdims=True)
    return ((m - mean) / numpy.sqrt(var + eps)).reshape(w.shape)


def test_convolution_output():
    numpy.random.seed(0)
    conv = L.Convolution2D(3, 4, 3)
    w = conv.W
    conv.add_hook(WeightStandardization())
    x = numpy.random.rand(2, 3, 6, 6).astype(numpy.float32)
    y = conv(x)
    expected = F.convolution_2d(x, _standardize(w.array), conv.b.array).array
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-4, atol=1e-4)
    assert conv.W is w and isinstance(conv.W, kusari.Parameter)


def test_linear_lazy_initialization_and_gradient():
    numpy.random.seed(0)
    layer = L.Linear(None, 4)
    layer.add_hook(WeightStandardization(eps=1e-3))
    x = numpy.random.rand(3, 5)
    layer(x.astype(numpy.float32))
    assert layer.W.shape == (4, 5)
    numpy.testing.assert_allclose(
        layer(x.astype(numpy.float32)).array,
        x @ _standardize(layer.W.array, 1e-3).T + layer.b.array, rtol=1e-4, atol=1e-5)
    layer.W.array = layer.W.array.astype(numpy.float64)
    layer.b.array = layer.b.array.astype(numpy.float64)
    gradient_check.check_backward(layer, x, numpy.random.rand(3, 4),
                                  params=(layer.W, layer.b), dtype=numpy.float64,
                                  atol=1e-5, rtol=1e-4)


def test_deleted_and_errors():
    layer = L.Linear(5, 4)
    hook = WeightStandardization(name='ws')
    layer.add_hook(hook)
    x = numpy.ones((1, 5), numpy.float32)
    layer.delete_hook('ws')
    numpy.testing.assert_allclose(layer(x).array, x @ layer.W.array.T + layer.b.array,
                                  rtol=1e-6)
    with pytest.raises(ValueError, match="'V'"):
        layer.add_hook(WeightStandardization(weight_name='V'))
    with pytest.raises(NotImplementedError):
        with WeightStandardization():
            pass
