"""Sparse matrices in COO format (Chainer's ``chainer.utils.CooMatrix`` / ``to_coo``).

Lives in kusari-functions for now; the core is expected to expose these two names as
``kusari.utils.CooMatrix`` and ``kusari.utils.to_coo``.
"""
import numpy

from kusari import _core
from kusari import backend


class CooMatrix(object):
    """A sparse matrix (or a batch of them) in COO format.

    Entry ``k`` holds the value ``data[..., k]`` at ``(row[..., k], col[..., k])``;
    entries whose row or column is negative are padding and are ignored (arrays of a
    batch share one length, ``ldnz``).  Duplicate coordinates add up.

    Args:
        data (array): values, of shape ``(nnz,)`` or ``(B, nnz)`` for a batch.
        row (array): int32 row indices, of the shape of ``data``.
        col (array): int32 column indices, of the shape of ``data``.
        shape (tuple of two ints): ``(M, N)``, the shape of one matrix.
        order ('C', 'F' or None): the order the entries are sorted in, if any
            (informational).
        requires_grad (bool): whether :attr:`data` requires a gradient.

    Attributes:
        data (Variable): the values (differentiable through :func:`sparse_matmul`).
        row, col (array): the indices.
        shape (tuple): ``(M, N)``.
        order: as given.

    >>> import numpy
    >>> from kusari.utils import CooMatrix
    >>> a = CooMatrix(numpy.array([1., 2.], numpy.float32),
    ...               numpy.array([0, 1], numpy.int32), numpy.array([1, 0], numpy.int32),
    ...               (2, 2))
    >>> a.to_dense()
    array([[0., 1.],
           [2., 0.]], dtype=float32)
    """

    def __init__(self, data, row, col, shape, order=None, requires_grad=False):
        data = _core.as_array(data)
        if not (_core.is_array(data) and _core.is_array(row) and _core.is_array(col)):
            raise TypeError('CooMatrix: data, row and col must be arrays')
        if data.ndim not in (1, 2):
            raise ValueError('CooMatrix: data must be 1-D or 2-D (a batch), got ndim=%d'
                             % data.ndim)
        if row.shape != data.shape or col.shape != data.shape:
            raise ValueError('CooMatrix: data, row and col must have one shape, got %s, '
                             '%s, %s' % (data.shape, row.shape, col.shape))
        if row.dtype.kind not in 'iu' or col.dtype.kind not in 'iu':
            raise ValueError('CooMatrix: row and col must be integer arrays, got %s, %s'
                             % (row.dtype, col.dtype))
        if len(shape) != 2:
            raise ValueError('CooMatrix: shape must be (M, N), got %r' % (shape,))
        shape = (int(shape[0]), int(shape[1]))
        if row.size and (int(row.max()) >= shape[0] or int(col.max()) >= shape[1]):
            raise ValueError('CooMatrix: an index is out of range of shape %s' % (shape,))
        if order not in (None, 'C', 'F'):
            raise ValueError("CooMatrix: order must be 'C', 'F' or None, got %r"
                             % (order,))
        self.data = _core.Variable(data, requires_grad=requires_grad)
        self.row = row.astype(numpy.int32, copy=False)
        self.col = col.astype(numpy.int32, copy=False)
        self.shape = shape
        self.order = order

    def to_dense(self):
        """The dense array: ``(M, N)``, or ``(B, M, N)`` for a batch."""
        data = self.data.array
        xp = backend.get_array_module(data)
        valid = (self.row >= 0) & (self.col >= 0)
        vals = xp.where(valid, data, 0)
        r = xp.where(valid, self.row, 0)
        c = xp.where(valid, self.col, 0)
        M, N = self.shape
        if data.ndim == 1:
            flat = r.astype(numpy.int64) * N + c
            out = xp.bincount(flat, weights=vals.astype(numpy.float64), minlength=M * N)
            return out.reshape(M, N).astype(data.dtype)
        B = data.shape[0]
        b = xp.arange(B, dtype=numpy.int64)[:, None]
        flat = (b * M + r) * N + c
        out = xp.bincount(flat.ravel(), weights=vals.astype(numpy.float64).ravel(),
                          minlength=B * M * N)
        return out.reshape(B, M, N).astype(data.dtype)


