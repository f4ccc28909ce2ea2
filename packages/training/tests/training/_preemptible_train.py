"""A training run that can be killed at any point and restarted (preemption test).

    python _preemptible_train.py OUT ITERATIONS SNAPSHOT_INTERVAL

Every iteration prints ``it <n>``; the snapshot's save function prints
``saving <path>`` after the temporary file is complete and, when the environment
variable ``SLOW_SNAPSHOT`` is set, sleeps that many seconds before the writer
renames it into place (a window for a kill during the write).  At the end the
parameters are written to ``OUT/final.npy``.
"""
import os
import sys
import time

import numpy

import kusari
from kusari import iterators, optimizer as optimizer_module, training
from kusari.serializers import save_npz
from kusari.training import extensions


class Regressor(kusari.Link):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.W = kusari.Parameter(
                numpy.random.RandomState(0).normal(size=4).astype(numpy.float32))

    def forward(self, x, t):
        r = x @ self.W - t
        loss = (r * r) @ numpy.full(len(t), 1.0 / len(t), numpy.float32)
        kusari.report({'loss': loss}, self)
        return loss


class _Rule(kusari.UpdateRule):
    def update_core_cpu(self, param):
        param.array -= self.hyperparam.lr * param.grad


class SGD(kusari.GradientMethod):
    lr = optimizer_module.HyperparameterProxy('lr')

    def __init__(self, lr):
        super().__init__()
        self.hyperparam.lr = lr

    def create_update_rule(self):
        return _Rule(self.hyperparam)


def slow_save(path, obj):
    save_npz(path, obj)
    print('saving', path, flush=True)
    delay = float(os.environ.get('SLOW_SNAPSHOT', '0'))
    if delay:
        time.sleep(delay)


def main(out, n_iter, interval):
    data_rng = numpy.random.RandomState(1)
    x = data_rng.normal(size=(50, 4)).astype(numpy.float32)
    t = (x @ numpy.array([1, -2, 3, 0.5], numpy.float32)).astype(numpy.float32)
    rng = numpy.random.RandomState(2)
    model = Regressor()
    opt = SGD(0.02).setup(model)
    # the sampler's own RandomState travels in the iterator's part of the snapshot,
    # so the resumed run shuffles its later epochs as the uninterrupted one does
    it = iterators.SerialIterator(list(zip(x, t)), 8,
                                  order_sampler=iterators.ShuffleOrderSampler(rng))
    trainer = training.Trainer(training.StandardUpdater(it, opt),
                               (n_iter, 'iteration'), out=out)
    trainer.extend(extensions.snapshot(savefun=slow_save, autoload=True, n_retains=3),
                   trigger=(interval, 'iteration'))
    trainer.extend(extensions.LogReport(trigger=(interval, 'iteration')))

    def progress(trainer):
        print('it', trainer.updater.iteration, flush=True)
        time.sleep(0.02)
    trainer.extend(progress, name='progress')
    trainer.run()
    numpy.save(os.path.join(out, 'final.npy'), model.W.array)


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
