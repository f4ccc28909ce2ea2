"""Products of a sparse COO matrix and a dense one (``F.sparse_matmul``).

Two graph nodes do everything: :class:`_CooMM` (sparse times dense, the entries'
values as an input) and :class:`_CooSDDMM` (the dense product sampled at the sparse
pattern, which is the gradient for the values).  Each one's gradient is made of the
two, so gradients of any order work.  The arithmetic is vectorized (gathers and a
scatter-add) and runs unchanged on NumPy and CuPy arrays.
"""
import numpy

from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.utils import CooMatrix
from kusari.utils import type_check

_LABEL = 'sparse_matmul'


def _work(dtype):
    return numpy.float32 if dtype == numpy.float16 else dtype


def _scatter_add(xp, out2, idx, vals):
    if xp is numpy:
        numpy.add.at(out2, idx, vals)
    else:
        import cupyx
        cupyx.scatter_add(out2, idx, vals)


class _Pattern:
    """Batched, masked indices of the sparse entries (rows ``r`` of an ``M x K``)."""

    def __init__(self, row, col, m, k):
        self.row, self.col, self.m, self.k = row, col, m, k

    def swapped(self):
        return _Pattern(self.col, self.row, self.k, self.m)

    def prepare(self, xp, batch):
        row = self.row if self.row.ndim == 2 else self.row[None]
        col = self.col if self.col.ndim == 2 else self.col[None]
        valid = (row >= 0) & (col >= 0)
        r = xp.where(valid, row, 0).astype(numpy.int64)
        c = xp.where(valid, col, 0).astype(numpy.int64)
        b = xp.broadcast_to(xp.arange(batch, dtype=numpy.int64)[:, None], r.shape)
        return b, r, c, valid


def _mm(pat, data, dense):
    """``out[b, r_k, :] += data[b, k] * dense[b, c_k, :]``."""
    xp = backend.get_array_module(dense)
    batched = dense.ndim == 3
    d = dense if batched else dense[None]
    v = data if batched else data[None]
    wd = _work(d.dtype)
    B, _, N = d.shape
    b, r, c, valid = pat.prepare(xp, B)
    contrib = (xp.where(valid, v, 0).astype(wd)[..., None] * d[b, c].astype(wd))
    out = xp.zeros((B * pat.m, N), wd)
    _scatter_add(xp, out, (b * pat.m + r).ravel(), contrib.reshape(-1, N))
    out = out.reshape(B, pat.m, N).astype(dense.dtype, copy=False)
    return out if batched else out[0]


def _sddmm(pat, g, dense):
    """``out[b, k] = <g[b, r_k, :], dense[b, c_k, :]>`` (0 for padding)."""
    xp = backend.get_array_module(dense)
    batched = dense.ndim == 3
    gg = g if batched else g[None]
    d = dense if batched else dense[None]
    wd = _work(d.dtype)
    b, r, c, valid = pat.prepare(xp, d.shape[0])
    out = (gg[b, r].astype(wd) * d[b, c].astype(wd)).sum(axis=-1)
    out = xp.where(valid, out, 0).astype(dense.dtype, copy=False)
    return out if batched else out[0]


class _CooMM(function_node.FunctionNode):
    """Sparse (values ``data``, fixed pattern) times dense."""

    def __init__(self, pat):
        self.pat = pat

    @property
    def label(self):
        return 'CooMatMul'

    def forward(self, inputs):
        data, dense = inputs
        self.retain_inputs((0, 1))
        return _mm(self.pat, data, dense),

    def backward_array(self, indexes, grad_outputs):
        data, dense = self.get_retained_input_arrays()
        g, = grad_outputs
        g_data = _sddmm(self.pat, g, dense) if 0 in indexes else None
        g_dense = _mm(self.pat.swapped(), data, g) if 1 in indexes else None
        return g_data, g_dense

    def backward(self, indexes, grad_outputs):
        data, dense = self.get_retained_inputs()
        g, = grad_outputs
        g_data = _CooSDDMM(self.pat).apply((g, dense))[0] if 0 in indexes else None
        g_dense = (_CooMM(self.pat.swapped()).apply((data, g))[0]
                   if 1 in indexes else None)
        return g_data, g_dense


