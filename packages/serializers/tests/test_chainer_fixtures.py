"""Files written by real Chainer 7.8.1 (../shared/fixtures/chainer/README.md beside the checkout)."""
import os
import zipfile

import numpy
import pytest

import kusari
from kusari.serializers import load_npz, load_hdf5, save_npz, save_hdf5

FIXTURES = os.environ.get('KUSARI_CHAINER_FIXTURES') or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), *(['..'] * 4), 'shared', 'fixtures',
    'chainer')  # ../shared beside the checkout
pytestmark = pytest.mark.skipif(
    not os.path.exists(os.path.join(FIXTURES, 'mlp.npz')),
    reason='Chainer fixtures not available')

PARAM_NAMES = ('l1/W', 'l1/b', 'bn/gamma', 'bn/beta', 'l2/W', 'l2/b')


def _fixture(name):
    return os.path.join(FIXTURES, name)


def _expected():
    with numpy.load(_fixture('expected.npz')) as f:
        return f['x'], f['t'], f['y_eval']


def _forward_eval(model, x):
    """y = l2(relu(bn(l1(x)))) in test mode, by hand with Variable operators."""
    x = kusari.Variable(x)
    h = x @ model.l1.W.T + model.l1.b
    bn = model.bn
    h = bn.gamma * ((h - bn.avg_mean) / numpy.sqrt(bn.avg_var + 2e-5)) + bn.beta
    h = kusari.Variable(numpy.maximum(h.array, 0))
    y = h @ model.l2.W.T + model.l2.b
    return y.array


@pytest.mark.parametrize('loader,name', [(load_npz, 'mlp.npz'),
                                         (load_hdf5, 'mlp.h5')])
def test_chainer_model_gives_y_eval(helpers, loader, name):
    if loader is load_hdf5:
        pytest.importorskip('h5py')
    model = helpers.mlp(seed=30)
    loader(_fixture(name), model)
    assert type(model.bn.N) is int and model.bn.N == 0
    x, _, y_eval = _expected()
    numpy.testing.assert_allclose(_forward_eval(model, x), y_eval, rtol=1e-5,
                                  atol=1e-6)


def test_chainer_model_into_uninitialized(helpers):
    model = helpers.mlp(seed=31)
    with model.init_scope():
        del model.l1
        model.l1 = helpers.uninit_linear()
    load_npz(_fixture('mlp.npz'), model)
    assert model.l1.W.shape == (5, 4) and model.l1.W.dtype == numpy.float32
    x, _, y_eval = _expected()
    numpy.testing.assert_allclose(_forward_eval(model, x), y_eval, rtol=1e-5,
                                  atol=1e-6)


def test_resave_matches_chainer_file(helpers, tmp_path):
    """What kusari writes has Chainer's members, dtypes and values."""
    model = helpers.mlp(seed=32)
    load_npz(_fixture('mlp.npz'), model)
    path = tmp_path / 'again.npz'
    save_npz(path, model)
    with numpy.load(_fixture('mlp.npz')) as a, numpy.load(path) as b:
        assert set(a.files) == set(b.files)
        for key in a.files:
            assert a[key].dtype == b[key].dtype and a[key].shape == b[key].shape
            numpy.testing.assert_array_equal(a[key], b[key])
    with zipfile.ZipFile(path) as zf:
        assert all(info.compress_type == zipfile.ZIP_DEFLATED
                   for info in zf.infolist())


def test_resave_matches_chainer_hdf5(helpers, tmp_path):
    h5py = pytest.importorskip('h5py')
    model = helpers.mlp(seed=33)
    load_hdf5(_fixture('mlp.h5'), model)
    path = tmp_path / 'again.h5'
    save_hdf5(path, model)
    with h5py.File(_fixture('mlp.h5'), 'r') as a, h5py.File(path, 'r') as b:
        for key in ('l1/W', 'l1/b', 'bn/N', 'bn/avg_mean', 'l2/W'):
            assert a[key].dtype == b[key].dtype and a[key].shape == b[key].shape
            assert a[key].compression == b[key].compression
            numpy.testing.assert_array_equal(a[key][()], b[key][()])


