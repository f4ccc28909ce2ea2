"""SpectralNormalization: sigma against numpy.linalg.svd, u updates, serialization."""
import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari import serializer
from kusari.link_hooks import SpectralNormalization


def _matrix(w, axis=0):
    w = numpy.moveaxis(w, axis, 0)
    return w.reshape(w.shape[0], -1)


def _sigma(w, axis=0):
    return numpy.linalg.svd(_matrix(w, axis), compute_uv=False)[0]


LAYERS = {
    'Linear': (lambda: L.Linear(10, 20), lambda: numpy.random.rand(5, 10), 0),
    'Convolution2D': (lambda: L.Convolution2D(3, 6, 3),
                      lambda: numpy.random.rand(2, 3, 5, 5), 0),
    'Deconvolution2D': (lambda: L.Deconvolution2D(3, 6, 3),
                        lambda: numpy.random.rand(2, 3, 4, 4), 1),
    'EmbedID': (lambda: L.EmbedID(10, 20), lambda: numpy.arange(10, dtype=numpy.int32),
                0),
}


def _make(name, **kw):
    numpy.random.seed(0)
    make_layer, make_x, axis = LAYERS[name]
    layer = make_layer()
    x = make_x()
    if x.dtype.kind == 'f':
        x = x.astype(numpy.float32)
    hook = SpectralNormalization(**kw)
    layer.add_hook(hook)
    return layer, hook, x, axis


@pytest.mark.parametrize('name', sorted(LAYERS))
def test_sigma_matches_svd_after_power_iterations(name):
    layer, hook, x, axis = _make(name, n_power_iteration=30)
    w = layer.W.array.copy()
    assert getattr(layer, 'W_u').shape == (w.shape[axis],)
    for _ in range(3):
        layer(x)
    m = _matrix(w, axis)
    u = layer.W_u
    estimate = u @ m @ hook.v
    numpy.testing.assert_allclose(estimate, _sigma(w, axis), rtol=1e-4)
    # the weight used in forward has spectral norm 1
    with kusari.using_config('train', False):
        hook.original_weight = None
        normalized = hook.normalize_weight(layer).array
    numpy.testing.assert_allclose(_sigma(normalized, axis), 1, rtol=1e-4)
    assert layer.W.array is not normalized and isinstance(layer.W, kusari.Parameter)
    numpy.testing.assert_array_equal(layer.W.array, w)


def test_output_is_the_layer_with_the_normalized_weight():
    layer, hook, x, _ = _make('Linear', n_power_iteration=50)
    layer(x)
    with kusari.using_config('train', False):
        y = layer(x).array
    w = layer.W.array
    expected = x @ (w / _sigma(w)).T + layer.b.array
    numpy.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)


def test_u_updated_in_training_only_and_weight_stays_a_parameter():
    layer, hook, x, _ = _make('Linear')
    w = layer.W
    u0 = layer.W_u.copy()
    y1 = layer(x).array
    u1 = layer.W_u.copy()
    assert layer.W is w
    assert not numpy.array_equal(u0, u1)
    y2 = layer(x).array
    assert not numpy.array_equal(u1, layer.W_u) and not numpy.array_equal(y1, y2)
    with kusari.using_config('train', False):
        u2 = layer.W_u.copy()
        y3 = layer(x).array
        v2 = hook.v.copy()
        y4 = layer(x).array
        numpy.testing.assert_array_equal(u2, layer.W_u)
        numpy.testing.assert_array_equal(v2, hook.v)
        numpy.testing.assert_allclose(y3, y4)


def test_in_recomputing_keeps_vectors():
    layer, hook, x, _ = _make('Linear')
    y1 = layer(x).array
    u1, v1 = layer.W_u.copy(), hook.v.copy()
    with kusari.using_config('in_recomputing', True):
        y2 = layer(x).array
    numpy.testing.assert_array_equal(u1, layer.W_u)
    numpy.testing.assert_array_equal(v1, hook.v)
    numpy.testing.assert_allclose(y1, y2)


def test_gradient_flows_to_the_weight():
    layer, hook, x, _ = _make('Linear')
    layer(x)
    x = x.astype(numpy.float64)
    layer.W.array = layer.W.array.astype(numpy.float64)
    layer.b.array = layer.b.array.astype(numpy.float64)
    layer.W_u = layer.W_u.astype(numpy.float64)
    hook.v = hook.v.astype(numpy.float64)
    gy = numpy.random.RandomState(1).normal(size=(5, 20))
    # u and v held fixed (as when recomputing): the gradient treats them as constants
    with kusari.using_config('in_recomputing', True):
        gradient_check.check_backward(layer, x, gy, params=(layer.W, layer.b),
                                      dtype=numpy.float64, atol=1e-5, rtol=1e-4)


