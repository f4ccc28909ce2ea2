"""MultiNodeBatchNormalization: BatchNormalization with statistics over all processes."""
import numpy as np

import kusari
from kusari import configuration

from kusari.distributed.functions.batch_normalization import (
    multi_node_batch_normalization)


class MultiNodeBatchNormalization(kusari.Link):
    """Batch normalization over the union of every process's batch (ChainerMN's).

    In training mode the mean and variance (and, in backward, the gradient sums)
    are allreduced, so 2 processes with 16 examples each normalize exactly like
    one process with the 32; in test mode the running averages are used.

    Args:
        size (int): Number of channels (axis 1).
        comm: A communicator.
        decay (float): Decay of the running averages.
        eps (float): Added to the variance.
        dtype: Parameter dtype (float32 by default).
        use_gamma, use_beta (bool): Learn the scale / the shift.
        initial_gamma, initial_beta: Initializers (1 and 0 by default).
        communication_backend (str): Accepted for compatibility ('auto', 'mpi').
    """

    def __init__(self, size, comm, decay=0.9, eps=2e-5, dtype=None, use_gamma=True,
                 use_beta=True, initial_gamma=None, initial_beta=None,
                 communication_backend='auto'):
        super().__init__()
        dtype = np.dtype(dtype or np.float32)
        self.comm = comm
        self.decay = decay
        self.eps = eps
        self.avg_mean = np.zeros(size, dtype)
        self.register_persistent('avg_mean')
        self.avg_var = np.ones(size, dtype)      # as Chainer's BatchNormalization
        self.register_persistent('avg_var')
        self.N = 0
        self.register_persistent('N')
        self._size, self._dtype = size, dtype
        self.use_gamma, self.use_beta = use_gamma, use_beta
        with self.init_scope():
            if use_gamma:
                self.gamma = kusari.Parameter(
                    1 if initial_gamma is None else initial_gamma, (size,))
            if use_beta:
                self.beta = kusari.Parameter(0 if initial_beta is None else initial_beta,
                                             (size,))

    def forward(self, x, finetune=False):
        gamma = self.gamma if self.use_gamma else kusari.Variable(
            np.ones(self._size, self._dtype))
        beta = self.beta if self.use_beta else kusari.Variable(
            np.zeros(self._size, self._dtype))
        if configuration.config.train:
            decay = 1.0 - 1.0 / (self.N + 1) if finetune else self.decay
            if finetune:
                self.N += 1
            return multi_node_batch_normalization(
                x, gamma, beta, self.comm, self.eps, self.avg_mean, self.avg_var, decay)
        import kusari.functions as F
        return F.fixed_batch_normalization(x, gamma, beta, self.avg_mean, self.avg_var,
                                           self.eps)
