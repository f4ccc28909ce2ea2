"""Dropout (``F.dropout``)."""
from kusari import _core
from kusari import backend
from kusari import configuration
from kusari._core import FunctionNode
from kusari.functions.util import _ops

_NAME = 'dropout'


class Dropout(FunctionNode):
    """``x * mask`` with ``mask = (rand >= ratio) / (1 - ratio)`` (or a given mask)."""

    def __init__(self, dropout_ratio, mask=None):
        if not 0.0 <= dropout_ratio < 1.0:
            raise ValueError('%s: ratio must be in the range from 0 to 1, got %r'
                             % (_NAME, dropout_ratio))
        self.dropout_ratio = dropout_ratio
        self.mask = mask

    def forward(self, inputs):
        x, = inputs
        _ops.check_float(_NAME, 'x', x)
        xp = backend.get_array_module(x)
        if self.mask is None:
            scale = x.dtype.type(1. / (1 - self.dropout_ratio))
            flag = xp.random.rand(*x.shape) >= self.dropout_ratio
            self.mask = flag * scale
            if self.mask.dtype != x.dtype:
                self.mask = self.mask.astype(x.dtype)
        else:
            m = _ops.array_of(self.mask)
            if m.shape != x.shape:
                raise _ops.invalid(_NAME, 'mask.shape == x.shape',
                                   '%s != %s' % (m.shape, x.shape))
            self.mask = m.astype(x.dtype, copy=False)
        return x * self.mask,

    def backward(self, indexes, gy):
        return gy[0] * self.mask,

    def backward_array(self, indexes, gy):
        return gy[0] * self.mask,


def dropout(x, ratio=.5, *, mask=None, return_mask=False):
    """Drop elements of ``x`` with probability ``ratio``, scaling the rest by
    ``1 / (1 - ratio)`` (inverted dropout).  Only active when ``config.train``;
    otherwise ``x`` is returned as is (as a Variable).

    Args:
        x (Variable or array): float input of any shape.
        ratio (float): the dropout ratio in ``[0, 1)``.
        mask (array or None): a precomputed mask of ``x``'s shape, already scaled
            (entries 0 or ``1 / (1 - ratio)``); ``ratio`` is then ignored.
        return_mask (bool): also return the mask used (``None`` outside training).

    Returns:
        Variable, or ``(Variable, mask)`` with ``return_mask``.

    >>> import numpy, kusari, kusari.functions as F
    >>> x = numpy.ones((2, 2), numpy.float32)
    >>> with kusari.using_config('train', False):
    ...     F.dropout(x).array
    array([[1., 1.],
           [1., 1.]], dtype=float32)
    >>> F.dropout(x, mask=numpy.array([[0., 2.], [2., 0.]], numpy.float32)).array
    array([[0., 2.],
           [2., 0.]], dtype=float32)
    """
    if not configuration.config.train:
        v = _core.as_variable(x)
        return (v, None) if return_mask else v
    f = Dropout(ratio, mask)
    y, = f.apply((x,))
    if return_mask:
        return y, f.mask
    return y
