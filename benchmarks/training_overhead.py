"""Per-iteration overhead of the Trainer over a hand-written loop (issue 17).

The model is ``mlp_small`` of ``../shared/bench/workloads.py`` (MLP 64-32-32-10 in
``L.Classifier``, batch 32, SGD lr=0.01, one fixed minibatch).  Two loops run the
same number of iterations, alternating, ``--repeat`` times each:

* ``hand``: ``loss = model(x, t); model.cleargrads(); loss.backward(); opt.update()``
  inside a reporter scope (as the workload does, plus the observation);
* ``trainer``: ``Trainer(StandardUpdater(...))`` with LogReport, PrintReport (to a
  null stream) and ProgressBar (to a null stream); the iterator yields the same
  fixed minibatch and the converter returns it (data loading is not measured).
  ``--iterator`` uses a SerialIterator and concat_examples instead.

The trainer's "epoch" is 600 iterations (MNIST at batch 100), so LogReport writes
its log file (atomically) once per 600 iterations.  Prints the median time per
iteration of each and the overhead in percent: the ratio of the medians and the
median of the paired ratios of the alternating runs.  On a loaded machine use
``--cpu-time`` (process CPU time instead of wall time).

    python benchmarks/training_overhead.py [--repeat 31] [--iters 600] [--cpu-time]
"""
import argparse
import io
import os
import statistics
import sys
import tempfile
import time

import numpy as np

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import iterators, optimizers, training
from kusari.training import extensions

CLOCK = time.perf_counter
OUT = tempfile.mkdtemp(prefix='kusari-training-overhead-')
WORKLOADS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                         'shared', 'bench', 'workloads.py')


class MLP(kusari.Chain):
    def __init__(self, n_in, n_units, n_out):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(n_in, n_units)
            self.l2 = L.Linear(n_units, n_units)
            self.l3 = L.Linear(n_units, n_out)

    def forward(self, x):
        return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))


class FixedBatch:
    """An iterator that returns the same minibatch; 600 iterations per epoch (MNIST at batch 100)."""

    def __init__(self, batch):
        self.batch = batch
        self.epoch = 0
        self.iteration = 0
        self.is_new_epoch = False
        self.epoch_detail = 0.0
        self.previous_epoch_detail = None

    def next(self):
        self.previous_epoch_detail = self.epoch_detail
        self.iteration += 1
        self.epoch_detail = self.iteration / 600
        self.is_new_epoch = self.iteration % 600 == 0
        self.epoch = self.iteration // 600
        return self.batch

    def serialize(self, serializer):
        pass

    def finalize(self):
        pass


def setup():
    np.random.seed(0)
    rng = np.random.RandomState(0)
    x = rng.rand(32, 64).astype(np.float32)
    t = rng.randint(0, 10, 32).astype(np.int32)
    model = L.Classifier(MLP(64, 32, 10))
    opt = optimizers.SGD(lr=0.01)
    opt.setup(model)
    return x, t, model, opt


def hand(n):
    x, t, model, opt = setup()
    reporter = kusari.Reporter()
    reporter.add_observer('main', model)
    t0 = CLOCK()
    for _ in range(n):
        with reporter.scope({}):
            loss = model(x, t)
            model.cleargrads()
            loss.backward()
            opt.update()
    return (CLOCK() - t0) / n


def trainer(n, use_iterator):
    x, t, model, opt = setup()
    if use_iterator:
        # the fixed minibatch 600 times: one epoch is 600 iterations here too
        it = iterators.SerialIterator(list(zip(x, t)) * 600, 32, shuffle=False)
        up = training.StandardUpdater(it, opt)
    else:
        up = training.StandardUpdater(FixedBatch((x, t)), opt,
                                      converter=lambda batch, device=None: batch)
    tr = training.Trainer(up, (n, 'iteration'), out=OUT)
    null = io.StringIO()
    tr.extend(extensions.LogReport(filename=None))
    tr.extend(extensions.PrintReport(['epoch', 'main/loss', 'main/accuracy'], out=null))
    tr.extend(extensions.ProgressBar(out=null))
    t0 = CLOCK()
    tr.run()
    return (CLOCK() - t0) / n


def main():
    if not os.path.exists(WORKLOADS):
        print('skipped: {} is absent'.format(os.path.normpath(WORKLOADS)))
        return 0
    p = argparse.ArgumentParser()
    p.add_argument('--iters', type=int, default=600)
    p.add_argument('--repeat', type=int, default=31)
    p.add_argument('--out', default=None,
                   help='output directory of the trainer (LogReport writes its log '
                        'there every epoch; default: a new temporary directory)')
    p.add_argument('--cpu-time', action='store_true',
                   help='measure process CPU time instead of wall time (a loaded '
                        'machine)')
    p.add_argument('--iterator', action='store_true',
                   help='SerialIterator + concat_examples instead of a fixed batch')
    args = p.parse_args()
    global CLOCK, OUT
    if args.out:
        OUT = args.out
    if args.cpu_time:
        CLOCK = time.process_time
    hand(100)
    trainer(100, args.iterator)       # warm-up
    hs, ts, ratios = [], [], []
    for i in range(args.repeat):
        # alternate which runs first, so drifts of the machine cancel out
        if i % 2:
            tt, hh = trainer(args.iters, args.iterator), hand(args.iters)
        else:
            hh, tt = hand(args.iters), trainer(args.iters, args.iterator)
        hs.append(hh)
        ts.append(tt)
        ratios.append(tt / hh)
    h, t = statistics.median(hs), statistics.median(ts)
    print('hand-written loop: {:.1f} us/iteration'.format(h * 1e6))
    print('Trainer + LogReport + PrintReport + ProgressBar{}: {:.1f} us/iteration'
          .format(' (SerialIterator)' if args.iterator else '', t * 1e6))
    print('overhead: {:+.2f}% (ratio of medians), {:+.2f}% (median of the {} paired '
          'ratios), {} time'.format((t / h - 1) * 100,
                                    (statistics.median(ratios) - 1) * 100,
                                    args.repeat, 'CPU' if args.cpu_time else 'wall'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
