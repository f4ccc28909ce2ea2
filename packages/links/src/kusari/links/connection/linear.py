"""Fully-connected layer."""
import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari import utils
from kusari import variable
from kusari.links import _util


class Linear(link.Link):
    """Linear layer (a.k.a. fully-connected layer): ``y = x W^T + b``.

    Wraps :func:`kusari.functions.linear` and holds the weight ``W`` of shape
    ``(out_size, in_size)`` and the bias ``b`` of shape ``(out_size,)``.

    Args:
        in_size (int or None): Dimension of the input vectors.  ``None`` defers the
            creation of ``W`` to the first forward pass, where it is taken from the
            input (``x.shape[n_batch_axes:]`` flattened).
        out_size (int): Dimension of the output vectors.  When only one size is
            given (``Linear(out_size)``), it is the output size and ``in_size`` is
            inferred.
        nobias (bool): If ``True``, there is no bias (``b`` is ``None``).
        initialW: Initializer of ``W`` (an initializer, scalar or array);
            ``None`` means :class:`~kusari.initializers.LeCunNormal`.
        initial_bias: Initializer of ``b``; ``None`` means zero.

    Attributes:
        W (~kusari.Parameter): Weight, ``(out_size, in_size)``.
        b (~kusari.Parameter): Bias, ``(out_size,)``, or ``None``.

    >>> import numpy, kusari.links as L
    >>> l = L.Linear(3, 2, initialW=1.0, initial_bias=0.5)
    >>> l.W.shape, l.b.shape
    ((2, 3), (2,))
    >>> l(numpy.ones((1, 3), numpy.float32)).array
    array([[3.5, 3.5]], dtype=float32)
    >>> L.Linear(2).W.array is None    # in_size inferred on the first call
    True
    """

    def __init__(self, in_size, out_size=None, nobias=False,
                 initialW=None, initial_bias=None):
        super().__init__()
        if out_size is None:
            in_size, out_size = None, in_size
        self.in_size = in_size
        self.out_size = out_size
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if in_size is not None:
                self._initialize_params(in_size)
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = 0
                self.b = variable.Parameter(
                    initializers._get_initializer(initial_bias), out_size)

    def _initialize_params(self, in_size):
        self.W.initialize((self.out_size, in_size))

    @property
    def printable_specs(self):
        """``in_size``, ``out_size`` and ``nobias``."""
        yield 'in_size', self.in_size
        yield 'out_size', self.out_size
        yield 'nobias', self.b is None

    @classmethod
    def from_params(cls, W, b=None, nobias=False):
        """A Linear layer whose ``W`` (and ``b``) are copies of the given ones (Chainer's).

        Args:
            W (~kusari.Variable or array): ``(out_size, in_size)`` weight.
            b (~kusari.Variable or array): ``(out_size,)`` bias, or ``None`` for the
                default initial bias.
            nobias (bool): no bias (``b`` is then ignored).

        >>> import numpy, kusari.links as L
        >>> l = L.Linear.from_params(numpy.ones((3, 2), numpy.float32), nobias=True)
        >>> l.W.shape, l.b
        ((3, 2), None)
        """
        W = _param_array(W, 'Linear', 'W')
        if W.ndim != 2:
            raise ValueError('Linear.from_params: W must be 2-d (out_size, in_size), '
                             'got shape %s' % (W.shape,))
        out_size, in_size = W.shape
        if b is not None and not nobias:
            b = _param_array(b, 'Linear', 'b')
            if b.shape != (out_size,):
                raise ValueError('Linear.from_params: b must have shape (%d,), got %s'
                                 % (out_size, b.shape))
        else:
            b = None
        return cls(in_size, out_size, nobias=nobias, initialW=W, initial_bias=b)

    def forward(self, x, n_batch_axes=1):
        """Apply the layer.

        Args:
            x (~kusari.Variable or array): Input of shape
                ``(batch dims..., feature dims...)``; the first ``n_batch_axes``
                axes are batch axes, the others are flattened into ``in_size``.
            n_batch_axes (int): Number of batch axes.

        Returns:
            ~kusari.Variable: Output of shape ``(batch dims..., out_size)``.

        """
        shape = _util.check_min_ndim('Linear', x, n_batch_axes + 1 if n_batch_axes > 0
                                     else 1)
        in_size = utils.size_of_shape(shape[n_batch_axes:])
        if self.W.array is None:
            self._initialize_params(in_size)
        elif in_size != self.W.shape[1]:
            raise _util.invalid(
                'Linear', 'size of x.shape[{}:] == in_size == {}'.format(
                    n_batch_axes, self.W.shape[1]),
                'x.shape == {} (size {})'.format(shape, in_size))
        return F.linear(x, self.W, self.b, n_batch_axes=n_batch_axes)


def _param_array(value, who, name):
    """The array of a Parameter/Variable/array argument of ``from_params`` (a copy)."""
    array = value.array if isinstance(value, variable.Variable) else value
    if array is None or not hasattr(array, 'shape'):
        raise ValueError('%s.from_params: %s must be an initialized parameter or an '
                         'array, got %s' % (who, name, type(value).__name__))
    return array.copy()