class _CooSDDMM(function_node.FunctionNode):
    """``(g, dense) -> <g[r_k], dense[c_k]>`` per sparse entry."""

    def __init__(self, pat):
        self.pat = pat

    @property
    def label(self):
        return 'CooMatMulGradSP'

    def forward(self, inputs):
        g, dense = inputs
        self.retain_inputs((0, 1))
        return _sddmm(self.pat, g, dense),

    def backward_array(self, indexes, grad_outputs):
        g, dense = self.get_retained_input_arrays()
        h, = grad_outputs
        gg = _mm(self.pat, h, dense) if 0 in indexes else None
        gd = _mm(self.pat.swapped(), h, g) if 1 in indexes else None
        return gg, gd

    def backward(self, indexes, grad_outputs):
        g, dense = self.get_retained_inputs()
        h, = grad_outputs
        gg = _CooMM(self.pat).apply((h, dense))[0] if 0 in indexes else None
        gd = _CooMM(self.pat.swapped()).apply((h, g))[0] if 1 in indexes else None
        return gg, gd


def _invalid(expect, actual):
    return type_check.InvalidType(
        expect, actual, msg='Invalid operation is performed in: %s (Forward)\n\n'
        'Expect: %s\nActual: %s' % (_LABEL, expect, actual))


def _swap_last(v):
    v = _core.as_variable(v)
    axes = tuple(range(v.ndim - 2)) + (v.ndim - 1, v.ndim - 2)
    return _core.transpose(v, axes)


def _sparse_dense(sp, dn, trans_sp, trans_dn, trans_out):
    """``op(S) @ op(D)`` (transposed when ``trans_out``) with ``S`` sparse."""
    d = _core.as_array(dn)
    data = sp.data.array
    if d.dtype.kind != 'f':
        raise _invalid('dense.dtype.kind == f', '%s != f' % d.dtype.kind)
    if data.dtype.kind != 'f':
        raise _invalid('sparse.data.dtype.kind == f', '%s != f' % data.dtype.kind)
    if d.ndim != data.ndim + 1:
        raise _invalid('dense.ndim == sparse.data.ndim + 1', '%d != %d'
                       % (d.ndim, data.ndim + 1))
    if d.ndim == 3 and d.shape[0] != data.shape[0]:
        raise _invalid('dense.shape[0] == sparse.data.shape[0]', '%d != %d'
                       % (d.shape[0], data.shape[0]))
    pat = _Pattern(sp.row, sp.col, sp.shape[0], sp.shape[1])
    if trans_sp:
        pat = pat.swapped()
    k_dn = d.shape[-1] if trans_dn else d.shape[-2]
    if pat.k != k_dn:
        raise _invalid('inner dimensions match', '%d != %d' % (pat.k, k_dn))
    dense = _swap_last(dn) if trans_dn else dn
    # mixed float dtypes: computed in the promoted dtype, as in Chainer
    values, dense = _promote(sp.data, _core.as_variable(dense))
    y = _CooMM(pat).apply((values, dense))[0]
    return _swap_last(y) if trans_out else y


def _promote(*vs):
    dtype = numpy.result_type(*[v.dtype for v in vs])
    from kusari.functions.array.cast import cast
    return tuple(v if v.dtype == dtype else cast(v, dtype) for v in vs)


