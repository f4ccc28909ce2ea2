"""Fourier transforms of complex data given as (real, imag) pairs: :func:`fft`, :func:`ifft`."""
from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.math import _util


def _transform(method, real, imag):
    xp = _core.get_array_module(real)
    y = getattr(xp.fft, method)(real + 1j * imag)
    return (xp.ascontiguousarray(y.real).astype(real.dtype, copy=False),
            xp.ascontiguousarray(y.imag).astype(imag.dtype, copy=False))


class FFT(FunctionNode):
    """One-dimensional discrete Fourier transform over the last axis.

    Args:
        method (str): ``'fft'`` or ``'ifft'`` (normalized by ``1/n``).
    """

    def __init__(self, method):
        if method not in ('fft', 'ifft'):
            raise ValueError("FFT: method must be 'fft' or 'ifft', got %r" % (method,))
        self._method = method

    @property
    def label(self):
        return 'FFT' if self._method == 'fft' else 'IFFT'

    def forward(self, inputs):
        r, i = inputs
        _util.check_float(self.label, 'real', r)
        _util.check_same_dtype(self.label, ('real', 'imag'), inputs)
        _util.check_same_shape(self.label, ('real', 'imag'), inputs)
        if r.ndim == 0:
            raise _util.invalid(self.label, 'real.ndim > 0', '0 <= 0')
        return _transform(self._method, r, i)

    # With g = gr + i*gi the gradient is F^H g for y = F x (and (1/n) F g for the
    # inverse); F^H g = swap(F(swap(g))) where swap exchanges real and imaginary parts.
    def backward(self, indexes, grad_outputs):
        gr, gi = self._grads(grad_outputs, True)
        gxi, gxr = FFT(self._method).apply((gi, gr))
        return gxr, gxi

    def backward_array(self, indexes, grad_outputs):
        gr, gi = self._grads(grad_outputs, False)
        gxi, gxr = _transform(self._method, gi, gr)
        return gxr, gxi

    def _grads(self, grad_outputs, var):
        gr, gi = grad_outputs
        if gr is None or gi is None:
            ref = gi if gr is None else gr
            arr = ref.array if var else ref
            z = _core.get_array_module(arr).zeros_like(arr)
            if var:
                z = _util.const(z)
            if gr is None:
                gr = z
            else:
                gi = z
        return gr, gi


def fft(x):
    """Fast Fourier transform over the last axis.

    Args:
        x (tuple): ``(real, imag)``, two float arrays (or Variables) of one shape and
            dtype holding the real and imaginary parts.

    Returns:
        tuple of Variable: ``(real, imag)`` of the transform.

    >>> import numpy, kusari.functions as F
    >>> r = numpy.array([1., 0., 0., 0.], numpy.float32)
    >>> yr, yi = F.fft((r, numpy.zeros(4, numpy.float32)))
    >>> yr.array
    array([1., 1., 1., 1.], dtype=float32)
    """
    real, imag = x
    return FFT('fft').apply((real, imag))


def ifft(x):
    """Inverse fast Fourier transform over the last axis (normalized by ``1/n``).

    Args:
        x (tuple): ``(real, imag)``, two float arrays (or Variables) of one shape and
            dtype holding the real and imaginary parts.

    Returns:
        tuple of Variable: ``(real, imag)`` of the inverse transform.

    >>> import numpy, kusari.functions as F
    >>> r = numpy.array([1., 1., 1., 1.], numpy.float32)
    >>> yr, yi = F.ifft((r, numpy.zeros(4, numpy.float32)))
    >>> yr.array
    array([1., 0., 0., 0.], dtype=float32)
    """
    real, imag = x
    return FFT('ifft').apply((real, imag))
