"""Files cross between real Chainer 7.8.1 and kusari, in both directions.

Runs in the tox environment ``py311-chainer-interop`` (part of the ``ci`` label), which
installs Chainer 7.8.1 from the package index beside kusari (Chainer needs NumPy < 1.24
and an old setuptools to build).  Both frameworks train the same model in the same
process; each one's ``save_npz`` / ``save_hdf5`` output of a model and of its Adam
optimizer is loaded by the other, which must then predict what the writer predicts and
continue training exactly where the writer would.

Where Chainer is not installed (any other environment) the module skips, unless
``KUSARI_REQUIRE_CHAINER=1`` says that it must be there (the interop environment sets
it, so a broken install fails instead of skipping).
"""
import os

import numpy
import pytest

if os.environ.get('KUSARI_REQUIRE_CHAINER') == '1':
    import chainer
else:
    chainer = pytest.importorskip('chainer', reason='real Chainer is not installed here')

import chainer.functions as CF  # noqa: E402
import chainer.links as CL  # noqa: E402
from chainer import optimizers as c_optimizers  # noqa: E402
from chainer import serializers as c_serializers  # noqa: E402

import kusari  # noqa: E402
import kusari.functions as KF  # noqa: E402
import kusari.links as KL  # noqa: E402
from kusari import optimizers as k_optimizers  # noqa: E402
from kusari import serializers as k_serializers  # noqa: E402

FORMATS = ['npz', 'hdf5']


def test_real_chainer_is_7_8_1():
    assert chainer.__version__ == '7.8.1'


class _Builder:
    """One framework's side: the MLP ``l2(bn(relu(l1(x))))`` and its Adam."""

    def __init__(self, lib):
        self.lib = lib
        if lib == 'chainer':
            self.ch, self.F, self.L, self.opt = chainer, CF, CL, c_optimizers
            self.ser = c_serializers
        else:
            self.ch, self.F, self.L, self.opt = kusari, KF, KL, k_optimizers
            self.ser = k_serializers

    def model(self):
        L = self.L
        return self.ch.Chain(l1=L.Linear(4, 5), bn=L.BatchNormalization(5),
                             l2=L.Linear(5, 3))

    def forward(self, model, x):
        # (batch normalization after the ReLU: a bias right before it would get only a
        # rounding-noise gradient, which Adam magnifies)
        return model.l2(model.bn(self.F.relu(model.l1(x))))

    def optimizer(self, model):
        opt = self.opt.Adam(alpha=0.01)
        opt.setup(model)
        return opt

    def step(self, model, opt, x, t):
        loss = self.F.softmax_cross_entropy(self.forward(model, x), t)
        model.cleargrads()
        loss.backward()
        opt.update()

    def predict(self, model, x):
        with self.ch.using_config('train', False):
            return self.forward(model, x).array

    def save(self, fmt, path, obj):
        getattr(self.ser, 'save_' + fmt)(path, obj)

    def load(self, fmt, path, obj):
        getattr(self.ser, 'load_' + fmt)(path, obj)


def _data():
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, (6, 4)).astype(numpy.float32)
    t = rng.randint(0, 3, 6).astype(numpy.int32)
    return x, t


def _params(model):
    return {name: numpy.array(p.array) for name, p in model.namedparams()}


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('writer,reader', [('chainer', 'kusari'), ('kusari', 'chainer')])
def test_model_and_optimizer_cross_over(writer, reader, fmt, tmp_path):
    if fmt == 'hdf5':
        pytest.importorskip('h5py')
    x, t = _data()
    w, r = _Builder(writer), _Builder(reader)
    numpy.random.seed(0)
    model_w = w.model()
    opt_w = w.optimizer(model_w)
    for _ in range(2):
        w.step(model_w, opt_w, x, t)
    y_w = w.predict(model_w, x)
    ext = '.npz' if fmt == 'npz' else '.h5'
    w.save(fmt, str(tmp_path / ('model' + ext)), model_w)
    w.save(fmt, str(tmp_path / ('opt' + ext)), opt_w)

    numpy.random.seed(123)                       # different initial weights on purpose
    model_r = r.model()
    opt_r = r.optimizer(model_r)
    r.load(fmt, str(tmp_path / ('model' + ext)), model_r)
    r.load(fmt, str(tmp_path / ('opt' + ext)), opt_r)

    # the loaded parameters and running statistics are the writer's, bit for bit
    assert sorted(_params(model_r)) == sorted(_params(model_w))
    for name, value in _params(model_w).items():
        numpy.testing.assert_array_equal(_params(model_r)[name], value, err_msg=name)
    numpy.testing.assert_array_equal(model_r.bn.avg_mean, model_w.bn.avg_mean)
    numpy.testing.assert_array_equal(model_r.bn.avg_var, model_w.bn.avg_var)
    assert int(model_r.bn.N) == int(model_w.bn.N)   # counts only in finetune mode
    assert opt_r.t == opt_w.t == 2
    # the reader predicts what the writer predicts
    numpy.testing.assert_allclose(r.predict(model_r, x), y_w, rtol=1e-5, atol=1e-6)

    # and one more Adam step on each gives the same parameters
    w.step(model_w, opt_w, x, t)
    r.step(model_r, opt_r, x, t)
    for name, value in _params(model_w).items():
        numpy.testing.assert_allclose(_params(model_r)[name], value, rtol=1e-5, atol=1e-6,
                                      err_msg=name)
