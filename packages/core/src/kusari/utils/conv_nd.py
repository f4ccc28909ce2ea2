"""N-dimensional im2col/col2im (Chainer's ``chainer.utils.conv_nd``).

The layout is Chainer's: ``col[n, c, k_1, ..., k_N, o_1, ..., o_N]``.
"""
import itertools

from kusari import backend
from kusari.utils.conv import get_conv_outsize, get_deconv_outsize  # noqa: F401


def as_tuple(x, n):
    """``x`` as a tuple of length ``n`` (a scalar is repeated).

    >>> as_tuple(2, 3)
    (2, 2, 2)
    """
    if hasattr(x, '__getitem__'):
        assert len(x) == n
        return tuple(x)
    return (x,) * n


def _check(name, ndim, ksize, stride, pad, dilate):
    n = ndim - 2
    dilate = (1,) * n if dilate is None else as_tuple(dilate, n)
    # Chainer asserts the ranks (its tests expect AssertionError)
    assert len(ksize) == n, '{}: ksize needs {} entries'.format(name, n)
    assert len(stride) == n, '{}: stride needs {} entries'.format(name, n)
    assert len(pad) == n, '{}: pad needs {} entries'.format(name, n)
    return dilate


def im2col_nd_cpu(img, ksize, stride, pad, cover_all=False, dilate=None, pval=0):
    """Patches of ``img`` (N, C, d_1..d_N): shape (N, C, k_1..k_N, o_1..o_N).

    >>> import numpy
    >>> img = numpy.arange(4, dtype=numpy.float32).reshape(1, 1, 4)
    >>> im2col_nd_cpu(img, (2,), (2,), (0,))[0, 0]
    array([[0., 2.],
           [1., 3.]], dtype=float32)
    """
    dilate = _check('im2col_nd', img.ndim, ksize, stride, pad, dilate)
    n, c = img.shape[:2]
    dims = img.shape[2:]
    outs = tuple(get_conv_outsize(d, k, s, p, cover_all, dl)
                 for d, k, s, p, dl in zip(dims, ksize, stride, pad, dilate))
    assert all(o > 0 for o in outs), 'im2col_nd: the output would be empty'
    xp = backend.get_array_module(img)
    widths = ((0, 0), (0, 0)) + tuple((p, p + s - 1) for p, s in zip(pad, stride))
    img = xp.pad(img, widths, mode='constant', constant_values=(pval,))
    col = xp.ndarray((n, c) + tuple(ksize) + outs, dtype=img.dtype)
    for ks in itertools.product(*[range(k) for k in ksize]):
        sl = tuple(slice(k * dl, k * dl + s * o, s)
                   for k, dl, s, o in zip(ks, dilate, stride, outs))
        col[(slice(None), slice(None)) + ks] = img[(slice(None), slice(None)) + sl]
    return col


def col2im_nd_cpu(col, stride, pad, dims, dilate=None):
    """The adjoint of :func:`im2col_nd_cpu`: sums the patches into (N, C, *dims).

    >>> import numpy
    >>> col = numpy.ones((1, 1, 2, 2), numpy.float32)
    >>> col2im_nd_cpu(col, (1,), (0,), (3,))[0, 0]
    array([1., 2., 1.], dtype=float32)
    """
    nd = len(dims)
    assert col.ndim == 2 + 2 * nd, \
        'col2im_nd: col of {} dims does not match {} spatial dims'.format(col.ndim, nd)
    n, c = col.shape[:2]
    ksize = col.shape[2:2 + nd]
    outs = col.shape[2 + nd:]
    dilate = _check('col2im_nd', nd + 2, ksize, stride, pad, dilate)
    xp = backend.get_array_module(col)
    img = xp.zeros((n, c) + tuple(d + 2 * p + s - 1
                                  for d, p, s in zip(dims, pad, stride)),
                   dtype=col.dtype)
    for ks in itertools.product(*[range(k) for k in ksize]):
        sl = tuple(slice(k * dl, k * dl + s * o, s)
                   for k, dl, s, o in zip(ks, dilate, stride, outs))
        img[(slice(None), slice(None)) + sl] += col[(slice(None), slice(None)) + ks]
    return img[(slice(None), slice(None)) +
               tuple(slice(p, p + d) for p, d in zip(pad, dims))]


# The same code runs on CuPy arrays.
im2col_nd_gpu = im2col_nd_cpu
col2im_nd_gpu = col2im_nd_cpu


def im2col_nd(img, ksize, stride, pad, cover_all=False, dilate=None):
    """:func:`im2col_nd_cpu` for an array of any device."""
    return im2col_nd_cpu(img, ksize, stride, pad, cover_all, dilate)


def col2im_nd(col, stride, pad, dims, dilate=None):
    """:func:`col2im_nd_cpu` for an array of any device."""
    return col2im_nd_cpu(col, stride, pad, dims, dilate)
