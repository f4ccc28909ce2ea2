from kusari import backend
from kusari import function_node
from kusari.utils import type_check


def _check_t(t, n):
    if t.size and (int(t.min()) < 0 or int(t.max()) >= n):
        raise ValueError('select_item: t must be in [0, %d), got values in [%d, %d]'
                         % (n, int(t.min()), int(t.max())))


class SelectItem(function_node.FunctionNode):
    """Select one element of each row: ``y[i] = x[i, t[i]]``."""

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x', 't'))
        x, t = in_types
        type_check.expect(
            x.dtype.kind == 'f',
            t.dtype.kind == 'i',
            x.ndim == 2,
            t.ndim == 1,
            x.shape[0] == t.shape[0],
        )

    def forward(self, inputs):
        x, t = inputs
        xp = backend.get_array_module(x)
        _check_t(t, x.shape[1])
        self._t = t
        return x[xp.arange(len(t)), t],

    def backward(self, indexes, grad_outputs):
        n = self.inputs[0]
        return SelectItemGrad(n.shape, self._t).apply(grad_outputs)[0], None

    def backward_array(self, indexes, grad_outputs):
        n = self.inputs[0]
        return _assign(grad_outputs[0], n.shape, self._t), None


def _assign(gy, shape, t):
    xp = backend.get_array_module(gy)
    gx = xp.zeros(shape, gy.dtype)
    gx[xp.arange(len(t)), t] = gy
    return gx


class SelectItemGrad(function_node.FunctionNode):
    """Gradient of :class:`SelectItem`: put ``gy[i]`` at ``(i, t[i])`` of zeros."""

    def __init__(self, shape, t):
        self.shape = tuple(shape)
        self.t = t

    def forward(self, inputs):
        return _assign(inputs[0], self.shape, self.t),

    def backward(self, indexes, grad_outputs):
        return SelectItem().apply((grad_outputs[0], self.t))[0],

    def backward_array(self, indexes, grad_outputs):
        ggx, = grad_outputs
        xp = backend.get_array_module(ggx)
        return ggx[xp.arange(len(self.t)), self.t],


def select_item(x, t):
    """Select one element of each row of ``x``: ``y[i] = x[i, t[i]]``.

    Args:
        x (Variable or ndarray): a float array of shape ``(B, N)``.
        t (Variable or ndarray): an int array of shape ``(B,)`` with values in
            ``[0, N)`` (checked; a ValueError otherwise).

    Returns:
        ~kusari.Variable: the selected elements, of shape ``(B,)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[0, 1, 2], [3, 4, 5]], numpy.float32)
    >>> t = numpy.array([0, 2], numpy.int32)
    >>> F.select_item(x, t).array
    array([0., 5.], dtype=float32)
    """
    return SelectItem().apply((x, t))[0]
