"""Measure kusari-training's iterators and concat_examples (not a timed test).

1. Examples per second of MultiprocessIterator (2 workers) vs SerialIterator over
   a dataset whose examples each cost ~1 ms of CPU (a busy loop in a
   TransformDataset), MNIST-sized (784 float32 + an int32 label).  Target >= 1.7x
   on two cores.
2. concat_examples of 100 MNIST-sized examples vs a bare numpy.stack (arrays, and
   (x, t) tuples vs two numpy.stack calls).  Target within 1.2x.

Runs alternate between the contenders and the median is reported, so that load
from other processes on the machine hits both alike.

    python packages/training/benchmarks/iterators_bench.py [--quick]
"""
import argparse
import statistics
import time
import timeit

import numpy

from kusari import dataset as D
from kusari import datasets, iterators


def busy_transform(example, cost=1e-3):
    """Burn ``cost`` seconds of CPU, then return the example (a data augmentation stand-in)."""
    end = time.perf_counter() + cost
    while time.perf_counter() < end:
        pass
    return example


def make_dataset(n):
    rng = numpy.random.RandomState(0)
    x = rng.rand(n, 784).astype(numpy.float32)
    t = rng.randint(0, 10, size=n).astype(numpy.int32)
    return datasets.TransformDataset(datasets.TupleDataset(x, t), busy_transform)


def examples_per_second(make_iterator, n_batches, batch_size):
    it = make_iterator()
    try:
        it.next()                         # start-up (worker processes) not timed
        start = time.perf_counter()
        for _ in range(n_batches):
            batch = it.next()
            D.concat_examples(batch)
        elapsed = time.perf_counter() - start
    finally:
        it.finalize()
    return n_batches * batch_size / elapsed


def bench_iterators(repeats, n_batches, batch_size, n_processes):
    ds = make_dataset(4096)
    serial, multi = [], []
    for _ in range(repeats):
        serial.append(examples_per_second(
            lambda: iterators.SerialIterator(ds, batch_size), n_batches, batch_size))
        multi.append(examples_per_second(
            lambda: iterators.MultiprocessIterator(
                ds, batch_size, n_processes=n_processes, n_prefetch=2,
                shared_mem=4096), n_batches, batch_size))
    s, m = statistics.median(serial), statistics.median(multi)
    print('iterators: batch {}, {} batches, {} runs each (alternating), ~1 ms/example'
          .format(batch_size, n_batches, repeats))
    print('  SerialIterator                       {:8.0f} examples/s'.format(s))
    print('  MultiprocessIterator({} processes)    {:8.0f} examples/s   speed-up {:.2f}x'
          .format(n_processes, m, m / s))
    return m / s


def bench_concat(repeats, number):
    rng = numpy.random.RandomState(0)
    arrays = [rng.rand(784).astype(numpy.float32) for _ in range(100)]
    tuples = [(a, numpy.int32(i % 10)) for i, a in enumerate(arrays)]
    cases = {
        'arrays': (lambda: D.concat_examples(arrays), lambda: numpy.stack(arrays)),
        '(x, t) tuples': (
            lambda: D.concat_examples(tuples),
            lambda: (numpy.stack([x for x, _ in tuples]),
                     numpy.asarray([t for _, t in tuples]))),
    }
    print('concat_examples of 100 x (784,) float32, best of {} x {} calls:'.format(
        repeats, number))
    ratios = {}
    for name, (ours, ref) in cases.items():
        t_ours, t_ref = [], []
        for _ in range(repeats):
            t_ours.append(timeit.timeit(ours, number=number) / number)
            t_ref.append(timeit.timeit(ref, number=number) / number)
        a, b = statistics.median(t_ours), statistics.median(t_ref)
        ratios[name] = a / b
        print('  {:14s} concat_examples {:7.1f} us   numpy.stack {:7.1f} us   ratio {:.2f}x'
              .format(name, a * 1e6, b * 1e6, a / b))
    return ratios


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true', help='fewer, shorter runs')
    parser.add_argument('--processes', type=int, default=2)
    args = parser.parse_args()
    if args.quick:
        bench_iterators(3, 20, 32, args.processes)
        bench_concat(5, 200)
    else:
        bench_iterators(5, 60, 32, args.processes)
        bench_concat(11, 2000)


if __name__ == '__main__':
    main()
