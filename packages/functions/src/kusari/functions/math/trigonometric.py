"""Elementwise trigonometric functions: sin, cos, tan, arcsin, arccos, arctan, arctan2."""
from kusari import backend
from kusari import function_node
from kusari.functions.activation import _common
from kusari.functions.math.basic_elementwise import UnaryElementwise
from kusari.functions.math.basic_elementwise import _check_binary
from kusari.functions.math.basic_elementwise import _scalar
from kusari.functions.math.basic_elementwise import rsqrt

__all__ = ['sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'arctan2']


class Sin(UnaryElementwise):
    name = 'sin'

    def compute(self, xp, x):
        return xp.sin(x)

    def grad(self, x, y, gy):
        return gy * cos(x)

    def grad_array(self, xp, x, y, gy):
        return gy * xp.cos(x)


class Cos(UnaryElementwise):
    name = 'cos'

    def compute(self, xp, x):
        return xp.cos(x)

    def grad(self, x, y, gy):
        return -(gy * sin(x))

    def grad_array(self, xp, x, y, gy):
        return -(gy * xp.sin(x))


class Tan(UnaryElementwise):
    name = 'tan'

    def compute(self, xp, x):
        return xp.tan(x)

    def grad(self, x, y, gy):
        c = cos(x)
        return gy / (c * c)

    def grad_array(self, xp, x, y, gy):
        c = xp.cos(x)
        return gy / (c * c)


class Arcsin(UnaryElementwise):
    name = 'arcsin'

    def compute(self, xp, x):
        return xp.arcsin(x)

    def grad(self, x, y, gy):
        return gy * rsqrt(1.0 - x * x)

    def grad_array(self, xp, x, y, gy):
        return gy / xp.sqrt(_scalar(x, 1) - x * x)


class Arccos(UnaryElementwise):
    name = 'arccos'

    def compute(self, xp, x):
        return xp.arccos(x)

    def grad(self, x, y, gy):
        return -(gy * rsqrt(1.0 - x * x))

    def grad_array(self, xp, x, y, gy):
        return -(gy / xp.sqrt(_scalar(x, 1) - x * x))


class Arctan(UnaryElementwise):
    name = 'arctan'

    def compute(self, xp, x):
        return xp.arctan(x)

    def grad(self, x, y, gy):
        return gy / (x * x + 1.0)

    def grad_array(self, xp, x, y, gy):
        return gy / (x * x + _scalar(x, 1))


def sin(x):
    """Elementwise sine :math:`y_i = \\sin x_i`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.sin(numpy.array([0., numpy.pi / 2])).array
    array([0., 1.])
    """
    return Sin().apply((x,))[0]


def cos(x):
    """Elementwise cosine :math:`y_i = \\cos x_i`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.cos(numpy.array([0., numpy.pi])).array
    array([ 1., -1.])
    """
    return Cos().apply((x,))[0]


def tan(x):
    """Elementwise tangent :math:`y_i = \\tan x_i`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.tan(numpy.array([0., numpy.pi / 4])).array.round(6)
    array([0., 1.])
    """
    return Tan().apply((x,))[0]


def arcsin(x):
    """Elementwise arcsine :math:`y_i = \\arcsin x_i` (``-1 < x < 1``).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.arcsin(numpy.array([0., 1.])).array
    array([0.        , 1.57079633])
    """
    return Arcsin().apply((x,))[0]


def arccos(x):
    """Elementwise arccosine :math:`y_i = \\arccos x_i` (``-1 < x < 1``).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.arccos(numpy.array([1., 0.])).array
    array([0.        , 1.57079633])
    """
    return Arccos().apply((x,))[0]


def arctan(x):
    """Elementwise arctangent :math:`y_i = \\arctan x_i`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.arctan(numpy.array([0., 1.])).array
    array([0.        , 0.78539816])
    """
    return Arctan().apply((x,))[0]


class Arctan2(function_node.FunctionNode):
    """``arctan2(x1, x2)``: the angle of the point ``(x2, x1)``."""

    @property
    def label(self):
        return 'arctan2'

    def forward(self, inputs):
        x1, x2 = inputs
        _check_binary('arctan2', x1, x2)
        self.retain_inputs((0, 1))
        xp = backend.get_array_module(x1)
        return _common.force_array(xp.arctan2(x1, x2), x1.dtype),

    def backward(self, indexes, grad_outputs):
        x1, x2 = self.get_retained_inputs()
        g = grad_outputs[0] / (x1 * x1 + x2 * x2)
        return tuple(g * x2 if i == 0 else -(g * x1) for i in indexes)

    def backward_array(self, indexes, grad_outputs):
        x1 = self.inputs[0].data
        x2 = self.inputs[1].data
        g = grad_outputs[0] / (x1 * x1 + x2 * x2)
        return tuple(_common.force_array(g * x2 if i == 0 else -(g * x1), x1.dtype)
                     for i in indexes)


def arctan2(x1, x2):
    """Elementwise arctangent of ``x1 / x2`` in the quadrant of ``(x2, x1)``.

    Args:
        x1 (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Y-coordinates, float.
        x2 (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): X-coordinates, of the shape and dtype of ``x1``.

    Returns:
        ~kusari.Variable: Angles in radians, in ``[-pi, pi]``.

    >>> import numpy, kusari.functions as F
    >>> F.arctan2(numpy.array([1., -1.]), numpy.array([-1., -1.])).array
    array([ 2.35619449, -2.35619449])
    """
    return Arctan2().apply((x1, x2))[0]
