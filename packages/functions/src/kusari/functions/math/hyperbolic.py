"""Elementwise hyperbolic functions: sinh, cosh, arctanh (tanh is an activation)."""
from kusari.functions.math.basic_elementwise import UnaryElementwise
from kusari.functions.math.basic_elementwise import _scalar

__all__ = ['sinh', 'cosh', 'arctanh']


class Sinh(UnaryElementwise):
    name = 'sinh'

    def compute(self, xp, x):
        return xp.sinh(x)

    def grad(self, x, y, gy):
        return gy * cosh(x)

    def grad_array(self, xp, x, y, gy):
        return gy * xp.cosh(x)


class Cosh(UnaryElementwise):
    name = 'cosh'

    def compute(self, xp, x):
        return xp.cosh(x)

    def grad(self, x, y, gy):
        return gy * sinh(x)

    def grad_array(self, xp, x, y, gy):
        return gy * xp.sinh(x)


class Arctanh(UnaryElementwise):
    name = 'arctanh'

    def compute(self, xp, x):
        return xp.arctanh(x)

    def grad(self, x, y, gy):
        return gy / (1.0 - x * x)

    def grad_array(self, xp, x, y, gy):
        return gy / (_scalar(x, 1) - x * x)


def sinh(x):
    """Elementwise hyperbolic sine :math:`y_i = \\sinh x_i`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.sinh(numpy.array([0., 1.])).array
    array([0.        , 1.17520119])
    """
    return Sinh().apply((x,))[0]


def cosh(x):
    """Elementwise hyperbolic cosine :math:`y_i = \\cosh x_i`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.cosh(numpy.array([0., 1.])).array
    array([1.        , 1.54308063])
    """
    return Cosh().apply((x,))[0]


def arctanh(x):
    """Elementwise inverse hyperbolic tangent :math:`y_i = \\tanh^{-1} x_i`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape in ``(-1, 1)``, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.arctanh(numpy.array([0., 0.5])).array
    array([0.        , 0.54930614])
    """
    return Arctanh().apply((x,))[0]
