"""Batch normalization over the whole batch of all processes (statistics allreduced)."""
import numpy as np

import kusari
from kusari import function_node


def _axes(x):
    # per-channel statistics: channels on axis 1, everything else reduced
    return (0,) + tuple(range(2, x.ndim))


def _bshape(x):
    return (1, -1) + (1,) * (x.ndim - 2)


class MultiNodeBNFunction(function_node.FunctionNode):
    """y = gamma * (x - mean) / sqrt(var + eps) + beta, mean/var over every process."""

    def __init__(self, comm, eps, running_mean=None, running_var=None, decay=0.9):
        self.comm = comm
        self.eps = eps
        self.running_mean = running_mean
        self.running_var = running_var
        self.decay = decay

    def forward(self, inputs):
        x, gamma, beta = inputs
        axes = _axes(x)
        local_n = x.size // x.shape[1]
        stats = np.concatenate([
            np.asarray(x.sum(axis=axes), np.float64),
            np.asarray((x.astype(np.float64) ** 2).sum(axis=axes)),
            [local_n]])
        total = self.comm.allreduce(stats)
        c = x.shape[1]
        n = total[-1]
        mean = total[:c] / n
        var = np.maximum(total[c:2 * c] / n - mean ** 2, 0)
        self._n = n
        std = np.sqrt(var + self.eps)
        xhat = (x - mean.reshape(_bshape(x))) / std.reshape(_bshape(x))
        self._xhat = xhat
        self._std = std
        if self.running_mean is not None:
            adjust = n / max(n - 1.0, 1.0)           # unbiased variance, as Chainer's BN
            self.running_mean *= self.decay
            self.running_mean += (1 - self.decay) * mean
            self.running_var *= self.decay
            self.running_var += (1 - self.decay) * adjust * var
        self.retain_inputs((1,))
        y = gamma.reshape(_bshape(x)) * xhat + beta.reshape(_bshape(x))
        return y.astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        gamma, = self.get_retained_inputs()
        gy = grad_outputs[0].array
        xhat = self._xhat
        axes = _axes(gy)
        gbeta = gy.sum(axis=axes)
        ggamma = (gy * xhat).sum(axis=axes)
        c = gy.shape[1]
        # the x-gradient needs the sums over every process's batch
        total = self.comm.allreduce(np.concatenate([
            np.asarray(gbeta, np.float64), np.asarray(ggamma, np.float64)]))
        sum_gy, sum_gyxhat = total[:c], total[c:]
        b = _bshape(gy)
        gx = (gamma.array / self._std).reshape(b) * (
            gy - (sum_gy / self._n).reshape(b) - xhat * (sum_gyxhat / self._n).reshape(b))
        return (kusari.Variable(gx.astype(gy.dtype, copy=False)),
                kusari.Variable(ggamma.astype(gamma.dtype, copy=False)),
                kusari.Variable(gbeta.astype(gamma.dtype, copy=False)))


def multi_node_batch_normalization(x, gamma, beta, comm, eps=2e-5, running_mean=None,
                                   running_var=None, decay=0.9):
    """Batch normalization whose mean and variance are those of every process's batch.

    Args:
        x: Input of shape ``(N, C, ...)`` (this process's part of the batch).
        gamma, beta: Scale and shift of shape ``(C,)``.
        comm: A communicator.
        eps (float): Added to the variance.
        running_mean, running_var: Arrays updated in place with the global
            statistics (optional).
        decay (float): Decay of the running averages.
    """
    y, = MultiNodeBNFunction(comm, eps, running_mean, running_var, decay).apply(
        (x, gamma, beta))
    return y
