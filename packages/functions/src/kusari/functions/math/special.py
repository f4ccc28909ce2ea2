"""Special functions: error functions, gamma family, zeta and the normal distribution.

:func:`erf`, :func:`erfc`, :func:`erfcinv`, :func:`erfcx`, :func:`erfinv`,
:func:`lgamma`, :func:`digamma`, :func:`polygamma`, :func:`zeta`, :func:`ndtr`,
:func:`ndtri`, :func:`log_ndtr`.

They evaluate with ``scipy.special`` on the CPU and ``cupyx.scipy.special`` on the GPU.
SciPy is optional (``pip install 'kusari-functions[special]'``); it is imported on
first use.  The gradients are written with these functions again, so gradients of any
order work.  float16 inputs are evaluated in float32 and cast back.
"""
import math

import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.math import _util

_SQRT_PI = math.sqrt(math.pi)
_SQRT_2PI = math.sqrt(2.0 * math.pi)


def _evaluate(name, label, *args):
    xp = _core.get_array_module(*args)
    special = _util.special_module(xp, label)
    x = args[-1]
    with numpy.errstate(all='ignore') if xp is numpy else _nullcontext():
        y = getattr(special, name)(*args)
    return _util.force_array(y, xp, x.dtype)


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _UnarySpecial(FunctionNode):
    """A special function of one float array; subclasses give its derivative."""

    _scipy_name = None

    def forward(self, inputs):
        x, = inputs
        _util.check_float(self.label, 'x', x)
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        return _evaluate(self._scipy_name, self.label, x),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        return self._grad(x, y, grad_outputs[0]),

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        y = self.get_retained_output_arrays()[0]
        xp = _core.get_array_module(x)
        with numpy.errstate(all='ignore') if xp is numpy else _nullcontext():
            g = self._grad_array(x, y, grad_outputs[0], xp)
        return _util.force_array(g, xp, x.dtype),


def _c(x, value):
    return x.dtype.type(value)


class Erf(_UnarySpecial):
    """Error function."""

    _scipy_name = 'erf'

    def _grad(self, x, y, gy):
        return gy * _util.exp(-(x * x)) * (2.0 / _SQRT_PI)

    def _grad_array(self, x, y, gy, xp):
        return gy * xp.exp(-(x * x)) * _c(x, 2.0 / _SQRT_PI)


class Erfc(_UnarySpecial):
    """Complementary error function."""

    _scipy_name = 'erfc'

    def _grad(self, x, y, gy):
        return gy * _util.exp(-(x * x)) * (-2.0 / _SQRT_PI)

    def _grad_array(self, x, y, gy, xp):
        return gy * xp.exp(-(x * x)) * _c(x, -2.0 / _SQRT_PI)


class ErfInv(_UnarySpecial):
    """Inverse error function."""

    _scipy_name = 'erfinv'

    def _grad(self, x, y, gy):
        return gy * _util.exp(y * y) * (_SQRT_PI / 2.0)

    def _grad_array(self, x, y, gy, xp):
        return gy * xp.exp(y * y) * _c(x, _SQRT_PI / 2.0)


class ErfcInv(_UnarySpecial):
    """Inverse complementary error function."""

    _scipy_name = 'erfcinv'

    def _grad(self, x, y, gy):
        return gy * _util.exp(y * y) * (-_SQRT_PI / 2.0)

    def _grad_array(self, x, y, gy, xp):
        return gy * xp.exp(y * y) * _c(x, -_SQRT_PI / 2.0)


class Erfcx(_UnarySpecial):
    """Scaled complementary error function ``exp(x^2) erfc(x)``."""

    _scipy_name = 'erfcx'

    def _grad(self, x, y, gy):
        return gy * (x * y * 2.0 - 2.0 / _SQRT_PI)

    def _grad_array(self, x, y, gy, xp):
        return gy * (x * y * _c(x, 2.0) - _c(x, 2.0 / _SQRT_PI))


class LGamma(_UnarySpecial):
    """Logarithm of the absolute value of the gamma function."""

    _scipy_name = 'gammaln'

    @property
    def label(self):
        return 'LGamma'

    def _grad(self, x, y, gy):
        return gy * digamma(x)

    def _grad_array(self, x, y, gy, xp):
        return gy * _evaluate('digamma', 'LGamma', x)


class DiGamma(_UnarySpecial):
    """Digamma function (derivative of ``lgamma``)."""

    _scipy_name = 'digamma'

    def _grad(self, x, y, gy):
        return gy * polygamma(_one_like(x.array), x)

    def _grad_array(self, x, y, gy, xp):
        return gy * _evaluate('polygamma', 'DiGamma', _one_like(x), x)