def _fixture_grads(model):
    rng = numpy.random.RandomState(5)
    grads = {}
    for name, p in model.namedparams():
        g = rng.uniform(-1, 1, p.shape).astype(p.dtype)
        p.grad = g.copy()
        grads[name.lstrip('/')] = g
    return grads


def _check_adam_continues(model, opt):
    with numpy.load(_fixture('mlp_adam.npz')) as f:
        saved = {k: f[k] for k in f.files}
    params = {n.lstrip('/'): p.array.copy() for n, p in model.namedparams()}
    grads = _fixture_grads(model)
    opt.update()
    assert opt.t == 3
    for name, p in model.namedparams():
        name = name.lstrip('/')
        assert p.update_rule.t == 3
        ref, m, v = _adam_ref(params[name], grads[name], saved[name + '/m'],
                              saved[name + '/v'], t=3)
        numpy.testing.assert_allclose(p.update_rule.state['m'], m, rtol=1e-5,
                                      atol=1e-7)
        numpy.testing.assert_allclose(p.update_rule.state['v'], v, rtol=1e-5,
                                      atol=1e-9)
        numpy.testing.assert_allclose(p.array, ref, rtol=1e-5, atol=1e-6)


def _adam_ref(param, grad, m, v, t):
    import math
    param, grad, m, v = (numpy.asarray(a, numpy.float64) for a in (param, grad, m, v))
    m = m + 0.1 * (grad - m)
    v = v + 0.001 * (grad * grad - v)
    lr = 0.01 * math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
    return param - lr * m / (numpy.sqrt(v) + 1e-8), m, v


def test_chainer_adam_snapshot_core_only(helpers):
    model = helpers.mlp(seed=34)
    load_npz(_fixture('mlp.npz'), model)
    opt = helpers.CoreAdam(alpha=0.01).setup(model)
    load_npz(_fixture('mlp_adam.npz'), opt)
    assert opt.t == 2 and opt.epoch == 0
    assert type(opt.t) is int
    with numpy.load(_fixture('mlp_adam.npz')) as f:
        for name, p in model.namedparams():
            name = name.lstrip('/')
            rule = p.update_rule
            assert rule.t == 2 and type(rule.t) is int
            assert sorted(rule.state) == ['m', 'v']
            numpy.testing.assert_array_equal(rule.state['m'], f[name + '/m'])
            numpy.testing.assert_array_equal(rule.state['v'], f[name + '/v'])
            assert rule.state['m'].dtype == numpy.float32
    _check_adam_continues(model, opt)


def test_chainer_adam_snapshot_real_adam(helpers):
    optimizers = pytest.importorskip('kusari.optimizers')
    if not hasattr(optimizers, 'Adam'):
        pytest.skip('kusari.optimizers.Adam not available')
    model = helpers.mlp(seed=35)
    load_npz(_fixture('mlp.npz'), model)
    opt = optimizers.Adam(alpha=0.01)
    opt.setup(model)
    load_npz(_fixture('mlp_adam.npz'), opt)
    assert opt.t == 2 and opt.epoch == 0
    _check_adam_continues(model, opt)


def test_chainer_model_with_real_links():
    L = pytest.importorskip('kusari.links')
    F = pytest.importorskip('kusari.functions')
    if not all(hasattr(L, n) for n in ('Linear', 'BatchNormalization')) or \
            not hasattr(F, 'relu'):
        pytest.skip('kusari.links.Linear/BatchNormalization not available yet')

    class MLP(kusari.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.l1 = L.Linear(4, 5)
                self.bn = L.BatchNormalization(5)
                self.l2 = L.Linear(5, 3)

        def forward(self, x):
            return self.l2(F.relu(self.bn(self.l1(x))))

    model = MLP()
    load_npz(_fixture('mlp.npz'), model)
    x, _, y_eval = _expected()
    with kusari.using_config('train', False):
        y = model(x).array
    numpy.testing.assert_allclose(y, y_eval, rtol=1e-5, atol=1e-6)
    model2 = MLP()
    load_hdf5(_fixture('mlp.h5'), model2)
    with kusari.using_config('train', False):
        numpy.testing.assert_allclose(model2(x).array, y_eval, rtol=1e-5, atol=1e-6)
