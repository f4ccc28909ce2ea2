"""End to end: a Classifier-wrapped MLP learns the handwritten digits with every optimizer.

The digits ship with scikit-learn (no download): 1797 8x8 images of 10 classes, so
chance is 10%.  Each optimizer, with Chainer's default hyperparameters where they suit
a short run, must reach clearly better-than-chance test accuracy in a few epochs.
"""
import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L

optimizers = pytest.importorskip('kusari.optimizers')
datasets = pytest.importorskip('sklearn.datasets')


def _digits():
    d = datasets.load_digits()
    x = (d.data / 16.0).astype(numpy.float32)
    t = d.target.astype(numpy.int32)
    order = numpy.random.RandomState(0).permutation(len(x))
    x, t = x[order], t[order]
    return (x[:1400], t[:1400]), (x[1400:], t[1400:])


class MLP(kusari.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(64, 64)
            self.l2 = L.Linear(64, 10)

    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))


OPTIMIZERS = {
    'SGD': lambda: optimizers.SGD(lr=0.1),
    'MomentumSGD': lambda: optimizers.MomentumSGD(lr=0.05),
    'NesterovAG': lambda: optimizers.NesterovAG(lr=0.05),
    'CorrectedMomentumSGD': lambda: optimizers.CorrectedMomentumSGD(lr=0.05),
    'AdaGrad': lambda: optimizers.AdaGrad(lr=0.05),
    'AdaDelta': lambda: optimizers.AdaDelta(),
    'RMSprop': lambda: optimizers.RMSprop(lr=0.005),
    'RMSpropGraves': lambda: optimizers.RMSpropGraves(lr=0.001),
    'Adam': lambda: optimizers.Adam(),
    'Adam-amsgrad-wd': lambda: optimizers.Adam(amsgrad=True, weight_decay_rate=1e-4),
    'AdamW': lambda: optimizers.AdamW(weight_decay_rate=1e-4),
    'AMSGrad': lambda: optimizers.AMSGrad(),
    'AdaBound': lambda: optimizers.AdaBound(),
    'AMSBound': lambda: optimizers.AMSBound(),
    'SMORMS3': lambda: optimizers.SMORMS3(lr=0.005),
    'MSVAG': lambda: optimizers.MSVAG(lr=0.1),
}


def test_every_optimizer_is_covered():
    assert {n.split('-')[0] for n in OPTIMIZERS} == {
        n for n in optimizers.__all__ if not n.endswith('Rule')}


@pytest.mark.parametrize('name', sorted(OPTIMIZERS))
def test_classifier_learns_digits(name):
    (x, t), (xt, tt) = _digits()
    numpy.random.seed(1)
    model = L.Classifier(MLP())
    opt = OPTIMIZERS[name]()
    opt.setup(model)
    rng = numpy.random.RandomState(2)
    first_loss = None
    for epoch in range(4):
        order = rng.permutation(len(x))
        for i in range(0, len(x), 50):
            idx = order[i:i + 50]
            opt.update(model, x[idx], t[idx])      # lossfun form: cleargrads, backward
            if first_loss is None:
                first_loss = float(model.loss.array)
        opt.new_epoch()
    with kusari.using_config('train', False), kusari.no_backprop_mode():
        acc = float(F.accuracy(model.predictor(xt), tt).array)
    assert opt.epoch == 4 and opt.t == 4 * 28
    assert float(model.loss.array) < first_loss
    assert acc > 0.6, '%s reached only %.3f test accuracy' % (name, acc)
