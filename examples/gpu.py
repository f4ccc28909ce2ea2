"""Train the digits MLP on a GPU: ``model.to_device('@cupy:0')`` and CuPy arrays.

The same model and data as ``mlp_digits.py``.  The model's parameters are moved to
the device with ``model.to_device(device)`` (before the optimizer is set up, so that
its state is created there too), and each minibatch is sent with
``device.send(array)``; everything else, including the training loop, is unchanged:
kusari picks NumPy or CuPy from the arrays it is given.  ``--device @numpy`` runs
the very same code on the CPU.

Without CuPy or without a CUDA device the script prints why and exits with status 77
(the conventional "skipped" status), before doing any work:

    python examples/gpu.py [--device @cupy:0] [--epochs 20]
"""
import argparse
import sys
import time

import numpy as np

import kusari as ch
import kusari.functions as F
import kusari.links as L
from kusari import optimizers
from kusari.backends import cuda

#: Exit status when the requested GPU is not available.
EXIT_NO_GPU = 77


class MLP(ch.Chain):
    """Three fully connected layers with ReLU in between: 64 -> n_units -> n_units -> n_out."""

    def __init__(self, n_units, n_out):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(64, n_units)
            self.l2 = L.Linear(n_units, n_units)
            self.l3 = L.Linear(n_units, n_out)

    def forward(self, x):
        h = F.relu(self.l1(x))
        h = F.relu(self.l2(h))
        return self.l3(h)


def gpu_unavailable_reason():
    """Why no CUDA device can be used (a sentence), or ``None`` when one can."""
    if cuda.cupy is None:
        return 'CuPy is not installed (pip install cupy-cuda12x)'
    if not cuda.available:
        return 'CuPy is installed but no CUDA device is available'
    return None


def evaluate(model, device, x, t, batchsize):
    """Mean loss and accuracy of a Classifier over ``(x, t)`` (host arrays) on ``device``."""
    loss_sum = acc_sum = 0.0
    with ch.using_config('train', False), ch.no_backprop_mode():
        for i in range(0, len(x), batchsize):
            xb, tb = device.send(x[i:i + batchsize]), device.send(t[i:i + batchsize])
            loss = model(xb, tb)
            loss_sum += float(loss.array) * len(xb)          # float() copies to the host
            acc_sum += float(model.accuracy.array) * len(xb)
    return loss_sum / len(x), acc_sum / len(x)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--device', '-d', default='@cupy:0',
                   help="device specifier: '@cupy:N' for GPU N, '@numpy' for the CPU")
    p.add_argument('--epochs', '-e', type=int, default=20, help='passes over the training set')
    p.add_argument('--batchsize', '-b', type=int, default=32, help='minibatch size')
    p.add_argument('--unit', '-u', type=int, default=128, help='hidden units per layer')
    p.add_argument('--seed', type=int, default=0, help='random seed')
    args = p.parse_args(argv)

    if not args.device.strip().startswith('@numpy'):
        reason = gpu_unavailable_reason()
        if reason:
            print('gpu.py: cannot use device %s: %s. Run with --device @numpy to use the '
                  'CPU instead. Exiting with status %d.' % (args.device, reason, EXIT_NO_GPU))
            return EXIT_NO_GPU
    device = ch.get_device(args.device)
    device.use()
    print('device: %s (array module: %s)' % (device, device.xp.__name__))

    # imported here so that the no-GPU exit above is immediate
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    np.random.seed(args.seed)
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    t = digits.target.astype(np.int32)
    x_train, x_test, t_train, t_test = train_test_split(
        x, t, test_size=0.25, random_state=args.seed, stratify=t)

    model = L.Classifier(MLP(args.unit, 10))
    model.to_device(device)                  # parameters now live on the device
    optimizer = optimizers.Adam()
    optimizer.setup(model)
    print('parameter array type: %s' % type(model.predictor.l1.W.array).__module__)

    # The training set is small: send it to the device once, then index it there.
    x_dev, t_dev = device.send(x_train), device.send(t_train)
    rng = np.random.RandomState(args.seed)
    start = time.time()
    for epoch in range(1, args.epochs + 1):
        perm = rng.permutation(len(x_train))
        loss_sum = 0.0
        for i in range(0, len(x_train), args.batchsize):
            idx = device.send(perm[i:i + args.batchsize])
            optimizer.update(model, x_dev[idx], t_dev[idx])
            loss_sum += float(model.loss.array) * len(idx)
        test_loss, test_acc = evaluate(model, device, x_test, t_test, 256)
        print('epoch %3d  train loss %.4f  |  test loss %.4f  acc %.4f  (%.1fs)'
              % (epoch, loss_sum / len(x_train), test_loss, test_acc, time.time() - start))
    print('test accuracy: %.4f' % test_acc)
    return 0


if __name__ == '__main__':
    sys.exit(main())
