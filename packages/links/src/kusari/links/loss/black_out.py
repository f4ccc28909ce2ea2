"""BlackOut loss layer."""
import numpy

from kusari import link
from kusari import variable
from kusari.functions.loss.black_out import black_out as _black_out
from kusari.utils import WalkerAlias


class BlackOut(link.Link):
    """BlackOut loss layer: wraps :func:`kusari.functions.black_out`.

    Holds the weight matrix and a :class:`WalkerAlias` sampler of the label
    frequencies that draws the negative samples.

    Args:
        in_size (int): dimension of the input vectors.
        counts (list of int): count of each label (``len(counts)`` is the vocabulary
            size ``V``).
        sample_size (int): number of negative samples per example.

    Attributes:
        W (~kusari.Parameter): ``(V, in_size)`` weights.  As in Chainer, it is
            created without an initializer (NaN): set it before use.
        sampler (WalkerAlias): the sampler of negative labels.
        sample_data (array or None): if set, used as the ``(N, sample_size)``
            negative samples instead of drawing them (for tests).

    >>> import numpy, kusari.links as L
    >>> bo = L.BlackOut(2, [1, 1, 1], 2)
    >>> bo.W.array[...] = 1
    >>> bo.sample_data = numpy.array([[1, 2]])
    >>> print(round(float(bo(numpy.zeros((1, 2), numpy.float32), numpy.array([0])).array), 4))
    1.9095
    """

    sample_data = None

    def __init__(self, in_size, counts, sample_size):
        super().__init__()
        vocab_size = len(counts)
        p = numpy.array(counts, dtype=numpy.float32)
        self.sampler = WalkerAlias(p)
        self.sample_size = sample_size
        with self.init_scope():
            self.W = variable.Parameter(shape=(vocab_size, in_size))

    def device_resident_accept(self, visitor):
        """Move the parameters and the sampler's tables."""
        super().device_resident_accept(visitor)
        self.sampler.device_resident_accept(visitor)

    def forward(self, x, t):
        """Compute the loss.

        Args:
            x (~kusari.Variable or array): ``(N, in_size)`` inputs.
            t (~kusari.Variable or array): ``(N,)`` int labels.

        Returns:
            ~kusari.Variable: the mean loss (a scalar).
        """
        batch_size = x.shape[0]
        if self.sample_data is not None:
            sample_data = self.sample_data
        else:
            sample_data = self.sampler.sample((batch_size, self.sample_size))
        return _black_out(x, t, self.W, sample_data)
