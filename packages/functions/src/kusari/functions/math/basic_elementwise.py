"""Basic elementwise math: absolute, add, identity, sqrt, rsqrt, square,
squared_difference and fmod.

Also defines :class:`UnaryElementwise`, the base of the one-input float functions of
the sibling modules (exponential, trigonometric, hyperbolic).
"""
import numpy

from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.functions.activation import _common

__all__ = ['absolute', 'add', 'identity', 'sqrt', 'rsqrt', 'square',
           'squared_difference', 'fmod']


class UnaryElementwise(function_node.FunctionNode):
    """A float -> float elementwise function ``y = f(x)``.

    Subclasses set ``name`` (the label in messages), ``retain_x`` / ``retain_y``
    (what backward needs) and implement ``compute(xp, x)``, ``grad(x, y, gy)`` on
    Variables (with FunctionNodes, so gradients of gradients work) and
    ``grad_array(xp, x, y, gy)`` on arrays (the same values).
    """

    name = None
    retain_x = True
    retain_y = False

    @property
    def label(self):
        return self.name

    def forward(self, inputs):
        x, = inputs
        _common.check_float(self.name, x)
        if self.retain_x:
            self.retain_inputs((0,))
        if self.retain_y:
            self.retain_outputs((0,))
        return _common.force_array(self.compute(backend.get_array_module(x), x),
                                   x.dtype),

    def backward(self, indexes, grad_outputs):
        x = self.get_retained_inputs()[0] if self.retain_x else None
        y = self.get_retained_outputs()[0] if self.retain_y else None
        return self.grad(x, y, grad_outputs[0]),

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data if self.retain_x else None
        y = self.output_data()[0] if self.retain_y else None
        gy = grad_outputs[0]
        gx = self.grad_array(backend.get_array_module(gy), x, y, gy)
        return _common.force_array(gx, gy.dtype),


def _scalar(a, value):
    """``value`` as a scalar of the dtype of the array ``a``."""
    return a.dtype.type(value)


# ---- absolute, add, identity --------------------------------------------------------

class Absolute(UnaryElementwise):
    """``|x|``; the gradient is ``sign(x) * gy`` (0 at 0)."""
    name = 'absolute'

    def compute(self, xp, x):
        return xp.abs(x)

    def grad(self, x, y, gy):
        return gy * _common.force_array(backend.get_array_module(x).sign(x.array))

    def grad_array(self, xp, x, y, gy):
        return gy * xp.sign(x)


def absolute(x):
    """Elementwise absolute value ``|x|``; the gradient at 0 is 0.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.absolute(numpy.array([-1.5, 0., 2.], numpy.float32)).array
    array([1.5, 0. , 2. ], dtype=float32)
    """
    return Absolute().apply((x,))[0]


class MultiAdd(function_node.FunctionNode):
    """Sum of any number of arrays of one dtype (broadcasting)."""

    @property
    def label(self):
        return 'MultiAdd'

    def forward(self, inputs):
        x0 = inputs[0]
        for i, x in enumerate(inputs):
            if x.dtype != x0.dtype:
                raise _common.invalid('MultiAdd', 'xs[0].dtype == xs[%d].dtype' % i,
                                      '%s != %s' % (x0.dtype, x.dtype))
        try:
            shape = numpy.broadcast_shapes(*[x.shape for x in inputs])
        except ValueError:
            raise _common.invalid('MultiAdd', 'xs shapes broadcastable',
                                  ', '.join(str(x.shape) for x in inputs)) from None
        xp = backend.get_array_module(x0)
        y = xp.zeros(shape, x0.dtype)
        for x in inputs:
            y += x
        return y,

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        return tuple(_core.sum_to(gy, self.inputs[i].shape) for i in indexes)

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        ret = []
        for i in indexes:
            shape = self.inputs[i].shape
            g = gy
            if g.shape != shape:
                lead = g.ndim - len(shape)
                axes = tuple(range(lead)) + tuple(
                    lead + k for k, s in enumerate(shape)
                    if s == 1 and g.shape[lead + k] != 1)
                g = g.sum(axis=axes, keepdims=True).reshape(shape)
            ret.append(g)
        return tuple(ret)


def add(*xs):
    """Elementwise addition of two or more variables (with broadcasting).

    With two arguments this is ``xs[0] + xs[1]`` (the second may be a scalar);
    with more, the sum of all of them.

    Args:
        xs (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Inputs of one dtype and broadcastable shapes.

    Returns:
        ~kusari.Variable: The sum.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.array([1., 2.], numpy.float32)
    >>> F.add(a, a, numpy.ones(2, numpy.float32)).array
    array([3., 5.], dtype=float32)
    """
    if len(xs) == 0:
        raise TypeError('add: at least one input is required')
    if len(xs) == 2:
        return _core.as_variable(xs[0]) + xs[1]
    return MultiAdd().apply(xs)[0]


class Identity(function_node.FunctionNode):
    """Returns its inputs unchanged (a node in the graph)."""

    @property
    def label(self):
        return 'Identity'

    def forward(self, inputs):
        return tuple(inputs)

    def backward(self, indexes, grad_outputs):
        return tuple(grad_outputs[i] for i in indexes)

    def backward_array(self, indexes, grad_outputs):
        return tuple(grad_outputs[i] for i in indexes)


