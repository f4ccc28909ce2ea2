"""kusari.distributed: ChainerMN's multi-process training for kusari, over MPI.

Data-parallel training in three lines (launched with ``mpiexec -n N python train.py``)::

    comm = kusari.distributed.create_communicator('flat')   # 'pure_nccl' on GPUs
    optimizer = kusari.distributed.create_multi_node_optimizer(optimizer, comm)
    train = kusari.distributed.scatter_dataset(train, comm, shuffle=True)

Transport is MPI through mpi4py (and NCCL through CuPy on GPUs).
"""
from kusari.distributed import communicators
from kusari.distributed import datasets
from kusari.distributed import global_except_hook
from kusari.distributed.communicators import CommunicatorBase
from kusari.distributed.communicators import create_communicator as _create
from kusari.distributed.datasets import (DataSizeError, create_empty_dataset,
                                         scatter_dataset, scatter_index)
from kusari.distributed.multi_node_optimizer import create_multi_node_optimizer


def create_communicator(communicator_name='pure_nccl', mpi_comm=None,
                        allreduce_grad_dtype=None, batched_copy=False):
    """Create a communicator; see :func:`kusari.distributed.communicators.create_communicator`.

    When the job has more than one process, also installs
    :mod:`~kusari.distributed.global_except_hook` (an uncaught exception on one
    rank aborts the job instead of leaving the others waiting).
    """
    comm = _create(communicator_name, mpi_comm, allreduce_grad_dtype, batched_copy)
    from mpi4py import MPI
    global_except_hook._add_hook_if_enabled(MPI.COMM_WORLD.size)
    return comm


def __getattr__(name):
    # the parts that need kusari-training (or kusari-functions) load on first use
    if name in ('create_multi_node_evaluator', 'create_multi_node_checkpointer',
                'AllreducePersistent', 'ObservationAggregator',
                'MultiNodeEarlyStoppingTrigger'):
        from kusari.distributed import extensions
        return getattr(extensions, name)
    if name in ('create_multi_node_iterator', 'create_synchronized_iterator'):
        from kusari.distributed import iterators
        return getattr(iterators, name)
    if name in ('MultiNodeChainList', 'MultiNodeBatchNormalization', 'create_mnbn_model'):
        from kusari.distributed import links
        return getattr(links, name)
    if name in ('extensions', 'iterators', 'functions', 'links'):
        import importlib
        return importlib.import_module('kusari.distributed.' + name)
    raise AttributeError('module {!r} has no attribute {!r}'.format(__name__, name))


__all__ = ['CommunicatorBase', 'DataSizeError', 'create_communicator',
           'create_empty_dataset', 'create_multi_node_optimizer', 'scatter_dataset',
           'scatter_index', 'create_multi_node_evaluator',
           'create_multi_node_checkpointer', 'create_multi_node_iterator',
           'create_synchronized_iterator', 'AllreducePersistent',
           'ObservationAggregator', 'MultiNodeEarlyStoppingTrigger', 'MultiNodeChainList',
           'MultiNodeBatchNormalization', 'create_mnbn_model', 'communicators', 'datasets',
           'global_except_hook']
