"""Negative sampling loss layer."""
import numpy

import kusari
from kusari import link
from kusari import variable
# the module, looked up at each call as in Chainer (so that the function can be patched)
from kusari.functions.loss import negative_sampling as _negative_sampling_module
from kusari.utils import WalkerAlias
from kusari.utils import argument


class NegativeSampling(link.Link):
    """Negative sampling loss layer: wraps :func:`kusari.functions.negative_sampling`.

    Holds the weight matrix (initialized to zero) and a :class:`WalkerAlias` sampler
    of the label counts raised to ``power``.

    Args:
        in_size (int): dimension of the input vectors.
        counts (list of int): count of each label (``len(counts)`` is ``V``).
        sample_size (int): number of negative samples per example.
        power (float): exponent applied to the counts for the sampling distribution.
        dtype: dtype of the counts' powers (``None``: ``kusari.config.dtype``).

    Attributes:
        W (~kusari.Parameter): ``(V, in_size)`` weights.
        sampler (WalkerAlias): the sampler of negative labels.

    >>> import numpy, kusari.links as L
    >>> ns = L.NegativeSampling(3, [1, 2, 3], 2)
    >>> loss = ns(numpy.ones((2, 3), numpy.float32), numpy.array([0, 1]))
    >>> print(round(float(loss.array), 4))   # W == 0: 2 examples x 3 terms x log 2
    4.1589
    """

    def __init__(self, in_size, counts, sample_size, power=0.75, dtype=None):
        super().__init__()
        dtype = kusari.get_dtype(dtype)
        vocab_size = len(counts)
        self.sample_size = sample_size
        p = numpy.array(counts, dtype)
        numpy.power(p, dtype.type(power), p)
        self.sampler = WalkerAlias(p)
        with self.init_scope():
            self.W = variable.Parameter(0, (vocab_size, in_size))

    def device_resident_accept(self, visitor):
        """Move the parameters and the sampler's tables."""
        super().device_resident_accept(visitor)
        self.sampler.device_resident_accept(visitor)

    def forward(self, x, t, reduce='sum', **kwargs):
        """forward(x, t, reduce='sum', *, return_samples=False)

        Compute the loss.

        Args:
            x (~kusari.Variable or array): ``(B, in_size)`` inputs.
            t (~kusari.Variable or array): ``(B,)`` int labels (-1: ignored).
            reduce (str): ``'sum'`` or ``'no'``.
            return_samples (bool): also return the ``(B, sample_size + 1)`` samples
                (first column: ``t``).

        Returns:
            ~kusari.Variable or tuple: the loss, or ``(loss, samples)``.
        """
        return_samples = False
        if kwargs:
            return_samples, = argument.parse_kwargs(kwargs, ('return_samples', False))
        return _negative_sampling_module.negative_sampling(
            x, t, self.W, self.sampler.sample, self.sample_size, reduce=reduce,
            return_samples=return_samples)
