"""Train a small convolutional network on scikit-learn's 8x8 handwritten digits.

The images of ``sklearn.datasets.load_digits`` (nothing is downloaded) keep their
shape, ``(N, 1, 8, 8)``, and go through three
``Convolution2D -> BatchNormalization -> ReLU`` blocks, the last two followed by 2x2
max pooling (8x8 -> 4x4 -> 2x2), and a linear classifier, wrapped in
``L.Classifier`` and trained with Adam.  Batch normalization uses batch statistics
while training and its running averages at test time
(``ch.using_config('train', False)``).  The last line is the final test accuracy
(about 0.99 with the defaults).  On a 2-core machine it takes about 7 s with
``OMP_NUM_THREADS=1`` and about 25 s with two BLAS threads, and several times longer
when other processes keep the cores busy (BLAS threads then wait on each other; see
the README's "Performance"):

    python examples/convnet_digits.py [--epochs 8] [--batchsize 32] [--channels 32]
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


class ConvNet(ch.Chain):
    """conv-BN-ReLU (c) -> conv-BN-ReLU (2c) -> pool -> conv-BN-ReLU (2c) -> pool -> linear."""

    def __init__(self, channels, n_out):
        super().__init__()
        c = channels
        with self.init_scope():
            # nobias: the following batch normalization has its own shift (beta).
            self.conv1 = L.Convolution2D(1, c, ksize=3, pad=1, nobias=True)
            self.bn1 = L.BatchNormalization(c)
            self.conv2 = L.Convolution2D(c, 2 * c, ksize=3, pad=1, nobias=True)
            self.bn2 = L.BatchNormalization(2 * c)
            self.conv3 = L.Convolution2D(2 * c, 2 * c, ksize=3, pad=1, nobias=True)
            self.bn3 = L.BatchNormalization(2 * c)
            self.fc = L.Linear(None, n_out)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))                          # (N, c, 8, 8)
        h = F.max_pooling_2d(F.relu(self.bn2(self.conv2(h))), 2)     # (N, 2c, 4, 4)
        h = F.max_pooling_2d(F.relu(self.bn3(self.conv3(h))), 2)     # (N, 2c, 2, 2)
        return self.fc(h)                                            # Linear flattens


def load_data(test_size, seed):
    """Return ``x_train, x_test, t_train, t_test``: (N, 1, 8, 8) float32 images, int32 labels."""
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None]    # add the channel axis
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
    """Mean loss and accuracy in test mode (running BN statistics), without building a graph."""
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
    p.add_argument('--epochs', '-e', type=int, default=8, help='passes over the training set')
    p.add_argument('--batchsize', '-b', type=int, default=32, help='minibatch size')
    p.add_argument('--channels', '-c', type=int, default=32,
                   help='channels of the first convolution (the others have twice as many)')
    p.add_argument('--lr', type=float, default=2e-3, help="Adam's alpha")
    p.add_argument('--test-size', type=float, default=0.25, help='fraction held out for testing')
    p.add_argument('--seed', type=int, default=0, help='random seed (split, init, shuffling)')
    p.add_argument('--no-progress', action='store_true', help='no progress bar (drawn only on a terminal)')
    args = p.parse_args(argv)

    np.random.seed(args.seed)
    x_train, x_test, t_train, t_test = load_data(args.test_size, args.seed)
    print('train: %d images, test: %d images, shape %s'
          % (len(x_train), len(x_test), x_train.shape[1:]))

    model = L.Classifier(ConvNet(args.channels, 10))
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