def test_use_gamma_and_factor():
    layer, hook, x, _ = _make('Linear', use_gamma=True, n_power_iteration=50)
    w = layer.W.array
    assert isinstance(layer.gamma, kusari.Parameter) and layer.gamma.shape == ()
    numpy.testing.assert_allclose(layer.gamma.array, _sigma(w), rtol=1e-5)
    assert any(name == '/gamma' for name, _ in layer.namedparams())
    with kusari.using_config('train', False):
        y = layer(x).array
    numpy.testing.assert_allclose(y, x @ w.T + layer.b.array, rtol=1e-4, atol=1e-4)
    layer2, hook2, x2, _ = _make('Linear', factor=2.0, n_power_iteration=50)
    with kusari.using_config('train', False):
        y2 = layer2(x2).array
    w2 = layer2.W.array
    numpy.testing.assert_allclose(y2, x2 @ (2 * w2 / _sigma(w2)).T + layer2.b.array,
                                  rtol=1e-4, atol=1e-4)


def test_lazy_initialization():
    numpy.random.seed(0)
    layer = L.Linear(None, 20)
    hook = SpectralNormalization(use_gamma=True)
    layer.add_hook(hook)
    assert not hasattr(layer, 'W_u') and not hasattr(layer, 'gamma')
    with kusari.using_config('train', False):
        layer(numpy.ones((5, 10), numpy.float32))
    assert layer.W.shape == (20, 10) and layer.W_u.shape == (20,)
    assert layer.gamma.shape == ()


def test_deleted():
    layer, hook, x, _ = _make('Linear', use_gamma=True)
    y1 = layer(x).array
    layer.delete_hook(hook.name)
    assert not hasattr(layer, 'W_u') and not hasattr(layer, 'gamma')
    assert 'W_u' not in layer._persistent
    y3 = layer(x).array
    assert not numpy.array_equal(y1, y3)
    numpy.testing.assert_allclose(y3, x @ layer.W.array.T + layer.b.array, rtol=1e-5)


class _DictSerializer(serializer.Serializer):
    def __init__(self, target, path=''):
        self.target, self.path = target, path

    def __getitem__(self, key):
        return _DictSerializer(self.target, self.path + key + '/')

    def __call__(self, key, value):
        self.target[self.path + key] = None if value is None else numpy.array(value)
        return value


class _DictDeserializer(serializer.Deserializer):
    def __init__(self, source, path=''):
        self.source, self.path = source, path

    def __getitem__(self, key):
        return _DictDeserializer(self.source, self.path + key + '/')

    def __call__(self, key, value):
        data = self.source[self.path + key]
        if value is None:
            return data
        value[...] = data
        return value


def test_u_is_serialized_like_chainer():
    layer1, hook1, x, _ = _make('Linear')
    layer1(x)
    with kusari.using_config('train', False):
        y1 = layer1(x).array
    saved = {}
    layer1.serialize(_DictSerializer(saved))
    assert set(saved) == {'W', 'b', 'W_u'}   # Chainer's key for u: '<weight>_u'
    numpy.random.seed(5)
    layer2 = L.Linear(10, 20)
    layer2.add_hook(SpectralNormalization())
    assert not numpy.array_equal(layer2.W_u, layer1.W_u)
    layer2.serialize(_DictDeserializer(saved))
    numpy.testing.assert_array_equal(layer2.W_u, layer1.W_u)
    with kusari.using_config('train', False):
        numpy.testing.assert_allclose(layer2(x).array, y1, rtol=1e-6)


def test_npz_round_trip(tmp_path):
    serializers = pytest.importorskip('kusari.serializers',
                                      reason='kusari-serializers is not installed')
    layer1, hook1, x, _ = _make('Linear')
    layer1(x)
    path = str(tmp_path / 'sn.npz')
    serializers.save_npz(path, layer1)
    with numpy.load(path) as f:
        numpy.testing.assert_array_equal(f['W_u'], layer1.W_u)
    layer2 = L.Linear(10, 20)
    layer2.add_hook(SpectralNormalization())
    serializers.load_npz(path, layer2)
    numpy.testing.assert_array_equal(layer2.W_u, layer1.W_u)


def test_errors():
    with pytest.raises(ValueError, match="'w'"):
        L.Linear(5, 20).add_hook(SpectralNormalization(weight_name='w'))
    with pytest.raises(NotImplementedError, match='add_hook'):
        with SpectralNormalization():
            pass
    with pytest.raises(ValueError, match=r'shape\[0\] > 0'):
        L.Linear(10, 0).add_hook(SpectralNormalization())
    with pytest.raises(ValueError, match='n_power_iteration'):
        SpectralNormalization(n_power_iteration=0)