def to_coo(x, ldnz=None, requires_grad=False):
    """Convert a dense matrix (or a batch of them) to a :class:`CooMatrix`.

    Args:
        x (Variable or array): 2-D matrix, or a 3-D batch of matrices.
        ldnz (int or None): length of the data and index arrays; the actual length is
            ``max(nnz, ldnz)`` (the largest nnz of the batch); unused entries are
            padding (index -1, value 0).
        requires_grad (bool): whether the result's ``data`` requires a gradient.

    Returns:
        CooMatrix: the non-zero entries in row-major ('C') order.

    >>> import numpy
    >>> from kusari.utils import to_coo
    >>> a = to_coo(numpy.array([[0., 3.], [4., 0.]], numpy.float32), ldnz=3)
    >>> a.data.array
    array([3., 4., 0.], dtype=float32)
    >>> a.row, a.col
    (array([ 0,  1, -1], dtype=int32), array([ 1,  0, -1], dtype=int32))
    """
    x = _core.as_array(x)
    xp = backend.get_array_module(x)
    if x.ndim == 2:
        mats = x[None]
    elif x.ndim == 3:
        mats = x
    else:
        raise ValueError('to_coo: ndim of x must be 2 or 3, got %d' % x.ndim)
    nz = [xp.nonzero(m) for m in mats]
    nnz = max([len(r) for r, _ in nz] + [0])
    ld = nnz if ldnz is None or ldnz < nnz else int(ldnz)
    B = mats.shape[0]
    data = xp.zeros((B, ld), x.dtype)
    row = xp.full((B, ld), -1, numpy.int32)
    col = xp.full((B, ld), -1, numpy.int32)
    for i, (r, c) in enumerate(nz):
        k = len(r)
        data[i, :k] = mats[i][r, c]
        row[i, :k] = r
        col[i, :k] = c
    if x.ndim == 2:
        data, row, col = data[0], row[0], col[0]
    return CooMatrix(data, row, col, x.shape[-2:], order='C',
                     requires_grad=requires_grad)


def _sorted_by_rows(row, col):
    # Whether the (row, col) entries, ignoring padding (-1), are in row-major order.
    if row.shape != col.shape:
        raise ValueError('get_order: row and col must have the same shape, got {} '
                         'and {}'.format(row.shape, col.shape))
    if row.ndim != 1:
        return all(_sorted_by_rows(r, c) for r, c in zip(row, col))
    xp = backend.get_array_module(row)
    r = row[col >= 0]
    c = col[row >= 0]
    if (r < 0).any() or (c < 0).any():
        raise ValueError('get_order: invalid index combination of row and col '
                         '(a padding -1 in only one of them)')
    if r.shape[0] <= 1:
        return True
    dr = xp.zeros(r.shape, dtype=r.dtype)
    dr[1:] = r[1:] - r[:-1]
    if dr.min() < 0:
        return False
    dc = xp.zeros(c.shape, dtype=c.dtype)
    dc[1:] = c[1:] - c[:-1]
    dc[dr > 0] = 0          # a new row may start at any column
    return bool(dc.min() >= 0)


def get_order(row, col):
    """The order of a COO matrix's entries: ``'C'``, ``'F'`` or ``'other'``.

    ``'C'`` when the entries are sorted by row (then column), ``'F'`` when by
    column (then row); entries where ``row`` and ``col`` are both -1 (padding of
    :func:`to_coo`) are ignored.  Batched (2-d) indices must hold for every batch.

    Args:
        row (numpy.ndarray or cupy.ndarray): Row indices.
        col (numpy.ndarray or cupy.ndarray): Column indices, same shape.

    >>> import numpy
    >>> get_order(numpy.array([0, 0, 1]), numpy.array([0, 2, 1]))
    'C'
    >>> get_order(numpy.array([0, 1, 0]), numpy.array([0, 0, 1]))
    'F'
    """
    if _sorted_by_rows(row, col):
        return 'C'
    if _sorted_by_rows(col, row):
        return 'F'
    return 'other'
