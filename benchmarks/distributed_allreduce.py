"""Cost of averaging gradients over MPI processes, against a raw mpi4py Allreduce.

    mpiexec -n 2 python benchmarks/distributed_allreduce.py [--params 10000000]
    python benchmarks/distributed_allreduce.py        # re-launches itself on 2 ranks

Measures, on every rank, with a barrier before each repetition, the median of
``--repeat`` runs of:

* ``raw``: ``MPI.COMM_WORLD.Allreduce(IN_PLACE, buf)`` of one float32 buffer of
  ``--params`` elements (40 MB for 10M), plus the division by the size;
* ``flat``: ``multi_node_mean_grad`` of a model holding the same number of float32
  parameters in ``--arrays`` arrays, its gradients kept between calls (after the
  first call they are views of the reduced buffer: one allreduce + one scaling);
* ``flat_fresh_grads``: the same with new gradient arrays before every call (what
  ``cleargrads`` + backward give): pack, one allreduce, scaling;
* ``bucketed_fresh_grads``: the same with the ``bucketed`` communicator (25 MB
  buckets, each one's non-blocking allreduce started as soon as it is packed);
* ``naive``: the same with one allreduce per array;
* ``mlp_step``: one data-parallel update of the digits MLP (784-wide input is not
  needed: 64 inputs, 2x100 hidden, 10 classes) with the global batch split over
  the ranks, against the same step of a single process on the whole batch.

Rank 0 prints one JSON object.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np


def median_time(fn, comm, repeat, setup=None):
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        comm.Barrier()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    # the job is as slow as its slowest rank
    from mpi4py import MPI
    slowest = np.array(times)
    comm.Allreduce(MPI.IN_PLACE, slowest, op=MPI.MAX)
    return float(np.median(slowest))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--params', type=int, default=10_000_000)
    parser.add_argument('--arrays', type=int, default=100)
    parser.add_argument('--repeat', type=int, default=15)
    parser.add_argument('-n', type=int, default=2, help='ranks when self-launching')
    args = parser.parse_args(argv)

    from mpi4py import MPI
    world = MPI.COMM_WORLD
    if world.size == 1 and os.environ.get('KUSARI_BENCH_CHILD') is None:
        here = os.path.join(os.path.dirname(sys.executable), 'mpiexec')
        mpiexec = here if os.path.exists(here) else shutil.which('mpiexec')
        env = dict(os.environ, KUSARI_BENCH_CHILD='1')
        return subprocess.call([mpiexec, '-n', str(args.n), sys.executable,
                                os.path.abspath(__file__)] + (argv or sys.argv[1:]),
                               env=env)

    import kusari
    import kusari.functions as F
    import kusari.links as L
    from kusari import distributed

    per = args.params // args.arrays
    raw = np.ones(per * args.arrays, np.float32)

    def run_raw():
        world.Allreduce(MPI.IN_PLACE, raw, op=MPI.SUM)
        raw[...] *= np.float32(1.0 / world.size)

    class Big(kusari.Link):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                for i in range(args.arrays):
                    setattr(self, 'p{:03d}'.format(i),
                            kusari.Parameter(np.zeros(per, np.float32)))

    model = Big()
    for p in model.params():
        p.grad = np.ones(per, np.float32)
    results = {'ranks': world.size, 'params': per * args.arrays, 'arrays': args.arrays,
               'mpi': MPI.Get_library_version().splitlines()[0].strip()}
    results['raw_allreduce_s'] = median_time(run_raw, world, args.repeat)
    for name in ('flat', 'naive'):
        comm = distributed.create_communicator(name)
        results[name + '_s'] = median_time(
            lambda: comm.multi_node_mean_grad(model), world, args.repeat)
        results[name + '_vs_raw'] = results[name + '_s'] / results['raw_allreduce_s']

    def fresh_grads():
        # what cleargrads + backward give: new gradient arrays at every step
        for p in model.params():
            p.grad = np.ones(per, np.float32)

    for name in ('flat', 'bucketed'):
        comm = distributed.create_communicator(name)
        key = name + '_fresh_grads'
        results[key + '_s'] = median_time(
            lambda: comm.multi_node_mean_grad(model), world, args.repeat, fresh_grads)
        results[key + '_vs_raw'] = results[key + '_s'] / results['raw_allreduce_s']
    model = raw = None      # free 80 MB before the MLP part

    # one step of the digits MLP: global batch 64 split over the ranks vs one process
    rng = np.random.RandomState(0)
    gb = 64
    x = rng.uniform(size=(gb, 64)).astype(np.float32)
    t = rng.randint(0, 10, gb).astype(np.int32)

    def mlp():
        m = kusari.Sequential(L.Linear(64, 100), F.relu, L.Linear(100, 100), F.relu,
                              L.Linear(100, 10))
        return m

    comm = distributed.create_communicator('flat')
    n = gb // world.size
    xs, ts = x[world.rank * n:(world.rank + 1) * n], t[world.rank * n:(world.rank + 1) * n]
    m = mlp()
    opt = distributed.create_multi_node_optimizer(kusari.optimizers.SGD(), comm)
    opt.setup(m)
    opt.update(lambda: F.softmax_cross_entropy(m(xs), ts))       # the broadcast
    results['mlp_step_dp_s'] = median_time(
        lambda: opt.update(lambda: F.softmax_cross_entropy(m(xs), ts)), world,
        args.repeat * 10)
    m1 = mlp()
    opt1 = kusari.optimizers.SGD()
    opt1.setup(m1)
    results['mlp_step_1proc_s'] = median_time(
        lambda: opt1.update(lambda: F.softmax_cross_entropy(m1(x), t)), world,
        args.repeat * 10)
    if world.rank == 0:
        print(json.dumps(results, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
