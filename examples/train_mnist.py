"""Chainer's MNIST example with the Trainer: an MLP trained by StandardUpdater.

The structure is the one of Chainer's ``examples/mnist/train_mnist.py``: an MLP in
``L.Classifier``, two ``SerialIterator``s, a ``StandardUpdater``, and a ``Trainer``
with ``Evaluator``, ``LogReport``, ``PrintReport``, ``ProgressBar``,
``PlotReport`` and ``snapshot`` (resumable with ``--resume``).

By default it trains on scikit-learn's 8x8 handwritten digits (shipped with
scikit-learn: works offline, about 0.98 test accuracy in a few seconds);
``--dataset mnist`` uses ``kusari.datasets.get_mnist()`` (the files must be in the
dataset root or downloadable):

    python examples/train_mnist.py [--epoch 20] [--unit 100] [--out result]
    python examples/train_mnist.py --resume result/snapshot_iter_500
"""
import argparse

import numpy as np

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import training
from kusari.training import extensions


class MLP(kusari.Chain):
    """Network definition: two hidden layers of ``n_units`` with ReLU."""

    def __init__(self, n_units, n_out):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)   # n_in inferred at the first call
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)

    def forward(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def get_digits(seed=0):
    """scikit-learn's digits as (train, test) TupleDatasets: 1497 / 300 examples."""
    from sklearn.datasets import load_digits
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    t = digits.target.astype(np.int32)
    perm = np.random.RandomState(seed).permutation(len(x))
    x, t = x[perm], t[perm]
    return (kusari.datasets.TupleDataset(x[:-300], t[:-300]),
            kusari.datasets.TupleDataset(x[-300:], t[-300:]))


def main(argv=None):
    parser = argparse.ArgumentParser(description='kusari example: MNIST')
    parser.add_argument('--batchsize', '-b', type=int, default=32,
                        help='Number of images in each mini-batch')
    parser.add_argument('--epoch', '-e', type=int, default=20,
                        help='Number of sweeps over the dataset to train')
    parser.add_argument('--frequency', '-f', type=int, default=-1,
                        help='Frequency of taking a snapshot (epochs)')
    parser.add_argument('--device', '-d', type=str, default='-1',
                        help='Device specifier: -1 (CPU), 0 or @cupy:0 (GPU)')
    parser.add_argument('--out', '-o', default='result',
                        help='Directory to output the result')
    parser.add_argument('--resume', '-r', type=str,
                        help='Resume the training from snapshot')
    parser.add_argument('--unit', '-u', type=int, default=100,
                        help='Number of units')
    parser.add_argument('--dataset', choices=('digits', 'mnist'), default='digits',
                        help='digits: scikit-learn (offline); mnist: get_mnist()')
    parser.add_argument('--noplot', dest='plot', action='store_false',
                        help='Disable PlotReport extension')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)

    np.random.seed(args.seed)
    device = kusari.get_device(int(args.device) if args.device.lstrip('-').isdigit()
                               else args.device)
    print('Device: {}'.format(device))
    print('# unit: {}'.format(args.unit))
    print('# Minibatch-size: {}'.format(args.batchsize))
    print('# epoch: {}'.format(args.epoch))
    print('')

    model = L.Classifier(MLP(args.unit, 10))
    model.to_device(device)
    optimizer = kusari.optimizers.Adam()
    optimizer.setup(model)

    if args.dataset == 'mnist':
        train, test = kusari.datasets.get_mnist()
    else:
        train, test = get_digits(args.seed)

    train_iter = kusari.iterators.SerialIterator(train, args.batchsize)
    test_iter = kusari.iterators.SerialIterator(test, args.batchsize, repeat=False,
                                                shuffle=False)

    updater = training.updaters.StandardUpdater(train_iter, optimizer, device=device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)

    trainer.extend(extensions.Evaluator(test_iter, model, device=device))
    frequency = args.epoch if args.frequency == -1 else max(1, args.frequency)
    trainer.extend(extensions.snapshot(n_retains=1), trigger=(frequency, 'epoch'))
    trainer.extend(extensions.LogReport())
    if args.plot and extensions.PlotReport.available():
        trainer.extend(extensions.PlotReport(
            ['main/loss', 'validation/main/loss'], 'epoch', filename='loss.png'))
        trainer.extend(extensions.PlotReport(
            ['main/accuracy', 'validation/main/accuracy'], 'epoch',
            filename='accuracy.png'))
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
         'validation/main/accuracy', 'elapsed_time']))
    trainer.extend(extensions.ProgressBar())

    if args.resume is not None:
        kusari.serializers.load_npz(args.resume, trainer)

    trainer.run()
    final = trainer.get_extension('LogReport').log[-1]
    print('final test accuracy: {:.4f}'.format(final['validation/main/accuracy']))


if __name__ == '__main__':
    main()