class Ndtr(_UnarySpecial):
    """Standard normal cumulative distribution function."""

    _scipy_name = 'ndtr'

    def _grad(self, x, y, gy):
        return gy * _util.exp(x * x * -0.5) * (1.0 / _SQRT_2PI)

    def _grad_array(self, x, y, gy, xp):
        return gy * xp.exp(x * x * _c(x, -0.5)) * _c(x, 1.0 / _SQRT_2PI)


class Ndtri(_UnarySpecial):
    """Inverse of the standard normal cumulative distribution function."""

    _scipy_name = 'ndtri'

    def _grad(self, x, y, gy):
        return gy * _util.exp(y * y * 0.5) * _SQRT_2PI

    def _grad_array(self, x, y, gy, xp):
        return gy * xp.exp(y * y * _c(x, 0.5)) * _c(x, _SQRT_2PI)


class LogNdtr(_UnarySpecial):
    """Logarithm of the standard normal cumulative distribution function."""

    _scipy_name = 'log_ndtr'

    # d/dx log ndtr(x) = pdf(x) / ndtr(x) = exp(-x^2/2 - log_ndtr(x)) / sqrt(2 pi)
    def _grad(self, x, y, gy):
        return gy * _util.exp(x * x * -0.5 - y) * (1.0 / _SQRT_2PI)

    def _grad_array(self, x, y, gy, xp):
        return gy * xp.exp(x * x * _c(x, -0.5) - y) * _c(x, 1.0 / _SQRT_2PI)


def _broadcast_shape(a, b):
    try:
        return numpy.broadcast_shapes(a, b)
    except ValueError:
        return None


def _one_like(x):
    xp = _core.get_array_module(x)
    return xp.ones(x.shape, numpy.int32)


class PolyGamma(FunctionNode):
    """Polygamma function of order ``n`` (an integer array) at ``x``."""

    def forward(self, inputs):
        n, x = inputs
        if n.dtype.kind not in 'iu':
            raise _util.invalid('PolyGamma', 'n.dtype.kind == i', '%s != i' % n.dtype.kind)
        _util.check_float('PolyGamma', 'x', x)
        if _broadcast_shape(n.shape, x.shape) != x.shape:
            raise _util.invalid('PolyGamma', 'n.shape broadcastable to x.shape',
                                '%s, %s' % (n.shape, x.shape))
        self.retain_inputs((0, 1))
        return _evaluate('polygamma', 'PolyGamma', n, x),

    def backward(self, indexes, grad_outputs):
        n, x = self.get_retained_inputs()
        gy, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(None)
            else:
                # asarray: a 0-dim n plus 1 is a NumPy scalar
                n1 = n.array + 1
                if isinstance(n1, numpy.generic):
                    n1 = numpy.asarray(n1)
                ret.append(gy * polygamma(n1, x))
        return tuple(ret)

    def backward_array(self, indexes, grad_outputs):
        n, x = self.inputs[0].data, self.inputs[1].data
        gy, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(None)
            else:
                ret.append(gy * _evaluate('polygamma', 'PolyGamma', n + 1, x))
        return tuple(ret)


class Zeta(FunctionNode):
    """Hurwitz zeta function ``zeta(x, q)`` of ``q`` for a constant array ``x``."""

    def __init__(self, x):
        self._x = x

    def forward(self, inputs):
        q, = inputs
        _util.check_float('Zeta', 'q', q)
        x = self._x
        if _broadcast_shape(numpy.shape(x), q.shape) != q.shape:
            raise _util.invalid('Zeta', 'x.shape broadcastable to q.shape',
                                '%s, %s' % (numpy.shape(x), q.shape))
        self.retain_inputs((0,))
        return _evaluate('zeta', 'Zeta', x, q),

    # d/dq zeta(x, q) = -x zeta(x + 1, q)
    def backward(self, indexes, grad_outputs):
        q, = self.get_retained_inputs()
        x = self._x
        return _gy_times(grad_outputs[0], zeta(x + 1, q), -x, q.dtype),

    def backward_array(self, indexes, grad_outputs):
        q = self.inputs[0].data
        x = self._x
        z = _evaluate('zeta', 'Zeta', x + 1, q)
        return grad_outputs[0] * z * _util.force_array(-x, _core.get_array_module(q),
                                                        q.dtype),


def _gy_times(gy, z, c, dtype):
    xp = _core.get_array_module(gy.array)
    return gy * z * xp.asarray(c, dtype=dtype)


# ---- public wrappers ---------------------------------------------------------------


def erf(x):
    """Elementwise error function.

    .. math:: \\mathrm{erf}(x) = \\frac{2}{\\sqrt{\\pi}} \\int_0^x e^{-t^2} dt

    Args:
        x (Variable or array): float array of any shape.

    Returns:
        Variable: ``erf(x)``, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.erf(numpy.array([0., 10.], numpy.float32)).array
    array([0., 1.], dtype=float32)
    """
    return Erf().apply((x,))[0]


