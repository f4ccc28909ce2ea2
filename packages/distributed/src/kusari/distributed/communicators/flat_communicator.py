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

    When the buffer has the gradients' own dtype (host arrays), each gradient
    becomes a view of the reduced buffer instead of being copied back; while the
    gradients stay those views (``zerograds``, accumulation), later reductions
    skip the packing too, and cost one allreduce and one in-place scaling.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._buffer = None

    def _reduce(self, buf):
        MPI = _mpi()
        self.mpi_comm.Allreduce(MPI.IN_PLACE, buf, op=MPI.SUM)

    def _views_in_place(self, grads):
        """True when ``grads`` are exactly the consecutive views of ``self._buffer``."""
        buf = self._buffer
        if buf is None:
            return False
        offset = 0
        itemsize = buf.dtype.itemsize
        base = buf.__array_interface__['data'][0]
        for g in grads:
            if (not isinstance(g, np.ndarray) or g.dtype != buf.dtype
                    or not g.flags.c_contiguous
                    or g.__array_interface__['data'][0] != base + offset * itemsize):
                return False
            offset += g.size
        return offset == buf.size

    def multi_node_mean_grad(self, model, zero_fill=False):
        pairs = _memory.collect_grads(model, zero_fill)
        if not pairs:
            return
        params = [p for p, _ in pairs]
        grads = [g for _, g in pairs]
        xp = _memory.array_module(grads[0])
        dtype = np.dtype(self.allreduce_grad_dtype
                         or np.result_type(*[g.dtype for g in grads]))
        scale = dtype.type(1.0 / self.size)
        if xp is np and self._views_in_place(grads):
            self._reduce(self._buffer)
            self._buffer *= scale
            return
        buf = _memory.pack(grads, dtype, xp)
        if xp is not np:                        # MPI works on host memory here
            host = buf.get()
            self._reduce(host)
            buf = xp.asarray(host)
            _memory.unpack(buf, params, scale)
            return
        self._reduce(buf)
        buf *= scale
        if all(g.dtype == dtype for g in grads):
            # hand the reduced buffer's views to the parameters (no copy back)
            offset = 0
            for p in params:
                n = p.grad.size
                p.grad = buf[offset:offset + n].reshape(p.grad.shape)
                offset += n
            self._buffer = buf
        else:
            self._buffer = None
            _memory.unpack(buf, params, 1)
