from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


def _tile_grad(gy, reps, in_shape):
    d = max(len(reps), len(in_shape))
    reps = (1,) * (d - len(reps)) + tuple(reps)
    shape = (1,) * (d - len(in_shape)) + tuple(in_shape)
    inter = []
    for r, s in zip(reps, shape):
        inter += [r, s]
    g = gy.reshape(inter).sum(axis=tuple(range(0, 2 * d, 2)))
    xp = backend.get_array_module(gy)
    return xp.asarray(g).reshape(in_shape)


class Tile(function_node.FunctionNode):
    """Tile an array (as :func:`numpy.tile`)."""

    def __init__(self, reps):
        if _util.is_int(reps):
            reps = (int(reps),)
        else:
            try:
                reps = tuple(reps)
            except TypeError:
                raise TypeError('tile: reps must be an int or a tuple of ints, got %r'
                                % (reps,)) from None
            if not all(_util.is_int(r) for r in reps):
                raise TypeError('tile: reps must contain ints, got %r' % (reps,))
            reps = tuple(int(r) for r in reps)
        if any(r < 0 for r in reps):
            raise ValueError('tile: reps must be non-negative, got %r' % (reps,))
        self.reps = reps

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        return xp.tile(x, self.reps),

    def backward(self, indexes, grad_outputs):
        return TileGrad(self.reps, self.inputs[0].shape).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _tile_grad(grad_outputs[0], self.reps, self.inputs[0].shape),


class TileGrad(function_node.FunctionNode):
    """Gradient of :class:`Tile`: sum the gradients of the tiles."""

    def __init__(self, reps, in_shape):
        self.reps = reps
        self.in_shape = tuple(in_shape)

    def forward(self, inputs):
        return _tile_grad(inputs[0], self.reps, self.in_shape),

    def backward(self, indexes, grad_outputs):
        return Tile(self.reps).apply(grad_outputs)


def tile(x, reps):
    """Construct an array by tiling ``x`` ``reps`` times (as :func:`numpy.tile`).

    Args:
        x (Variable or ndarray): the input.
        reps (int or tuple of ints): repetitions along each axis; when ``reps`` has
            more entries than ``x`` has axes, ``x`` is promoted with leading axes of
            length 1, and when it has fewer, 1s are prepended to it.

    Returns:
        ~kusari.Variable: the tiled array.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([0, 1], numpy.float32)
    >>> F.tile(x, 2).array
    array([0., 1., 0., 1.], dtype=float32)
    >>> F.tile(x, (2, 1)).array
    array([[0., 1.],
           [0., 1.]], dtype=float32)
    """
    return Tile(reps).apply((x,))[0]
