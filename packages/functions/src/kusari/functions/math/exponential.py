"""Elementwise exponentials and logarithms: exp, expm1, log, log10, log1p, log2."""
import math

from kusari.functions.math.basic_elementwise import UnaryElementwise
from kusari.functions.math.basic_elementwise import _scalar

__all__ = ['exp', 'expm1', 'log', 'log10', 'log1p', 'log2']


class Exp(UnaryElementwise):
    name = 'exp'
    retain_x = False
    retain_y = True

    def compute(self, xp, x):
        return xp.exp(x)

    def grad(self, x, y, gy):
        return gy * y

    def grad_array(self, xp, x, y, gy):
        return gy * y


def exp(x):
    """Elementwise exponential function :math:`y_i = \\exp(x_i)`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.exp(numpy.array([0., 1.])).array
    array([1.        , 2.71828183])
    """
    return Exp().apply((x,))[0]


class Expm1(UnaryElementwise):
    name = 'expm1'

    def compute(self, xp, x):
        return xp.expm1(x)

    def grad(self, x, y, gy):
        return gy * exp(x)

    def grad_array(self, xp, x, y, gy):
        return gy * xp.exp(x)


def expm1(x):
    """Elementwise :math:`y_i = \\exp(x_i) - 1`, accurate for small ``x``.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.expm1(numpy.array([0., 1e-10])).array
    array([0.e+00, 1.e-10])
    """
    return Expm1().apply((x,))[0]


class Log(UnaryElementwise):
    name = 'log'

    def compute(self, xp, x):
        return xp.log(x)

    def grad(self, x, y, gy):
        return gy / x

    def grad_array(self, xp, x, y, gy):
        return gy / x


def log(x):
    """Elementwise natural logarithm :math:`y_i = \\ln x_i`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.log(numpy.array([1., numpy.e])).array
    array([0., 1.])
    """
    return Log().apply((x,))[0]


class _LogBase(UnaryElementwise):
    factor = None   # 1 / ln(base)

    def grad(self, x, y, gy):
        return gy / x * self.factor

    def grad_array(self, xp, x, y, gy):
        return gy / x * _scalar(x, self.factor)


class Log2(_LogBase):
    name = 'log2'
    factor = 1.0 / math.log(2.0)

    def compute(self, xp, x):
        return xp.log2(x)


class Log10(_LogBase):
    name = 'log10'
    factor = 1.0 / math.log(10.0)

    def compute(self, xp, x):
        return xp.log10(x)


def log2(x):
    """Elementwise base-2 logarithm :math:`y_i = \\log_2 x_i`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.log2(numpy.array([1., 8.], numpy.float32)).array
    array([0., 3.], dtype=float32)
    """
    return Log2().apply((x,))[0]


def log10(x):
    """Elementwise base-10 logarithm :math:`y_i = \\log_{10} x_i`.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.log10(numpy.array([1., 100.], numpy.float32)).array.round(5)
    array([0., 2.], dtype=float32)

    (NumPy's float32 ``log10`` is within an ulp or two of the exact value and the
    last digit depends on the CPU's SIMD loop, hence the rounding.)
    """
    return Log10().apply((x,))[0]


class Log1p(UnaryElementwise):
    name = 'log1p'

    def compute(self, xp, x):
        return xp.log1p(x)

    def grad(self, x, y, gy):
        return gy / (x + 1.0)

    def grad_array(self, xp, x, y, gy):
        return gy / (x + _scalar(x, 1))


def log1p(x):
    """Elementwise :math:`y_i = \\ln(1 + x_i)`, accurate for small ``x``.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.log1p(numpy.array([0., 1e-10])).array
    array([0.e+00, 1.e-10])
    """
    return Log1p().apply((x,))[0]
