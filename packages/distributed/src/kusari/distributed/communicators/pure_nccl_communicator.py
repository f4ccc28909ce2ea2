"""The pure NCCL communicator: gradients reduced on the GPUs by NCCL (cupy.cuda.nccl)."""
import numpy as np

from kusari.distributed.communicators import _memory
from kusari.distributed.communicators.mpi_communicator_base import MpiCommunicatorBase


def _nccl(who):
    try:
        import cupy  # noqa: F401  (NCCL below is part of CuPy)
        from cupy.cuda import nccl
    except ImportError as e:
        raise RuntimeError(
            '{} needs CuPy with NCCL (pip install cupy-cuda12x; NCCL comes with '
            'it); on CPUs use the "naive" or "flat" communicator'.format(who)) from e
    if not getattr(nccl, 'available', True):
        raise RuntimeError('{}: this CuPy was built without NCCL'.format(who))
    return nccl


class PureNcclCommunicator(MpiCommunicatorBase):
    """All gradient traffic over NCCL (intra- and inter-node); MPI only sets it up.

    Args:
        mpi_comm: The MPI communicator whose processes form the NCCL communicator.
        allreduce_grad_dtype: The dtype of the reduction buffer (float16 halves
            the traffic); gradients keep their own dtype.
    """

    def __init__(self, mpi_comm, batched_copy=True, allreduce_grad_dtype=None):
        nccl = _nccl(type(self).__name__)
        super().__init__(mpi_comm, batched_copy, allreduce_grad_dtype)
        uid = mpi_comm.bcast(nccl.get_unique_id() if mpi_comm.rank == 0 else None,
                             root=0)
        self.nccl_comm = nccl.NcclCommunicator(mpi_comm.size, uid, mpi_comm.rank)

    def multi_node_mean_grad(self, model, zero_fill=False):
        import cupy
        nccl = _nccl(type(self).__name__)
        pairs = _memory.collect_grads(model, zero_fill)
        if not pairs:
            return
        grads = [g for _, g in pairs]
        dtype = np.dtype(self.allreduce_grad_dtype
                         or np.result_type(*[g.dtype for g in grads]))
        buf = _memory.pack(grads, dtype, cupy)
        ntype = {2: nccl.NCCL_FLOAT16, 4: nccl.NCCL_FLOAT32,
                 8: nccl.NCCL_FLOAT64}[dtype.itemsize]
        self.nccl_comm.allReduce(buf.data.ptr, buf.data.ptr, buf.size, ntype,
                                 nccl.NCCL_SUM, cupy.cuda.Stream.null.ptr)
        _memory.unpack(buf, [p for p, _ in pairs], 1.0 / self.size)

    def bcast_data(self, model):
        import cupy
        nccl = _nccl(type(self).__name__)
        for _, param in sorted(model.namedparams(), key=lambda kv: kv[0]):
            a = param.array
            if a is None:
                continue
            if isinstance(a, np.ndarray):       # host parameters: over MPI
                self.mpi_comm.Bcast(a, root=0)
                continue
            nbytes = a.size * a.dtype.itemsize
            self.nccl_comm.bcast(a.data.ptr, nbytes, nccl.NCCL_UINT8, 0,
                                 cupy.cuda.Stream.null.ptr)

    def finalize(self):
        comm = getattr(self, 'nccl_comm', None)
        if comm is not None:
            comm.destroy()
            self.nccl_comm = None