def identity(*inputs):
    """Just return the inputs (as new Variables, so that a graph node is recorded).

    Args:
        inputs (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Any inputs.

    Returns:
        ~kusari.Variable or tuple of Variables: One Variable for one input, else a
        tuple.

    >>> import numpy, kusari.functions as F
    >>> F.identity(numpy.array([1., 2.])).array
    array([1., 2.])
    """
    y = Identity().apply(inputs)
    if len(y) == 1:
        return y[0]
    return y


# ---- sqrt, rsqrt, square, squared_difference ----------------------------------------

class Sqrt(UnaryElementwise):
    name = 'sqrt'
    retain_x = False
    retain_y = True

    def compute(self, xp, x):
        return xp.sqrt(x)

    def grad(self, x, y, gy):
        return gy / (y * 2.0)

    def grad_array(self, xp, x, y, gy):
        return gy / (y * _scalar(y, 2))


def sqrt(x):
    """Elementwise square root :math:`y_i = \\sqrt{x_i}`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.sqrt(numpy.array([1., 4., 9.], numpy.float32)).array
    array([1., 2., 3.], dtype=float32)
    """
    return Sqrt().apply((x,))[0]


class Rsqrt(UnaryElementwise):
    name = 'rsqrt'
    retain_x = False
    retain_y = True

    def compute(self, xp, x):
        y = xp.sqrt(x)
        return xp.reciprocal(y, out=y) if isinstance(y, xp.ndarray) else 1 / y

    def grad(self, x, y, gy):
        return gy * (y * y * y) * -0.5

    def grad_array(self, xp, x, y, gy):
        return gy * (y * y * y) * _scalar(y, -0.5)


def rsqrt(x):
    """Elementwise reciprocal of the square root :math:`y_i = 1 / \\sqrt{x_i}`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.rsqrt(numpy.array([1., 4., 16.], numpy.float32)).array
    array([1.  , 0.5 , 0.25], dtype=float32)
    """
    return Rsqrt().apply((x,))[0]


class Square(UnaryElementwise):
    name = 'square'

    def compute(self, xp, x):
        return xp.square(x)

    def grad(self, x, y, gy):
        return gy * x * 2.0

    def grad_array(self, xp, x, y, gy):
        return gy * x * _scalar(x, 2)


def square(x):
    """Elementwise square :math:`y_i = x_i ^ 2`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.square(numpy.array([-2., 3.], numpy.float32)).array
    array([4., 9.], dtype=float32)
    """
    return Square().apply((x,))[0]


def _check_binary(name, a, b, names=('x1', 'x2')):
    _common.check_float(name, a, names[0])
    _common.check_same_dtype(name, a, b, names)
    _common.check_same_shape(name, a, b, names)


class SquaredDifference(function_node.FunctionNode):
    """``(x1 - x2) ** 2`` of two arrays of one shape and dtype."""

    @property
    def label(self):
        return 'squared_difference'

    def forward(self, inputs):
        x1, x2 = inputs
        _check_binary('squared_difference', x1, x2)
        self.retain_inputs((0, 1))
        d = x1 - x2
        return _common.force_array(d * d, x1.dtype),

    def backward(self, indexes, grad_outputs):
        x1, x2 = self.get_retained_inputs()
        g = grad_outputs[0] * (x1 - x2) * 2.0
        return tuple(g if i == 0 else -g for i in indexes)

    def backward_array(self, indexes, grad_outputs):
        x1 = self.inputs[0].data
        x2 = self.inputs[1].data
        g = _common.force_array(grad_outputs[0] * (x1 - x2) * _scalar(x1, 2), x1.dtype)
        return tuple(g if i == 0 else -g for i in indexes)


def squared_difference(x1, x2):
    """Squared difference :math:`(x_1 - x_2)^2` of two inputs, elementwise.

    Args:
        x1, x2 (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Inputs of one shape and float dtype.

    Returns:
        ~kusari.Variable: Output of that shape and dtype.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.array([1., 2.], numpy.float32)
    >>> b = numpy.array([4., 0.], numpy.float32)
    >>> F.squared_difference(a, b).array
    array([9., 4.], dtype=float32)
    """
    return SquaredDifference().apply((x1, x2))[0]


class Fmod(function_node.FunctionNode):
    """``fmod(x, divisor)``: the remainder with the sign of ``x``."""

    @property
    def label(self):
        return 'fmod'

    def forward(self, inputs):
        x, d = inputs
        _check_binary('fmod', x, d, ('x', 'divisor'))
        self.retain_inputs((0, 1))
        xp = backend.get_array_module(x)
        return _common.force_array(xp.fmod(x, d), x.dtype),

    def _quotient(self):
        x = self.inputs[0].data
        d = self.inputs[1].data
        xp = backend.get_array_module(x)
        return _common.force_array(xp.fix(x / d), x.dtype)

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        return tuple(gy if i == 0 else -(gy * self._quotient()) for i in indexes)

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        return tuple(gy if i == 0 else _common.force_array(-(gy * self._quotient()))
                     for i in indexes)


def fmod(x, divisor):
    """Elementwise remainder of division, with the sign of ``x`` (C's ``fmod``).

    .. math:: y_i = x_i - \\operatorname{fix}(x_i / d_i) \\, d_i.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Dividend, float.
        divisor (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Divisor of the shape and dtype of ``x``.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([5., -5.], numpy.float32)
    >>> F.fmod(x, numpy.array([3., 3.], numpy.float32)).array
    array([ 2., -2.], dtype=float32)
    """
    return Fmod().apply((x, divisor))[0]
