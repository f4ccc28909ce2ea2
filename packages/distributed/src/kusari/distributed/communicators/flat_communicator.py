"""The flat communicator: all gradients packed into one buffer, one allreduce."""
import numpy as np

from kusari.distributed.communicators import _memory
from kusari.distributed.communicators.mpi_communicator_base import (
    MpiCommunicatorBase, _mpi)


class FlatCommunicator(MpiCommunicatorBase):
    """Packs every gradient into one contiguous buffer and reduces it at once.

    With ``allreduce_grad_dtype`` the buffer has that dtype (float16 halves the
    bytes on the wire at float16 precision); the mean is written back in each
    gradient's own dtype.
    """

    def _reduce(self, buf):
        MPI = _mpi()
        self.mpi_comm.Allreduce(MPI.IN_PLACE, buf, op=MPI.SUM)

    def multi_node_mean_grad(self, model, zero_fill=False):
        pairs = _memory.collect_grads(model, zero_fill)
        if not pairs:
            return
        grads = [g for _, g in pairs]
        xp = _memory.array_module(grads[0])
        dtype = self.allreduce_grad_dtype or np.result_type(*[g.dtype for g in grads])
        buf = _memory.pack(grads, dtype, xp)
        if xp is not np:                        # MPI works on host memory here
            host = buf.get()
            self._reduce(host)
            buf = xp.asarray(host)
        else:
            self._reduce(buf)
        _memory.unpack(buf, [p for p, _ in pairs], 1.0 / self.size)