class CooMatMul(function_node.FunctionNode):
    """Chainer's graph node of :func:`sparse_matmul`: ``op(S) @ op(D)``.

    Its inputs are the values of the sparse matrix ``S`` (``(nnz,)``, or ``(B, nnz)``
    for a batch) and the dense ``D``; the sparsity pattern is fixed at construction.
    The output is ``op(S) @ op(D)``, transposed (last two axes) when ``transc``, in
    ``dtype`` (default: the promoted dtype of the two inputs).  Gradients of any
    order work (they are made of the nodes :func:`sparse_matmul` uses).

    Args:
        sp_row, sp_col (array): row and column indices of the entries (``-1``: unused).
        sp_shape (tuple of int): ``(M, K)`` of ``S``.
        sp_order (str or None): the entries' order (``'C'``, ``'F'`` or ``None``);
            accepted for Chainer compatibility, any order works.
        transa, transb (bool): transpose ``S`` / ``D``.
        transc (bool): transpose the product.
        dtype: output dtype, or ``None``.

    >>> import numpy
    >>> from kusari.utils import to_coo
    >>> from kusari.functions.math.sparse_matmul import CooMatMul
    >>> s = to_coo(numpy.array([[0., 2.], [1., 0.]], numpy.float32))
    >>> d = numpy.array([[1., 2.], [3., 4.]], numpy.float32)
    >>> CooMatMul(s.row, s.col, s.shape).apply((s.data.array, d))[0].array
    array([[6., 8.],
           [1., 2.]], dtype=float32)
    """

    def __init__(self, sp_row, sp_col, sp_shape, sp_order=None, transa=False,
                 transb=False, transc=False, dtype=None):
        pat = _Pattern(sp_row, sp_col, sp_shape[0], sp_shape[1])
        self.pat = pat.swapped() if transa else pat
        self.sp_order = sp_order
        self.transb = transb
        self.transc = transc
        self.dtype = None if dtype is None else numpy.dtype(dtype)

    @property
    def label(self):
        return 'CooMatMul'

    def _dtype(self, data, dense):
        if self.dtype is not None:
            return self.dtype
        return numpy.result_type(data.dtype, dense.dtype)

    def forward(self, inputs):
        data, dense = inputs
        self.retain_inputs((0, 1))
        dtype = self._dtype(data, dense)
        d = dense.swapaxes(-1, -2) if self.transb else dense
        if self.pat.k != d.shape[-2]:
            raise _invalid('inner dimensions match', '%d != %d'
                           % (self.pat.k, d.shape[-2]))
        y = _mm(self.pat, data.astype(dtype, copy=False), d.astype(dtype, copy=False))
        if self.transc:
            y = y.swapaxes(-1, -2)
        return backend.get_array_module(y).ascontiguousarray(y),

    def backward(self, indexes, grad_outputs):
        from kusari.functions.array.cast import cast
        data, dense = self.get_retained_inputs()
        gy, = grad_outputs
        dtype = self._dtype(data, dense)
        if self.transc:
            gy = _swap_last(gy)
        gy = cast(gy, dtype) if gy.dtype != dtype else gy
        d = _swap_last(dense) if self.transb else dense
        d = cast(d, dtype) if d.dtype != dtype else d
        ret = []
        if 0 in indexes:
            g = _CooSDDMM(self.pat).apply((gy, d))[0]
            ret.append(cast(g, data.dtype) if g.dtype != data.dtype else g)
        if 1 in indexes:
            v = cast(data, dtype) if data.dtype != dtype else data
            g = _CooMM(self.pat.swapped()).apply((v, gy))[0]
            if self.transb:
                g = _swap_last(g)
            ret.append(cast(g, dense.dtype) if g.dtype != dense.dtype else g)
        return tuple(ret)


def sparse_matmul(a, b, transa=False, transb=False):
    """Matrix product of a sparse COO matrix and a dense matrix.

    Computes ``op(a) @ op(b)`` where exactly one of ``a`` and ``b`` is a
    :class:`~kusari.functions.math._coo.CooMatrix` (see ``to_coo``) and the other a
    dense array or Variable; ``op`` transposes the last two axes when ``transa`` /
    ``transb`` is set.  A sparse matrix with 2-D ``data`` is a batch and goes with a
    3-D dense operand.  Gradients flow to the sparse values (``a.data`` / ``b.data``)
    and to the dense operand, to any order.

    Args:
        a (CooMatrix or Variable or array): ``(M, K)`` or ``(B, M, K)``.
        b (CooMatrix or Variable or array): ``(K, N)`` or ``(B, K, N)``.
        transa (bool): transpose ``a``.
        transb (bool): transpose ``b``.

    Returns:
        Variable: the dense product, ``(M, N)`` or ``(B, M, N)``.

    >>> import numpy, kusari.functions as F
    >>> from kusari.utils import to_coo
    >>> a = to_coo(numpy.array([[0., 2.], [1., 0.]], numpy.float32))
    >>> b = numpy.array([[1., 2.], [3., 4.]], numpy.float32)
    >>> F.sparse_matmul(a, b).array
    array([[6., 8.],
           [1., 2.]], dtype=float32)
    >>> F.sparse_matmul(b, a, transb=True).array
    array([[4., 1.],
           [8., 3.]], dtype=float32)
    """
    if isinstance(a, CooMatrix) and not isinstance(b, CooMatrix):
        return _sparse_dense(a, b, transa, transb, False)
    if isinstance(b, CooMatrix) and not isinstance(a, CooMatrix):
        # (op(a) op(b))^T = op(b)^T op(a)^T
        return _sparse_dense(b, a, not transb, not transa, True)
    raise ValueError('sparse_matmul: exactly one of a and b must be a CooMatrix, got %s '
                     'and %s' % (type(a).__name__, type(b).__name__))
