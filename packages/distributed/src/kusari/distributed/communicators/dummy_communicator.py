"""The dummy communicator: packs like 'flat' but does not communicate (for timing)."""
import numpy as np

from kusari.distributed.communicators import _memory
from kusari.distributed.communicators.mpi_communicator_base import MpiCommunicatorBase


class DummyCommunicator(MpiCommunicatorBase):
    """Measures the packing cost alone: ``multi_node_mean_grad`` reduces nothing.

    Gradients are packed into one buffer and unpacked unchanged (each process
    keeps its own); use it only to time the rest of a training step.
    """

    def multi_node_mean_grad(self, model, zero_fill=False):
        pairs = _memory.collect_grads(model, zero_fill)
        if not pairs:
            return
        grads = [g for _, g in pairs]
        xp = _memory.array_module(grads[0])
        dtype = self.allreduce_grad_dtype or np.result_type(*[g.dtype for g in grads])
        _memory.unpack(_memory.pack(grads, dtype, xp), [p for p, _ in pairs], 1)