def erfc(x):
    """Elementwise complementary error function ``1 - erf(x)``.

    Args:
        x (Variable or array): float array of any shape.

    Returns:
        Variable: ``erfc(x)``, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.erfc(numpy.array([0., 10.], numpy.float32)).array
    array([1., 0.], dtype=float32)
    """
    return Erfc().apply((x,))[0]


def erfinv(x):
    """Elementwise inverse error function (defined on ``(-1, 1)``).

    Args:
        x (Variable or array): float array of any shape.

    Returns:
        Variable: ``y`` with ``erf(y) = x``, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.erfinv(numpy.array([0.], numpy.float32)).array
    array([0.], dtype=float32)
    """
    return ErfInv().apply((x,))[0]


def erfcinv(x):
    """Elementwise inverse complementary error function (defined on ``(0, 2)``).

    Args:
        x (Variable or array): float array of any shape.

    Returns:
        Variable: ``y`` with ``erfc(y) = x``, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.erfcinv(numpy.array([1.], numpy.float32)).array
    array([0.], dtype=float32)
    """
    return ErfcInv().apply((x,))[0]


def erfcx(x):
    """Elementwise scaled complementary error function ``exp(x^2) erfc(x)``.

    Args:
        x (Variable or array): float array of any shape.

    Returns:
        Variable: ``erfcx(x)``, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.erfcx(numpy.array([0.], numpy.float32)).array
    array([1.], dtype=float32)
    """
    return Erfcx().apply((x,))[0]


def lgamma(x):
    """Elementwise log of the absolute value of the gamma function.

    Args:
        x (Variable or array): float array of any shape.

    Returns:
        Variable: ``log |Gamma(x)|``, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.lgamma(numpy.array([1., 2.], numpy.float32)).array
    array([0., 0.], dtype=float32)
    """
    return LGamma().apply((x,))[0]


def digamma(x):
    """Elementwise digamma function, the derivative of :func:`lgamma`.

    Args:
        x (Variable or array): float array of any shape.

    Returns:
        Variable: ``psi(x)``, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.digamma(numpy.array([1.], numpy.float64)).array  # -Euler's constant
    array([-0.57721566])
    """
    return DiGamma().apply((x,))[0]


def polygamma(n, x):
    """Elementwise polygamma function, the ``n``-th derivative of :func:`digamma`.

    Args:
        n (Variable or array): integer orders (not differentiable), broadcastable to
            the shape of ``x``.
        x (Variable or array): float array.

    Returns:
        Variable: ``psi^(n)(x)``, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> n = numpy.array([1], numpy.int32)
    >>> F.polygamma(n, numpy.array([1.])).array  # pi^2 / 6
    array([1.64493407])
    """
    return PolyGamma().apply((n, x))[0]


def zeta(x, q):
    """Elementwise Hurwitz zeta function, differentiable with respect to ``q``.

    .. math:: \\zeta(x, q) = \\sum_{k=0}^{\\infty} (k + q)^{-x}

    Args:
        x (array or Variable): exponents (treated as constants; their array is used),
            broadcastable to the shape of ``q``.
        q (Variable or array): float array.

    Returns:
        Variable: ``zeta(x, q)``, of the shape of ``q``.

    >>> import numpy, kusari.functions as F
    >>> F.zeta(numpy.array([2.]), numpy.array([1.])).array  # pi^2 / 6
    array([1.64493407])
    """
    return Zeta(_util.array_of(x)).apply((q,))[0]


def ndtr(x):
    """Elementwise standard normal cumulative distribution function.

    Args:
        x (Variable or array): float array of any shape.

    Returns:
        Variable: ``Phi(x)``, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.ndtr(numpy.array([0.], numpy.float32)).array
    array([0.5], dtype=float32)
    """
    return Ndtr().apply((x,))[0]


def ndtri(x):
    """Elementwise inverse of the standard normal CDF (defined on ``(0, 1)``).

    Args:
        x (Variable or array): float array of any shape.

    Returns:
        Variable: ``y`` with ``ndtr(y) = x``, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.ndtri(numpy.array([0.5], numpy.float32)).array
    array([0.], dtype=float32)
    """
    return Ndtri().apply((x,))[0]


def log_ndtr(x):
    """Elementwise logarithm of the standard normal CDF, accurate for very negative ``x``.

    Args:
        x (Variable or array): float array of any shape.

    Returns:
        Variable: ``log Phi(x)``, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.log_ndtr(numpy.array([0.], numpy.float64)).array  # log(1/2)
    array([-0.69314718])
    """
    return LogNdtr().apply((x,))[0]
