"""Save a model and its optimizer, resume training in a new process, and check that the
resumed run continues exactly where the first one stopped.

An MLP classifies points of three interleaved 2-D spirals (generated from a fixed
seed), trained with Adam plus weight decay.  Everything random is seeded: the
parameters' initialization by ``numpy.random.seed``, and the shuffling of epoch
``e`` by its own ``RandomState([seed, e])``, so an epoch does not depend on how many
ran in the same process before it.  The script

1. trains for ``--stop-at`` epochs and saves the model and the optimizer (Adam's step
   count and moment estimates included) with ``kusari.serializers.save_npz``, plus the
   epoch number;
2. starts a NEW PROCESS, ``save_resume.py --resume DIR``, which builds a fresh model
   and optimizer, loads both files with ``load_npz`` and trains the remaining epochs;
3. trains an uninterrupted run of ``--epochs`` epochs from scratch, and compares:
   the resumed run's per-epoch losses equal the uninterrupted run's.

    python examples/save_resume.py [--epochs 10] [--stop-at 5] [--out DIR]

Exit status 0 when the loss curves match, 1 when they do not (as with
``--model-only``, which leaves the optimizer's state out of the snapshot).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

import kusari as ch
import kusari.functions as F
import kusari.links as L
from kusari import optimizer_hooks
from kusari import optimizers
from kusari import serializers


class MLP(ch.Chain):
    """2 -> n_units -> n_units -> 3 with ReLU."""

    def __init__(self, n_units):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(2, n_units)
            self.l2 = L.Linear(n_units, n_units)
            self.l3 = L.Linear(n_units, 3)

    def forward(self, x):
        return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))


def load_data(n_per_class=500, noise=0.2):
    """Three spirals: ``(3 * n_per_class, 2)`` float32 points and int32 labels 0-2."""
    rng = np.random.RandomState(1234)                  # the data never changes
    r = np.linspace(0.1, 1.0, n_per_class)
    xs, ts = [], []
    for k in range(3):
        theta = np.linspace(0, 4, n_per_class) + 2 * np.pi * k / 3
        theta = theta + noise * rng.randn(n_per_class)
        xs.append(np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1))
        ts.append(np.full(n_per_class, k))
    return np.concatenate(xs).astype(np.float32), np.concatenate(ts).astype(np.int32)


def setup(args):
    """A fresh model and optimizer, initialized from ``args.seed``."""
    np.random.seed(args.seed)
    model = L.Classifier(MLP(args.unit))
    optimizer = optimizers.Adam(alpha=args.lr)
    optimizer.setup(model)
    optimizer.add_hook(optimizer_hooks.WeightDecay(1e-4))
    return model, optimizer


def train(model, optimizer, x, t, epochs, args):
    """Train the given (1-based) epochs; return their mean training losses."""
    losses = []
    for epoch in epochs:
        rng = np.random.RandomState([args.seed, epoch])   # this epoch's shuffling
        perm = rng.permutation(len(x))
        total = 0.0
        for i in range(0, len(x), args.batchsize):
            idx = perm[i:i + args.batchsize]
            optimizer.update(model, x[idx], t[idx])
            total += float(model.loss.array) * len(idx)
        losses.append(total / len(x))
        print('  epoch %2d  mean training loss %.10f  (last minibatch accuracy %.2f)'
              % (epoch, losses[-1], float(model.accuracy.array)))
        sys.stdout.flush()
    return losses


def save(directory, model, optimizer, epoch, model_only=False):
    """Write ``model.npz``, ``optimizer.npz`` (unless ``model_only``) and ``state.json``."""
    serializers.save_npz(os.path.join(directory, 'model.npz'), model)
    if not model_only:
        serializers.save_npz(os.path.join(directory, 'optimizer.npz'), optimizer)
    with open(os.path.join(directory, 'state.json'), 'w') as f:
        json.dump({'epoch': epoch}, f)


def resume(args):
    """The child process: load the snapshot in ``args.resume`` and train the rest."""
    model, optimizer = setup(args)          # fresh parameters, overwritten by the load
    serializers.load_npz(os.path.join(args.resume, 'model.npz'), model)
    opt_file = os.path.join(args.resume, 'optimizer.npz')
    if os.path.exists(opt_file):
        serializers.load_npz(opt_file, optimizer)
    else:
        print('no optimizer snapshot: Adam restarts with zero moments and t=0')
    with open(os.path.join(args.resume, 'state.json')) as f:
        done = json.load(f)['epoch']
    print('resumed process %d from %s: epoch %d, optimizer step t=%d'
          % (os.getpid(), args.resume, done, optimizer.t))
    x, t = load_data()
    losses = train(model, optimizer, x, t, range(done + 1, args.epochs + 1), args)
    print('RESUMED_LOSSES ' + json.dumps([float(v).hex() for v in losses]))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--epochs', '-e', type=int, default=10, help='total epochs')
    p.add_argument('--stop-at', type=int, default=5, help='epochs before the interruption')
    p.add_argument('--batchsize', '-b', type=int, default=50, help='minibatch size')
    p.add_argument('--unit', '-u', type=int, default=64, help='hidden units')
    p.add_argument('--lr', type=float, default=1e-2, help="Adam's alpha")
    p.add_argument('--seed', type=int, default=0, help='random seed')
    p.add_argument('--out', default=None,
                   help='directory for the snapshot (default: a temporary directory)')
    p.add_argument('--model-only', action='store_true',
                   help='save only the model, not the optimizer: the resumed curve then '
                        'departs from the uninterrupted one (a demonstration of why the '
                        'optimizer state matters; exit status 1)')
    p.add_argument('--resume', metavar='DIR', default=None,
                   help='(used by the script itself) load the snapshot in DIR and continue')
    args = p.parse_args(argv)
    if args.resume:
        resume(args)
        return 0
    if not 0 < args.stop_at < args.epochs:
        p.error('--stop-at must be between 1 and --epochs - 1')

    x, t = load_data()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or tmp
        os.makedirs(out, exist_ok=True)

        print('1. training epochs 1-%d, then saving to %s' % (args.stop_at, out))
        model, optimizer = setup(args)
        first = train(model, optimizer, x, t, range(1, args.stop_at + 1), args)
        save(out, model, optimizer, args.stop_at, args.model_only)
        del model, optimizer

        print('2. resuming in a new process')
        cmd = [sys.executable, os.path.abspath(__file__), '--resume', out,
               '--epochs', str(args.epochs), '--batchsize', str(args.batchsize),
               '--unit', str(args.unit), '--lr', repr(args.lr), '--seed', str(args.seed)]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        lines = proc.stdout.splitlines()
        for line in lines:
            if not line.startswith('RESUMED_LOSSES '):
                print('   | ' + line)
        if proc.returncode != 0:
            print('the resumed process failed with status %d' % proc.returncode)
            return 1
        tagged = [ln for ln in lines if ln.startswith('RESUMED_LOSSES ')]
        resumed = [float.fromhex(v) for v in json.loads(tagged[-1].split(' ', 1)[1])]

    print('3. uninterrupted run of %d epochs for comparison' % args.epochs)
    model, optimizer = setup(args)
    full = train(model, optimizer, x, t, range(1, args.epochs + 1), args)

    curve = first + resumed
    diff = max(abs(a - b) for a, b in zip(curve, full))
    print('epoch  interrupted+resumed   uninterrupted')
    for e, (a, b) in enumerate(zip(curve, full), 1):
        mark = '  <- resumed' if e == args.stop_at + 1 else ''
        print('%5d  %.12f      %.12f%s' % (e, a, b, mark))
    same = len(curve) == len(full) and diff == 0.0
    close = len(curve) == len(full) and diff <= 1e-6 * max(abs(v) for v in full)
    if same:
        print('resumed losses equal the uninterrupted run: identical (max difference 0)')
    elif close:
        print('resumed losses equal the uninterrupted run within rounding '
              '(max difference %.3g)' % diff)
    else:
        print('MISMATCH: the resumed run does not continue the loss curve '
              '(max difference %.3g)' % diff)
    return 0 if close else 1


if __name__ == '__main__':
    sys.exit(main())
