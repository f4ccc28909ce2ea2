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
import os
import resource
import statistics
import time
import timeit

import numpy

from kusari import dataset as D
from kusari import datasets, iterators


def busy_transform(example, cost=1e-3):
    """Burn ``cost`` seconds of CPU time, then return the example.

    A stand-in for data augmentation.  It counts CPU time of this thread, not wall
    time, so an example costs the same CPU whatever else runs on the machine.
    """
    end = time.thread_time() + cost
    while time.thread_time() < end:
        pass
    return example


def sleepy_transform(example, cost=1e-3):
    """Wait ``cost`` seconds without using the CPU (reading a file, say)."""
    time.sleep(cost)
    return example


def make_dataset(n, transform=busy_transform):
    rng = numpy.random.RandomState(0)
    x = rng.rand(n, 784).astype(numpy.float32)
    t = rng.randint(0, 10, size=n).astype(numpy.int32)
    return datasets.TransformDataset(datasets.TupleDataset(x, t), transform)


def examples_per_second(make_iterator, n_batches, batch_size):
    """(examples per wall second, CPU seconds per example in all processes)."""
    it = make_iterator()
    try:
        it.next()                         # start-up (worker processes) not timed
        cpu0 = _cpu()
        start = time.perf_counter()
        for _ in range(n_batches):
            batch = it.next()
            D.concat_examples(batch)
        elapsed = time.perf_counter() - start
    finally:
        it.finalize()                     # reaps the workers: their CPU time counts
    n = n_batches * batch_size
    main_cpu, children_cpu = (b - a for a, b in zip(cpu0, _cpu()))
    # Workers also fetched the first (untimed) batch and the batches still in
    # flight at the end (n_prefetch + 1): their CPU is spread over all of them.
    fetched = (n_batches + 1 + getattr(it, 'n_prefetch', -1) + 1) * batch_size
    return n / elapsed, main_cpu / n + children_cpu / fetched


def _cpu():
    self_ = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (self_.ru_utime + self_.ru_stime, children.ru_utime + children.ru_stime)


def bench_iterators(repeats, n_batches, batch_size, n_processes, io=False):
    ds = make_dataset(4096, sleepy_transform if io else busy_transform)
    serial, multi = [], []
    for _ in range(repeats):
        serial.append(examples_per_second(
            lambda: iterators.SerialIterator(ds, batch_size), n_batches, batch_size))
        multi.append(examples_per_second(
            lambda: iterators.MultiprocessIterator(
                ds, batch_size, n_processes=n_processes, n_prefetch=2),
            n_batches, batch_size))
    s = statistics.median(r for r, _ in serial)
    m = statistics.median(r for r, _ in multi)
    s_cpu = statistics.median(c for _, c in serial)
    m_cpu = statistics.median(c for _, c in multi)
    print('iterators: batch {}, {} batches, {} runs each (alternating), 1 ms {} per '
          'example; load average before: {:.2f}'.format(
              batch_size, n_batches, repeats, 'sleep' if io else 'CPU',
              os.getloadavg()[0]))
    print('  SerialIterator                       {:8.0f} examples/s   {:6.0f} us CPU/example'
          .format(s, s_cpu * 1e6))
    print('  MultiprocessIterator({} processes)    {:8.0f} examples/s   {:6.0f} us CPU/example'
          '   speed-up {:.2f}x'.format(n_processes, m, m_cpu * 1e6, m / s))
    # On n idle cores the workers run in parallel: the speed-up is bounded by
    # n * (serial CPU per example) / (total CPU per example with workers).
    print('  CPU-bound estimate for {} idle cores: {:.2f}x'.format(
        n_processes, n_processes * s_cpu / m_cpu))
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
    print('concat_examples of 100 x (784,) float32, median of {} x {} calls:'.format(
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
              '   (best of each: {:.2f}x)'.format(name, a * 1e6, b * 1e6, a / b,
                                                 min(t_ours) / min(t_ref)))
    return ratios


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true', help='fewer, shorter runs')
    parser.add_argument('--processes', type=int, default=2)
    parser.add_argument('--io', action='store_true',
                        help='also time a transform that sleeps 1 ms (no CPU)')
    args = parser.parse_args()
    runs = (3, 20, 5, 200) if args.quick else (5, 60, 11, 2000)
    bench_iterators(runs[0], runs[1], 32, args.processes)
    if args.io:
        bench_iterators(runs[0], runs[1], 32, args.processes, io=True)
    bench_concat(runs[2], runs[3])


if __name__ == '__main__':
    main()
