"""Train a multi-layer perceptron on scikit-learn's handwritten digits.

The 1797 8x8 grey-level images of ``sklearn.datasets.load_digits`` (shipped with
scikit-learn, nothing is downloaded) are flattened to 64 features, split into a
training and a test set, and classified by a three-layer perceptron wrapped in
``L.Classifier`` (softmax cross entropy and accuracy) and trained with Adam.  Each
epoch prints a plain-text progress bar, the training loss/accuracy and the test
loss/accuracy; the last line is the final test accuracy (about 0.98 with the
defaults, in 5-20 seconds):

    python examples/mlp_digits.py [--epochs 20] [--batchsize 32] [--unit 128]
"""
import argparse
import sys
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import kusari as ch
import kusari.functions as F
import kusari.links as L
from kusari import optimizers


class MLP(ch.Chain):
    """Three fully connected layers with ReLU in between: 64 -> n_units -> n_units -> n_out."""

    def __init__(self, n_units, n_out):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)     # input size inferred on the first call
            self.l2 = L.Linear(n_units, n_units)
            self.l3 = L.Linear(n_units, n_out)

    def forward(self, x):
        h = F.relu(self.l1(x))
        h = F.relu(self.l2(h))
        return self.l3(h)


def load_data(test_size, seed):
    """Return ``x_train, x_test, t_train, t_test``: float32 features in [0, 1], int32 labels."""
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)       # pixel values are 0..16
    t = digits.target.astype(np.int32)
    return train_test_split(x, t, test_size=test_size, random_state=seed, stratify=t)


class ProgressBar:
    """A plain-text progress bar redrawn in place with ``\\r``: ``[#####-----] 21/42``.

    Drawn only on a terminal: into a file or a CI log, ``\\r`` redraws would pile up,
    so there the epoch lines alone are printed.
    """

    def __init__(self, total, width=30, stream=sys.stdout, enabled=True):
        isatty = getattr(stream, 'isatty', None)
        enabled = enabled and isatty is not None and isatty()
        self.total, self.width, self.stream, self.enabled = total, width, stream, enabled

    def update(self, done, text=''):
        if not self.enabled:
            return
        filled = self.width * done // self.total
        bar = '#' * filled + '-' * (self.width - filled)
        self.stream.write('\r[%s] %*d/%d %s' % (bar, len(str(self.total)), done,
                                                self.total, text))
        self.stream.flush()

    def close(self):
        if self.enabled:
            self.stream.write('\r' + ' ' * (self.width + 40) + '\r')
            self.stream.flush()


def evaluate(model, x, t, batchsize):
    """Mean loss and accuracy of a Classifier over ``(x, t)``, in test mode without a graph."""
    loss_sum = acc_sum = 0.0
    with ch.using_config('train', False), ch.no_backprop_mode():
        for i in range(0, len(x), batchsize):
            xb, tb = x[i:i + batchsize], t[i:i + batchsize]
            loss = model(xb, tb)
            loss_sum += float(loss.array) * len(xb)
            acc_sum += float(model.accuracy.array) * len(xb)
    return loss_sum / len(x), acc_sum / len(x)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--epochs', '-e', type=int, default=20, help='passes over the training set')
    p.add_argument('--batchsize', '-b', type=int, default=32, help='minibatch size')
    p.add_argument('--unit', '-u', type=int, default=128, help='hidden units per layer')
    p.add_argument('--lr', type=float, default=1e-3, help="Adam's alpha")
    p.add_argument('--test-size', type=float, default=0.25, help='fraction held out for testing')
    p.add_argument('--seed', type=int, default=0, help='random seed (split, init, shuffling)')
    p.add_argument('--no-progress', action='store_true', help='no progress bar (drawn only on a terminal)')
    args = p.parse_args(argv)

    np.random.seed(args.seed)                  # the initializers draw from numpy.random
    x_train, x_test, t_train, t_test = load_data(args.test_size, args.seed)
    print('train: %d images, test: %d images, %d features'
          % (len(x_train), len(x_test), x_train.shape[1]))

    model = L.Classifier(MLP(args.unit, 10))
    optimizer = optimizers.Adam(alpha=args.lr)
    optimizer.setup(model)

    rng = np.random.RandomState(args.seed)
    n_iter = -(-len(x_train) // args.batchsize)
    start = time.time()
    for epoch in range(1, args.epochs + 1):
        bar = ProgressBar(n_iter, enabled=not args.no_progress)
        perm = rng.permutation(len(x_train))
        loss_sum = acc_sum = 0.0
        for it, i in enumerate(range(0, len(x_train), args.batchsize), 1):
            idx = perm[i:i + args.batchsize]
            # update() calls model(x, t), clears the gradients, runs backward and steps.
            optimizer.update(model, x_train[idx], t_train[idx])
            loss_sum += float(model.loss.array) * len(idx)
            acc_sum += float(model.accuracy.array) * len(idx)
            bar.update(it, 'loss %.4f' % float(model.loss.array))
        bar.close()
        test_loss, test_acc = evaluate(model, x_test, t_test, 256)
        print('epoch %3d  train loss %.4f  acc %.4f  |  test loss %.4f  acc %.4f  (%.1fs)'
              % (epoch, loss_sum / len(x_train), acc_sum / len(x_train),
                 test_loss, test_acc, time.time() - start))
    print('test accuracy: %.4f' % test_acc)
    return test_acc


if __name__ == '__main__':
    main()
