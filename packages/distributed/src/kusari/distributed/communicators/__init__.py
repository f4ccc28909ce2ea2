"""Communicators (ChainerMN's): who talks to whom, and how gradients are averaged."""

from kusari.distributed.communicators.communicator_base import CommunicatorBase
from kusari.distributed.communicators.mpi_communicator_base import MpiCommunicatorBase
from kusari.distributed.communicators.naive_communicator import NaiveCommunicator
from kusari.distributed.communicators.flat_communicator import FlatCommunicator
from kusari.distributed.communicators.dummy_communicator import DummyCommunicator
from kusari.distributed.communicators.bucketed_communicator import BucketedCommunicator
from kusari.distributed.communicators.pure_nccl_communicator import PureNcclCommunicator
from kusari.distributed.communicators.non_cuda_aware_communicator import (
    NonCudaAwareCommunicator)

_CLASSES = {
    'naive': NaiveCommunicator,
    'flat': FlatCommunicator,
    'dummy': DummyCommunicator,
    'bucketed': BucketedCommunicator,
    'pure_nccl': PureNcclCommunicator,
    'non_cuda_aware': NonCudaAwareCommunicator,
}
# ChainerMN's older hierarchical variants are superseded by pure_nccl there too
_NOT_PROVIDED = ('hierarchical', 'two_dimensional', 'single_node')


def create_communicator(communicator_name='pure_nccl', mpi_comm=None,
                        allreduce_grad_dtype=None, batched_copy=False):
    """Create a communicator (ChainerMN's ``create_communicator``).

    Args:
        communicator_name (str): ``'naive'`` (one allreduce per parameter, CPU or
            GPU), ``'flat'`` (all gradients in one buffer, one allreduce),
            ``'pure_nccl'`` (GPU, NCCL; the default, as in ChainerMN),
            ``'non_cuda_aware'`` (GPU, NCCL in a node + MPI on host buffers
            between nodes), ``'dummy'`` (no communication, for timing) or
            ``'bucketed'`` (kusari's: ``flat`` reduced in 25 MB buckets with
            non-blocking allreduces overlapping the packing).
        mpi_comm: An ``mpi4py.MPI.Comm``; ``MPI.COMM_WORLD`` when ``None``.
        allreduce_grad_dtype: dtype of the gradient reduction buffer (float16,
            float32 or float64), for ``pure_nccl``, ``flat``, ``naive``.
        batched_copy (bool): Accepted for compatibility (packing is batched).

    Returns:
        A :class:`~kusari.distributed.communicators.CommunicatorBase`.

    >>> comm = create_communicator('naive')
    >>> comm.size >= 1 and 0 <= comm.rank < comm.size
    True
    """
    if communicator_name in _NOT_PROVIDED:
        raise ValueError(
            'create_communicator: communicator {!r} is not provided by kusari; use '
            '"pure_nccl" (GPU) or "flat"/"naive" (CPU)'.format(communicator_name))
    if communicator_name not in _CLASSES:
        raise ValueError(
            'create_communicator: unknown communicator_name {!r}; expected one of '
            '{}'.format(communicator_name, sorted(_CLASSES)))
    from mpi4py import MPI
    if mpi_comm is None:
        mpi_comm = MPI.COMM_WORLD
    if allreduce_grad_dtype is not None and communicator_name == 'non_cuda_aware':
        raise ValueError('create_communicator: allreduce_grad_dtype is not supported '
                         'by the "non_cuda_aware" communicator')
    cls = _CLASSES[communicator_name]
    return cls(mpi_comm, batched_copy=batched_copy,
               allreduce_grad_dtype=allreduce_grad_dtype)


__all__ = ['CommunicatorBase', 'MpiCommunicatorBase', 'NaiveCommunicator',
           'FlatCommunicator', 'DummyCommunicator', 'BucketedCommunicator', 'PureNcclCommunicator',
           'NonCudaAwareCommunicator', 'create_communicator']
