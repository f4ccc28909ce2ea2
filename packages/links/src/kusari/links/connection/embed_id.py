"""Embedding (lookup table) layer."""

import kusari.functions as F
from kusari import link
from kusari import variable
from kusari.initializers import normal
from kusari.links import _util


class EmbedID(link.Link):
    """Efficient linear layer for one-hot input: a lookup table of embeddings.

    Wraps :func:`kusari.functions.embed_id`: ``y[..., :] = W[x[...], :]``; entries
    of ``x`` equal to ``ignore_label`` give zero vectors.

    Args:
        in_size (int): Number of ids (vocabulary size).
        out_size (int): Dimension of the embeddings.
        initialW: Initializer of ``W``; ``None`` means ``Normal(1.0)``.
        ignore_label (int or None): An id whose output is a zero vector.

    Attributes:
        W (~kusari.Parameter): Embeddings, ``(in_size, out_size)``.

    >>> import numpy, kusari.links as L
    >>> l = L.EmbedID(3, 2, initialW=numpy.arange(6, dtype=numpy.float32).reshape(3, 2))
    >>> l(numpy.array([2, 0], numpy.int32)).array
    array([[4., 5.],
           [0., 1.]], dtype=float32)
    """

    ignore_label = None

    def __init__(self, in_size, out_size, initialW=None, ignore_label=None):
        super().__init__()
        self.ignore_label = ignore_label
        with self.init_scope():
            if initialW is None:
                initialW = normal.Normal(1.0)
            self.W = variable.Parameter(initialW, (in_size, out_size))

    @classmethod
    def from_params(cls, W, ignore_label=None):
        """An EmbedID whose ``W`` is a copy of ``W`` (Chainer's ``from_params``).

        Args:
            W (~kusari.Variable or array): ``(in_size, out_size)`` embeddings.
            ignore_label (int or None): as in the constructor.

        >>> import numpy, kusari.links as L
        >>> L.EmbedID.from_params(numpy.ones((3, 2), numpy.float32)).W.shape
        (3, 2)
        """
        array = W.array if isinstance(W, variable.Variable) else W
        if getattr(array, 'ndim', None) != 2:
            raise ValueError('EmbedID.from_params: W must be a 2-d array, got %r'
                             % (getattr(array, 'shape', type(array).__name__),))
        in_size, out_size = array.shape
        return cls(in_size, out_size, initialW=array.copy(), ignore_label=ignore_label)

    @property
    def printable_specs(self):
        """``in_size``, ``out_size`` and ``ignore_label``."""
        yield 'in_size', self.W.shape[0]
        yield 'out_size', self.W.shape[1]
        yield 'ignore_label', self.ignore_label

    def forward(self, x):
        """Look up the embeddings.

        Args:
            x (~kusari.Variable or array): Integer ids of any shape.

        Returns:
            ~kusari.Variable: Embeddings, ``x.shape + (out_size,)``.

        """
        arr = x.array if isinstance(x, variable.Variable) else x
        dtype = getattr(arr, 'dtype', None)
        if dtype is None or dtype.kind not in 'iu':
            raise _util.invalid('EmbedID', 'x.dtype.kind in "iu" (integer ids)',
                                'x.dtype == {}'.format(dtype))
        try:
            # F.embed_id validates the ids (before any lookup)
            return F.embed_id(x, self.W, ignore_label=self.ignore_label)
        except ValueError as e:
            raise ValueError('EmbedID: {}'.format(e)) from None
