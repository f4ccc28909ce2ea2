"""The naive communicator: one MPI allreduce per parameter."""
import numpy as np

from kusari.distributed.communicators import _memory
from kusari.distributed.communicators.mpi_communicator_base import (
    MpiCommunicatorBase, _mpi, _to_host, _like)


class NaiveCommunicator(MpiCommunicatorBase):
    """Reduces each gradient with its own ``MPI_Allreduce`` (simple, many small messages)."""

    def multi_node_mean_grad(self, model, zero_fill=False):
        MPI = _mpi()
        dtype = self.allreduce_grad_dtype
        for param, grad in _memory.collect_grads(model, zero_fill):
            host = np.array(_to_host(grad), dtype=dtype or grad.dtype, copy=True)
            self.mpi_comm.Allreduce(MPI.IN_PLACE, host, op=MPI.SUM)
            host *= host.dtype.type(1.0 / self.size)
            param.grad[...] = _like(host.astype(grad.dtype, copy=False), grad)
