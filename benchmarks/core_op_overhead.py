"""Per-operation graph overhead with kusari-core alone (operators only), beside PyTorch.

The chain of ``op_overhead`` in ../shared/bench/workloads.py, with the two functions
that core does not have replaced by operators: 100 x (``h * 1.001``, ``h + 0.01``,
``-h``), then ``h @ ones`` as the scalar loss, and backward.  Prints microseconds per op
for kusari, for PyTorch (when importable) and for the bare NumPy calls.

    python benchmarks/core_op_overhead.py [--repeat 7]
"""
import argparse
import json
import statistics
import time

import numpy as np


def timeit(fn, inner, repeat):
    fn()
    fn()
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        ts.append((time.perf_counter() - t0) / inner)
    return statistics.median(ts)


N = 300


def kusari_chain(repeat):
    import kusari
    x = kusari.Variable(np.random.rand(16).astype(np.float32))
    ones = np.ones(16, np.float32)

    def step():
        h = x
        for _ in range(N // 3):
            h = h * 1.001
            h = h + 0.01
            h = -h
        y = h @ ones
        y.backward()
        x.grad = None
    return timeit(step, 5, repeat) / (N + 1)


def torch_chain(repeat):
    import torch
    torch.set_num_threads(1)
    x = torch.rand(16, requires_grad=True)
    ones = torch.ones(16)

    def step():
        h = x
        for _ in range(N // 3):
            h = h * 1.001
            h = h + 0.01
            h = -h
        y = h @ ones
        y.backward()
        x.grad = None
    return timeit(step, 5, repeat) / (N + 1)


def numpy_floor(repeat):
    x = np.random.rand(16).astype(np.float32)
    ones = np.ones(16, np.float32)
    c1, c2 = np.float32(1.001), np.float32(0.01)

    def step():
        h = x
        for _ in range(N // 3):
            h = h * c1
            h = h + c2
            h = -h
        _ = h @ ones
        g = ones
        for _ in range(N // 3):
            g = -g
            g = g * c1
    return timeit(step, 5, repeat) / (N + 1)


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--repeat', type=int, default=7)
    a = p.parse_args()
    res = {'kusari_us_per_op': kusari_chain(a.repeat) * 1e6,
           'numpy_floor_us_per_op': numpy_floor(a.repeat) * 1e6}
    try:
        res['torch_us_per_op'] = torch_chain(a.repeat) * 1e6
        res['ratio_vs_torch'] = res['kusari_us_per_op'] / res['torch_us_per_op']
    except ImportError:
        pass
    print(json.dumps({k: round(v, 3) for k, v in res.items()}))
