"""Linear algebra: determinants, inverses and the Cholesky decomposition.

:func:`det`, :func:`batch_det`, :func:`inv`, :func:`batch_inv`, :func:`cholesky`.
Their gradients are written with :func:`matmul`, :func:`inv` and core's nodes, so
gradients of any order work.  float16 inputs are computed in float32 (LAPACK has no
half precision) and cast back.
"""
import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.math import _util


def _check_square(func, a, ndim):
    _util.check_float(func, 'a', a)
    _util.check_ndim(func, 'a', a, ndim)
    if a.shape[-1] != a.shape[-2]:
        raise _util.invalid(func, 'a.shape[-2] == a.shape[-1]',
                            '%d != %d' % (a.shape[-2], a.shape[-1]))


def _compute_dtype(a):
    return numpy.float32 if a.dtype == numpy.float16 else a.dtype


def _swap_last(x):
    return _util.swap_last(x)


class Inv(FunctionNode):
    """Inverse of each square matrix in the last two axes (``(..., N, N)``)."""

    def forward(self, inputs):
        a, = inputs
        xp = _core.get_array_module(a)
        try:
            y = xp.linalg.inv(a.astype(_compute_dtype(a), copy=False))
        except numpy.linalg.LinAlgError:
            raise ValueError('Inv: input has singular matrices') from None
        if xp is not numpy and not bool(xp.isfinite(y).all()):
            raise ValueError('Inv: input has singular matrices')
        self.retain_outputs((0,))
        return y.astype(a.dtype, copy=False),

    # d(A^-1) = -A^-1 dA A^-1  =>  gA = -Y^T gY Y^T
    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        yt = _swap_last(y)
        mm = _core.MatMul
        return -mm().apply((mm().apply((yt, gy))[0], yt))[0],

    def backward_array(self, indexes, grad_outputs):
        y = self.get_retained_output_arrays()[0]
        gy, = grad_outputs
        xp = _core.get_array_module(y)
        yt = xp.swapaxes(y, -1, -2)
        return -xp.matmul(xp.matmul(yt, gy), yt),


def inv(a):
    """Inverse of a square matrix.

    Args:
        a (Variable or array): float array of shape ``(N, N)``.

    Returns:
        Variable: :math:`a^{-1}`, of shape ``(N, N)``.  A singular ``a`` raises
        ValueError.

    >>> import numpy, kusari.functions as F
    >>> F.inv(numpy.array([[2., 0.], [0., 4.]], numpy.float32)).array
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
    """
    _check_square('inv', _util.array_of(a), 2)
    return Inv().apply((a,))[0]


def batch_inv(a):
    """Inverses of a batch of square matrices.

    Args:
        a (Variable or array): float array of shape ``(B, N, N)``.

    Returns:
        Variable: the ``B`` inverses, of shape ``(B, N, N)``.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.stack([numpy.eye(2, dtype=numpy.float32) * 2, numpy.eye(2, dtype=numpy.float32)])
    >>> F.batch_inv(a).array[:, 0, 0]
    array([0.5, 1. ], dtype=float32)
    """
    _check_square('batch_inv', _util.array_of(a), 3)
    return Inv().apply((a,))[0]


class Det(FunctionNode):
    """Determinant of each square matrix in the last two axes (``(..., N, N)``)."""

    def forward(self, inputs):
        a, = inputs
        xp = _core.get_array_module(a)
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        y = xp.linalg.det(a.astype(_compute_dtype(a), copy=False))
        return _util.force_array(y, xp, a.dtype),

    # d det(A) = det(A) tr(A^-1 dA)  =>  gA = gy det(A) A^-T
    def backward(self, indexes, grad_outputs):
        a, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        s = y.shape + (1, 1)
        coef = _util.reshape(gy * y, s)
        ainv_t = _swap_last(Inv().apply((a,))[0])
        return _util.broadcast_to(coef, a.shape) * ainv_t,

    def backward_array(self, indexes, grad_outputs):
        a = self.inputs[0].data
        y = self.get_retained_output_arrays()[0]
        gy, = grad_outputs
        xp = _core.get_array_module(a)
        try:
            ainv = xp.linalg.inv(a.astype(_compute_dtype(a), copy=False))
        except numpy.linalg.LinAlgError:
            raise ValueError('Det: the gradient needs the inverse of a singular '
                             'matrix') from None
        ainv = ainv.astype(a.dtype, copy=False)
        return (gy * y).reshape(y.shape + (1, 1)) * xp.swapaxes(ainv, -1, -2),


