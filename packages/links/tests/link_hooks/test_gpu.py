"""The link hooks on a GPU (skipped without CuPy and a device)."""
import numpy
import pytest

import kusari.links as L
from kusari.link_hooks import SpectralNormalization
from kusari.link_hooks import TimerHook
from kusari.link_hooks import WeightStandardization


@pytest.mark.gpu
def test_spectral_normalization_on_gpu():
    import cupy
    numpy.random.seed(0)
    layer = L.Linear(10, 20)
    hook = SpectralNormalization(n_power_iteration=30)
    layer.add_hook(hook)
    layer.to_gpu()
    assert isinstance(layer.W_u, cupy.ndarray)
    x = cupy.asarray(numpy.random.rand(5, 10).astype(numpy.float32))
    y = layer(x)
    assert isinstance(y.array, cupy.ndarray)
    w = cupy.asnumpy(layer.W.array)
    sigma = numpy.linalg.svd(w, compute_uv=False)[0]
    estimate = float(cupy.asnumpy(layer.W_u @ layer.W.array @ hook.v))
    numpy.testing.assert_allclose(estimate, sigma, rtol=1e-3)


@pytest.mark.gpu
def test_weight_standardization_and_timer_on_gpu():
    import cupy
    conv = L.Convolution2D(3, 4, 3)
    conv.add_hook(WeightStandardization())
    conv.to_gpu()
    x = cupy.ones((1, 3, 5, 5), cupy.float32)
    with TimerHook() as timer:
        y = conv(x)
    assert isinstance(y.array, cupy.ndarray)
    assert timer.summary()['Convolution2D']['occurrence'] == 1
    assert timer.total_time() > 0
