"""Time per training step of mlp_mnist (784-1000-1000-10, SGD) against the batch size.

    python benchmarks/batch_scaling.py [--repeat 5]

Prints, for batch sizes 32..1024, the median seconds per step and the time per sample;
linear scaling shows as a roughly constant time per sample once the fixed per-step
overhead is small.
"""
import argparse
import json
import statistics
import time

import numpy as np

import kusari as ch
import kusari.functions as F
import kusari.links as L
from kusari import optimizers


class MLP(ch.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(784, 1000)
            self.l2 = L.Linear(1000, 1000)
            self.l3 = L.Linear(1000, 10)

    def forward(self, x):
        return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--repeat', type=int, default=5)
    a = p.parse_args()
    rng = np.random.RandomState(0)
    model = L.Classifier(MLP())
    opt = optimizers.SGD(lr=0.01).setup(model)
    for batch in (32, 64, 128, 256, 512, 1024):
        x = rng.rand(batch, 784).astype(np.float32)
        t = rng.randint(0, 10, batch).astype(np.int32)
        times = []
        for i in range(a.repeat + 2):
            t0 = time.perf_counter()
            opt.update(model, x, t)
            if i >= 2:
                times.append(time.perf_counter() - t0)
        sec = statistics.median(times)
        print(json.dumps({'batch': batch, 'sec_per_step': round(sec, 5),
                          'us_per_sample': round(sec / batch * 1e6, 1)}))


if __name__ == '__main__':
    main()
