"""Walker's alias method for sampling from a discrete distribution (``WalkerAlias``).

Chainer ships this as ``chainer.utils.WalkerAlias``; it lives here until kusari's
core grows ``kusari.utils.WalkerAlias`` (the links re-export it).
"""
import numpy

from kusari import backend


class WalkerAlias:
    """Samples integers ``i`` with probability proportional to ``probs[i]`` in O(1).

    The table is built once (Vose's variant of Walker's alias method): every bucket
    ``i`` keeps its own index with probability ``threshold[i]`` and otherwise yields
    its alias.

    Args:
        probs (array-like): ``(n,)`` non-negative weights (need not sum to one; at
            least one must be positive).

    Attributes:
        threshold (array): ``(n,)`` float32 probability of keeping the bucket's
            own index.
        values (array): ``(2n,)`` int32: ``values[2i]`` is ``i`` and
            ``values[2i + 1]`` is the alias of bucket ``i``.
        use_gpu (bool): whether the tables live on a GPU (``sample`` returns CuPy
            arrays then).

    >>> import numpy
    >>> from kusari.utils import WalkerAlias
    >>> sampler = WalkerAlias([0.0, 1.0, 0.0])
    >>> sampler.sample((2, 3)).tolist()
    [[1, 1, 1], [1, 1, 1]]
    """

    def __init__(self, probs):
        if not hasattr(probs, 'dtype'):
            probs = numpy.asarray(probs)
        p = numpy.asarray(backend.CpuDevice().send(probs), numpy.float64).ravel()
        if p.size == 0:
            raise ValueError('WalkerAlias: probs must not be empty')
        if not numpy.all(numpy.isfinite(p)) or (p < 0).any() or p.sum() <= 0:
            raise ValueError('WalkerAlias: probs must be finite, non-negative and not '
                             'all zero')
        n = p.size
        scaled = p * (n / p.sum())
        threshold = numpy.ones(n, numpy.float64)
        alias = numpy.arange(n, dtype=numpy.int64)
        small = [i for i in range(n) if scaled[i] < 1.0]
        large = [i for i in range(n) if scaled[i] >= 1.0]
        while small and large:
            s = small.pop()
            g = large[-1]
            threshold[s] = scaled[s]
            alias[s] = g
            scaled[g] -= 1.0 - scaled[s]
            if scaled[g] < 1.0:
                large.pop()
                small.append(g)
        # leftovers (rounding) keep themselves
        values = numpy.empty(2 * n, numpy.int32)
        values[0::2] = numpy.arange(n)
        values[1::2] = alias
        self.threshold = threshold.astype(numpy.float32)
        self.values = values
        self.use_gpu = False

    def to_gpu(self):
        """Move the tables to the current GPU."""
        from kusari.backends import cuda
        cp = cuda.require_cupy('WalkerAlias.to_gpu')
        self.threshold = cp.asarray(self.threshold)
        self.values = cp.asarray(self.values)
        self.use_gpu = True
        return self

    def to_cpu(self):
        """Move the tables to the host."""
        self.threshold = backend.CpuDevice().send(self.threshold)
        self.values = backend.CpuDevice().send(self.values)
        self.use_gpu = False
        return self

    @property
    def device(self):
        """The device of the tables (a kusari device object)."""
        return backend.get_device_from_array(self.values)

    # Chainer's DeviceResident keeps the device here; its tests read it
    _device = device

    def to_device(self, device):
        """Move the tables to ``device`` (any specifier of ``get_device``)."""
        dev = backend.get_device(device)
        self.threshold = dev.send(self.threshold)
        self.values = dev.send(self.values)
        self.use_gpu = not isinstance(self.values, numpy.ndarray)
        return self

    def device_resident_accept(self, visitor):
        """Move the tables where ``visitor`` (a link's to-device visitor) goes."""
        self.threshold = visitor.visit_array(self.threshold)
        self.values = visitor.visit_array(self.values)
        self.use_gpu = not isinstance(self.values, numpy.ndarray)

    def sample(self, shape):
        """Draw samples.

        Args:
            shape (tuple of int): the shape of the result.

        Returns:
            array: int32 samples of ``shape`` (NumPy, or CuPy when ``use_gpu``).
        """
        xp = backend.get_array_module(self.values)
        n = self.threshold.shape[0]
        u = xp.random.uniform(0, 1, shape) * n
        index = xp.minimum(u.astype(xp.int32), n - 1)
        right = (u - index) >= self.threshold[index]
        return self.values[index * 2 + right.astype(xp.int32)]