def det(a):
    """Determinant of a square matrix.

    Args:
        a (Variable or array): float array of shape ``(N, N)``.

    Returns:
        Variable: the determinant, a 0-D array.

    >>> import numpy, kusari.functions as F
    >>> F.det(numpy.array([[1., 2.], [3., 4.]])).array
    array(-2.)
    """
    _check_square('det', _util.array_of(a), 2)
    return Det().apply((a,))[0]


def batch_det(a):
    """Determinants of a batch of square matrices.

    Args:
        a (Variable or array): float array of shape ``(B, N, N)``.

    Returns:
        Variable: the ``B`` determinants, of shape ``(B,)``.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.array([[[1., 2.], [3., 4.]], [[2., 0.], [0., 3.]]])
    >>> F.batch_det(a).array
    array([-2.,  6.])
    """
    _check_square('batch_det', _util.array_of(a), 3)
    return Det().apply((a,))[0]


class Cholesky(FunctionNode):
    """Cholesky factor ``L`` (lower triangular, ``a = L L^T``) of a symmetric PD matrix.

    Only the lower triangle of ``a`` is read; the gradient returned is the symmetric
    one (as if ``a`` were parameterized as a symmetric matrix).
    """

    def forward(self, inputs):
        a, = inputs
        xp = _core.get_array_module(a)
        try:
            y = xp.linalg.cholesky(a.astype(_compute_dtype(a), copy=False))
        except numpy.linalg.LinAlgError:
            raise ValueError('Cholesky: the input is not positive definite') from None
        self.retain_outputs((0,))
        return y.astype(a.dtype, copy=False),

    # Phi = tril(L^T gL) with the diagonal halved; S = L^-T Phi L^-1; gA = (S + S^T) / 2
    def backward(self, indexes, grad_outputs):
        L, = self.get_retained_outputs()
        gL, = grad_outputs
        xp = _core.get_array_module(L.array)
        n = L.shape[-1]
        mask = numpy.tril(numpy.ones((n, n))) - 0.5 * numpy.eye(n)
        mask = xp.asarray(mask.astype(L.dtype))
        mm = _core.MatMul
        phi = mm().apply((_swap_last(L), gL))[0] * mask
        linv = Inv().apply((L,))[0]
        s = mm().apply((mm().apply((_swap_last(linv), phi))[0], linv))[0]
        return (s + _swap_last(s)) * 0.5,

    def backward_array(self, indexes, grad_outputs):
        L = self.get_retained_output_arrays()[0]
        gL, = grad_outputs
        xp = _core.get_array_module(L)
        n = L.shape[-1]
        phi = xp.tril(L.T @ gL)
        idx = xp.arange(n)
        phi[idx, idx] *= 0.5
        linv = xp.linalg.inv(L.astype(_compute_dtype(L), copy=False)).astype(L.dtype)
        s = linv.T @ phi @ linv
        return ((s + s.T) * s.dtype.type(0.5)).astype(L.dtype, copy=False),


def cholesky(a):
    """Cholesky decomposition of a symmetric positive-definite matrix.

    Args:
        a (Variable or array): float array of shape ``(N, N)``, symmetric positive
            definite (only its lower triangle is read).

    Returns:
        Variable: the lower-triangular ``L`` of shape ``(N, N)`` with
        :math:`a = L L^T`.  A matrix that is not positive definite raises ValueError.

    >>> import numpy, kusari.functions as F
    >>> F.cholesky(numpy.array([[4., 2.], [2., 5.]])).array
    array([[2., 0.],
           [1., 2.]])
    """
    _check_square('cholesky', _util.array_of(a), 2)
    return Cholesky().apply((a,))[0]

