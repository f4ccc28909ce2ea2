"""Chainer's MNIST example, data-parallel over MPI processes (ChainerMN's train_mnist).

The model, iterators, updater and Trainer of ``examples/train_mnist.py``, plus the
three ChainerMN lines: a communicator, a multi-node optimizer (gradients averaged
over the processes) and ``scatter_dataset`` (each process trains on its part);
the evaluator is wrapped so that the reported accuracy is the one of the whole test
set, and only rank 0 prints.  Launch it with MPI:

    pip install kusari-distributed[mpich]          # gives mpiexec
    mpiexec -n 2 python examples/train_mnist_data_parallel.py [--epoch 20]

``--batchsize`` is per process (the global batch is ``batchsize * size``).  On
scikit-learn's digits (offline) it reaches about 0.97-0.98 test accuracy.
"""
import argparse
import os
import sys

import numpy as np

import kusari
import kusari.links as L
from kusari import distributed, training
from kusari.training import extensions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_mnist import MLP, get_digits  # noqa: E402  (the same model and data)


def main(argv=None):
    parser = argparse.ArgumentParser(description='kusari example: data-parallel MNIST')
    parser.add_argument('--batchsize', '-b', type=int, default=16,
                        help='Number of images in each mini-batch, per process')
    parser.add_argument('--communicator', default='flat',
                        help='Communicator: flat, naive (CPU), pure_nccl (GPU)')
    parser.add_argument('--epoch', '-e', type=int, default=20)
    parser.add_argument('--out', '-o', default='result')
    parser.add_argument('--unit', '-u', type=int, default=100)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)

    # 1. the communicator (and, with it, abort-the-job-on-exception)
    comm = distributed.create_communicator(args.communicator)
    if comm.rank == 0:
        print('# processes: {}'.format(comm.size))
        print('# unit: {}'.format(args.unit))
        print('# minibatch-size per process: {}'.format(args.batchsize))
        print('# epoch: {}'.format(args.epoch))

    np.random.seed(args.seed)
    model = L.Classifier(MLP(args.unit, 10))
    # 2. the multi-node optimizer
    optimizer = distributed.create_multi_node_optimizer(kusari.optimizers.Adam(), comm)
    optimizer.setup(model)

    # 3. each process gets its part of the data (rank 0 loads and splits it)
    train, test = get_digits(args.seed) if comm.rank == 0 else (None, None)
    train = distributed.scatter_dataset(train, comm, shuffle=True, seed=args.seed)
    test = distributed.scatter_dataset(test, comm, shuffle=True, seed=args.seed)

    train_iter = kusari.iterators.SerialIterator(train, args.batchsize)
    test_iter = kusari.iterators.SerialIterator(test, args.batchsize, repeat=False,
                                                shuffle=False)
    updater = training.updaters.StandardUpdater(train_iter, optimizer)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)

    evaluator = extensions.Evaluator(test_iter, model)
    trainer.extend(distributed.create_multi_node_evaluator(evaluator, comm))
    if comm.rank == 0:
        trainer.extend(extensions.LogReport())
        trainer.extend(extensions.PrintReport(
            ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
             'validation/main/accuracy', 'elapsed_time']))
    trainer.run()
    if comm.rank == 0:
        final = trainer.get_extension('LogReport').log[-1]
        print('final test accuracy: {:.4f}'.format(final['validation/main/accuracy']))


if __name__ == '__main__':
    main()
