"""Fixtures of the kusari.training tests: a tiny model and optimizer built on
kusari-core only (the package must not need kusari-functions/links), a fake
updater like Chainer's ``testing.get_trainer_with_mock_updater``, and helpers."""
import io

import numpy
import pytest

import kusari
from kusari import optimizer as optimizer_module
from kusari import training
from kusari.serializers import load_npz, save_npz


class Regressor(kusari.Link):
    """Linear least squares ``mean((x @ W - t) ** 2)``; reports ``loss``."""

    def __init__(self, n_in, seed=0):
        super().__init__()
        with self.init_scope():
            rng = numpy.random.RandomState(seed)
            self.W = kusari.Parameter(rng.normal(size=n_in).astype(numpy.float32))

    def forward(self, x, t):
        r = x @ self.W - t
        loss = (r * r) @ numpy.full(len(t), 1.0 / len(t), numpy.float32)
        kusari.report({'loss': loss}, self)
        return loss


class _SGDRule(kusari.UpdateRule):
    def update_core_cpu(self, param):
        param.array -= self.hyperparam.lr * param.grad

    update_core_gpu = update_core_cpu


class SGD(kusari.GradientMethod):
    """Plain SGD built on core's GradientMethod (kusari-optimizers not needed)."""

    lr = optimizer_module.HyperparameterProxy('lr')

    def __init__(self, lr=0.1):
        super().__init__()
        self.hyperparam.lr = lr

    def create_update_rule(self):
        return _SGDRule(self.hyperparam)


def regression_data(n=64, n_in=3, seed=1):
    rng = numpy.random.RandomState(seed)
    x = rng.normal(size=(n, n_in)).astype(numpy.float32)
    w = numpy.arange(1, n_in + 1, dtype=numpy.float32)
    t = (x @ w).astype(numpy.float32)
    return x, t, w


class MockUpdater(training.Updater):
    """An updater that only counts: ``iter_per_epoch`` iterations per epoch."""

    def __init__(self, iter_per_epoch=10, optimizers=None):
        self.iteration = 0
        self.iter_per_epoch = iter_per_epoch
        self.optimizers = optimizers or {}
        self.finalized = False

    @property
    def epoch(self):
        return self.iteration // self.iter_per_epoch

    @property
    def epoch_detail(self):
        return self.iteration / self.iter_per_epoch

    @property
    def previous_epoch_detail(self):
        if self.iteration == 0:
            return None
        return (self.iteration - 1) / self.iter_per_epoch

    @property
    def is_new_epoch(self):
        return self.iteration > 0 and self.iteration % self.iter_per_epoch == 0

    def update(self):
        self.iteration += 1

    def get_optimizer(self, name):
        return self.optimizers[name]

    def get_all_optimizers(self):
        return dict(self.optimizers)

    def finalize(self):
        self.finalized = True

    def serialize(self, serializer):
        self.iteration = serializer('iteration', self.iteration)


def mock_trainer(stop_trigger=(10, 'iteration'), iter_per_epoch=10, out='result',
                 optimizers=None):
    return training.Trainer(MockUpdater(iter_per_epoch, optimizers), stop_trigger,
                            out=out)


def save_and_load(src, dst):
    """Save ``src`` with save_npz and load it into ``dst`` (Chainer's helper)."""
    buf = io.BytesIO()
    save_npz(buf, src)
    load_npz(io.BytesIO(buf.getvalue()), dst)


@pytest.fixture
def out_dir(tmp_path):
    return str(tmp_path / 'result')


@pytest.fixture
def h():
    """The helpers of this file (tests run with --import-mode=importlib, so they
    cannot import conftest)."""
    import types
    return types.SimpleNamespace(
        Regressor=Regressor, SGD=SGD, regression_data=regression_data,
        MockUpdater=MockUpdater, mock_trainer=mock_trainer, save_and_load=save_and_load)
