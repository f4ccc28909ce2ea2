import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L

import _links_testing as lt


def _mse(y, t):
    return F.mean_squared_error(y, t)


def test_structure_and_defaults():
    model = L.Classifier(L.Linear(4, 3))
    assert sorted(n for n, _ in model.namedparams()) == ['/predictor/W', '/predictor/b']
    assert model.compute_accuracy is True and model.label_key == -1
    assert model.y is None and model.loss is None and model.accuracy is None
    if hasattr(F, 'softmax_cross_entropy'):
        assert model.lossfun is F.softmax_cross_entropy
    if hasattr(F, 'accuracy'):
        assert model.accfun is F.accuracy
    with pytest.raises(TypeError, match='label_key'):
        L.Classifier(L.Linear(4, 3), label_key=1.5)


def test_forward_reports_loss_and_accuracy():
    lt.require_F('linear', 'softmax_cross_entropy', 'accuracy')
    rng = numpy.random.RandomState(0)
    model = L.Classifier(L.Linear(4, 3))
    x = rng.uniform(-1, 1, (5, 4)).astype(numpy.float32)
    t = rng.randint(0, 3, 5).astype(numpy.int32)
    reporter = kusari.Reporter()
    reporter.add_observer('main', model)
    observation = {}
    with reporter.scope(observation):
        loss = model(x, t)
    y = x @ model.predictor.W.array.T + model.predictor.b.array
    logp = y - numpy.log(numpy.exp(y).sum(1, keepdims=True))
    numpy.testing.assert_allclose(loss.array, -logp[numpy.arange(5), t].mean(),
                                  rtol=1e-5)
    numpy.testing.assert_allclose(model.accuracy.array, (y.argmax(1) == t).mean())
    numpy.testing.assert_allclose(model.y.array, y, rtol=1e-5, atol=1e-6)
    assert set(observation) == {'main/loss', 'main/accuracy'}
    numpy.testing.assert_allclose(lt.to_numpy(observation['main/loss']), loss.array)
    model.compute_accuracy = False
    observation = {}
    with reporter.scope(observation):
        model(x, t)
    assert set(observation) == {'main/loss'} and model.accuracy is None


def test_label_key_and_custom_functions():
    lt.require_F('linear', 'mean_squared_error')
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, (3, 2)).astype(numpy.float32)
    t = rng.uniform(-1, 1, (3, 2)).astype(numpy.float32)

    class Pred(kusari.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.l = L.Linear(2, 2)

        def forward(self, x, scale=1.0):
            return self.l(x) * scale

    model = L.Classifier(Pred(), lossfun=_mse, accfun=None, label_key='t')
    model.compute_accuracy = False
    loss = model(x, scale=2.0, t=t)
    y = 2 * (x @ model.predictor.l.W.array.T + model.predictor.l.b.array)
    numpy.testing.assert_allclose(loss.array, ((y - t) ** 2).mean(), rtol=1e-5)
    first = L.Classifier(Pred(), lossfun=_mse, label_key=0)
    first.compute_accuracy = False
    loss = first(t, x)
    y = first.predictor.l.W.array @ x.T
    numpy.testing.assert_allclose(
        loss.array, (((y.T + first.predictor.l.b.array) - t) ** 2).mean(), rtol=1e-5)
    with pytest.raises(ValueError, match='Label key'):
        model(x, t)
    with pytest.raises(ValueError, match='out of bounds'):
        L.Classifier(Pred(), label_key=3)(x, t)


def test_common():
    lt.require_F('linear', 'softmax_cross_entropy', 'accuracy')
    x = numpy.random.RandomState(2).uniform(-1, 1, (4, 3)).astype(numpy.float32)
    t = numpy.array([0, 1, 1, 0], numpy.int32)
    lt.check_common(lambda: L.Classifier(L.Linear(3, 2)), [x, t])


def _dataset(n, seed):
    # three Gaussian blobs in 2-d with noise: learnable, not linearly trivial
    rng = numpy.random.RandomState(seed)
    centers = numpy.array([[0., 2.], [-2., -1.], [2., -1.]], numpy.float32)
    t = rng.randint(0, 3, n).astype(numpy.int32)
    x = centers[t] + rng.normal(0, 0.8, (n, 2)).astype(numpy.float32)
    return x, t


class MLP(kusari.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, 16)
            self.bn = L.BatchNormalization(16)
            self.l2 = L.Linear(16, 3)

    def forward(self, x):
        return self.l2(F.relu(self.bn(self.l1(x))))


def _accuracy(model, x, t):
    with kusari.using_config('train', False), kusari.no_backprop_mode():
        y = model.predictor(x).array
    return float((y.argmax(1) == t).mean())


def test_end_to_end_training_with_sgd():
    lt.require_F('linear', 'relu', 'batch_normalization', 'fixed_batch_normalization',
                 'softmax_cross_entropy', 'accuracy')
    numpy.random.seed(0)
    x, t = _dataset(300, 0)
    xv, tv = _dataset(200, 1)
    model = L.Classifier(MLP())
    rng = numpy.random.RandomState(0)
    for epoch in range(15):
        perm = rng.permutation(len(x))
        for i in range(0, len(x), 30):
            idx = perm[i:i + 30]
            model.cleargrads()
            loss = model(x[idx], t[idx])
            loss.backward()
            for p in model.params():
                p.array -= 0.1 * p.grad
    acc = _accuracy(model, xv, tv)
    assert acc > 0.8, acc      # chance is 1/3


def test_end_to_end_training_with_optimizers():
    try:
        import kusari.optimizers as O
    except ImportError:
        pytest.skip('kusari.optimizers is not available')
    if not hasattr(O, 'SGD'):
        pytest.skip('kusari.optimizers.SGD is not available')
    lt.require_F('linear', 'relu', 'batch_normalization', 'fixed_batch_normalization',
                 'softmax_cross_entropy', 'accuracy')
    numpy.random.seed(1)
    x, t = _dataset(300, 2)
    xv, tv = _dataset(200, 3)
    model = L.Classifier(MLP())
    opt = O.SGD(lr=0.1)
    opt.setup(model)
    rng = numpy.random.RandomState(1)
    for epoch in range(15):
        perm = rng.permutation(len(x))
        for i in range(0, len(x), 30):
            idx = perm[i:i + 30]
            opt.update(model, x[idx], t[idx])
    acc = _accuracy(model, xv, tv)
    assert acc > 0.8, acc


@pytest.mark.gpu
def test_gpu():
    x = numpy.random.RandomState(4).uniform(-1, 1, (4, 3)).astype(numpy.float32)
    t = numpy.array([0, 1, 1, 0], numpy.int32)
    lt.check_gpu_round_trip(lambda: L.Classifier(L.Linear(3, 2)), [x, t])
