"""An unchanged Chainer v7 training script: it says ``import chainer`` and runs on kusari.

Nothing here names kusari.  With the kusari-compat distribution installed (it provides
the ``chainer`` import name, each ``chainer.X`` being the module ``kusari.X``) plus
kusari-functions, -links, -optimizers, -serializers and -training, this is the program
a Chainer user already has: an MLP on scikit-learn's 8x8 digits, trained by a
``Trainer`` with an ``Evaluator``, a log and a snapshot, written exactly as for
Chainer 7.8.1 (which runs it too).  The last line is the test accuracy (about 0.97):

    python examples/chainer_script.py [--epoch 10] [--out result]
"""
import argparse

import numpy as np
from sklearn.datasets import load_digits

import chainer
import chainer.functions as F
import chainer.links as L
from chainer import training
from chainer.training import extensions


class MLP(chainer.Chain):

    def __init__(self, n_units, n_out):
        super(MLP, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def main():
    parser = argparse.ArgumentParser(description='Chainer example: digits')
    parser.add_argument('--batchsize', '-b', type=int, default=32)
    parser.add_argument('--epoch', '-e', type=int, default=10)
    parser.add_argument('--unit', '-u', type=int, default=100)
    parser.add_argument('--out', '-o', default='result')
    args = parser.parse_args()

    np.random.seed(0)
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    t = digits.target.astype(np.int32)
    dataset = chainer.datasets.TupleDataset(x, t)
    train, test = chainer.datasets.split_dataset_random(dataset, 1347, seed=0)

    model = L.Classifier(MLP(args.unit, 10))
    optimizer = chainer.optimizers.Adam()
    optimizer.setup(model)

    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(test, args.batchsize,
                                                 repeat=False, shuffle=False)
    updater = training.updaters.StandardUpdater(train_iter, optimizer)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    trainer.extend(extensions.Evaluator(test_iter, model))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.snapshot(), trigger=(args.epoch, 'epoch'))
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/loss',
         'main/accuracy', 'validation/main/accuracy']))
    trainer.run()

    with chainer.using_config('train', False), chainer.no_backprop_mode():
        xs, ts = chainer.dataset.concat_examples(test)
        accuracy = F.accuracy(model.predictor(xs), ts)
    print('test accuracy: %.4f' % float(accuracy.array))


if __name__ == '__main__':
    main()
