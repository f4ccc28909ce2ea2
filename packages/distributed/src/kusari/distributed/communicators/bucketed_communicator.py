"""The bucketed communicator (kusari's): gradients reduced in buckets, non-blocking.

Gradients are packed bucket by bucket into one buffer; each bucket's
``MPI_Iallreduce`` starts as soon as it is packed, so the reduction of one bucket
overlaps the packing of the next (MPI progress is driven by testing the pending
requests between copies).  The result is handed back as views, as in ``flat``.
"""
import numpy as np

from kusari.distributed.communicators import _memory
from kusari.distributed.communicators.flat_communicator import FlatCommunicator
from kusari.distributed.communicators.mpi_communicator_base import _mpi


class BucketedCommunicator(FlatCommunicator):
    """``flat`` with the buffer reduced in buckets of ``bucket_size`` bytes.

    Args:
        mpi_comm: An ``mpi4py.MPI.Comm``.
        bucket_size (int): Bytes per bucket (25 MB by default, as PyTorch's DDP).
    """

    _configs = FlatCommunicator._configs + ('bucket_size',)

    def __init__(self, mpi_comm, batched_copy=False, allreduce_grad_dtype=None,
                 bucket_size=25 * 1024 * 1024):
        super().__init__(mpi_comm, batched_copy, allreduce_grad_dtype)
        if bucket_size <= 0:
            raise ValueError('BucketedCommunicator: bucket_size must be positive, '
                             'got {}'.format(bucket_size))
        self._config['bucket_size'] = int(bucket_size)

    def set_config(self, name, value=True, **kwargs):
        if name == 'bucket_size':
            if int(value) <= 0:
                raise ValueError('BucketedCommunicator: bucket_size must be positive')
            self._config[name] = int(value)
        else:
            super().set_config(name, value, **kwargs)

    def split(self, color, key):
        return type(self)(self.mpi_comm.Split(color, key),
                          bucket_size=self._config['bucket_size'])

    def multi_node_mean_grad(self, model, zero_fill=False):
        pairs = _memory.collect_grads(model, zero_fill)
        if not pairs:
            return
        grads = [g for _, g in pairs]
        dtype = np.dtype(self.allreduce_grad_dtype
                         or np.result_type(*[g.dtype for g in grads]))
        if not all(isinstance(g, np.ndarray) and g.dtype == dtype for g in grads) \
                or self._views_in_place(grads):
            return super().multi_node_mean_grad(model, zero_fill)
        MPI = _mpi()
        params = [p for p, _ in pairs]
        total = sum(int(g.size) for g in grads)
        buf = np.empty(total, dtype=dtype)
        per_bucket = max(1, self._config['bucket_size'] // dtype.itemsize)
        requests = []
        start = offset = 0
        for g in grads:
            n = int(g.size)
            buf[offset:offset + n] = g.ravel()
            offset += n
            if offset - start >= per_bucket:
                requests.append(self.mpi_comm.Iallreduce(MPI.IN_PLACE, buf[start:offset],
                                                         op=MPI.SUM))
                start = offset
            if requests:
                MPI.Request.Testall(requests)       # let MPI progress meanwhile
        if offset > start:
            requests.append(self.mpi_comm.Iallreduce(MPI.IN_PLACE, buf[start:offset],
                                                     op=MPI.SUM))
        MPI.Request.Waitall(requests)
        buf *= dtype.type(1.0 / self.size)
        offset = 0
        for p in params:
            n = p.grad.size
            p.grad = buf[offset:offset + n].reshape(p.grad.shape)
            offset += n
        self._buffer = buf
