"""The non-CUDA-aware communicator: NCCL inside a node, MPI on host buffers between nodes."""
from kusari.distributed.communicators import _memory
from kusari.distributed.communicators.mpi_communicator_base import (
    MpiCommunicatorBase, _mpi)
from kusari.distributed.communicators.pure_nccl_communicator import _nccl


class NonCudaAwareCommunicator(MpiCommunicatorBase):
    """For clusters whose MPI cannot read GPU memory (needs CuPy with NCCL).

    Gradients are packed on the GPU, summed within the node with NCCL, the
    node's sum is copied to the host and summed across nodes with MPI, and the
    result is broadcast within the node with NCCL.
    """

    def __init__(self, mpi_comm, batched_copy=False, allreduce_grad_dtype=None):
        nccl = _nccl(type(self).__name__)
        super().__init__(mpi_comm, batched_copy, allreduce_grad_dtype)
        intra = mpi_comm.Split(self.inter_rank, self.intra_rank)
        uid = intra.bcast(nccl.get_unique_id() if intra.rank == 0 else None, root=0)
        self._intra_nccl = nccl.NcclCommunicator(intra.size, uid, intra.rank)
        # the processes with intra_rank 0 (one per node) talk over MPI
        self._inter_mpi = mpi_comm.Split(self.intra_rank, self.inter_rank)
        intra.Free()

    def multi_node_mean_grad(self, model, zero_fill=False):
        import cupy
        nccl = _nccl(type(self).__name__)
        pairs = _memory.collect_grads(model, zero_fill)
        if not pairs:
            return
        grads = [g for _, g in pairs]
        dtype = cupy.dtype(cupy.result_type(*[g.dtype for g in grads]))
        buf = _memory.pack(grads, dtype, cupy)
        stream = cupy.cuda.Stream.null.ptr
        ntype = {'f': {2: nccl.NCCL_FLOAT16, 4: nccl.NCCL_FLOAT32,
                       8: nccl.NCCL_FLOAT64}}[dtype.kind][dtype.itemsize]
        self._intra_nccl.reduce(buf.data.ptr, buf.data.ptr, buf.size, ntype,
                                nccl.NCCL_SUM, 0, stream)
        if self.intra_rank == 0:
            host = buf.get()
            MPI = _mpi()
            self._inter_mpi.Allreduce(MPI.IN_PLACE, host, op=MPI.SUM)
            buf.set(host)
        self._intra_nccl.bcast(buf.data.ptr, buf.size, ntype, 0, stream)
        _memory.unpack(buf, [p for p, _ in pairs], 1.0 / self.size)

    def finalize(self):
        self._intra_nccl = None
