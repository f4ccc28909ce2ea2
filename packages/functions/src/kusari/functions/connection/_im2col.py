"""im2col / col2im on NumPy (Cython kernels) and CuPy (custom kernels) arrays.

The column layout is Chainer's: ``col[n, c, k_1..k_d, o_1..o_d] =
x[n, c, o_1 * s_1 - p_1 + k_1 * d_1, ...]`` (0 outside the input).  These are
private helpers; callers validate their arguments first.
"""
import numpy

from kusari import _workspace
from kusari.backends import cuda
from kusari.functions.connection import _conv_kernels
from kusari.utils import conv


def as_tuple(v, ndim, name='value', who='function'):
    """``v`` (an int or a sequence of ``ndim`` ints) as a tuple of ``ndim`` ints."""
    if isinstance(v, (int, numpy.integer)):
        return (int(v),) * ndim
    try:
        t = tuple(int(e) for e in v)
    except TypeError:
        raise TypeError('%s: %s must be an int or a sequence of %d ints, got %r'
                        % (who, name, ndim, v)) from None
    if len(t) != ndim:
        raise ValueError('%s: %s must have %d entries, got %r' % (who, name, ndim, v))
    return t


def out_dims(dims, ksize, stride, pad, cover_all, dilate):
    """Output spatial shape of a convolution/pooling."""
    return tuple(conv.get_conv_outsize(a, k, s, p, cover_all, d)
                 for a, k, s, p, d in zip(dims, ksize, stride, pad, dilate))


# ---- GPU kernels (generic in the number of spatial dimensions) ------------------------
# ``meta`` (int32) holds dims, ksize, outs, stride, pad, dilate: d entries each.

_im2col_gpu = cuda.elementwise(
    'raw T x, raw int32 meta, int32 d, int32 ksz, int32 osz, int32 insz, '
    'int32 nb, int32 nch, bool cn',
    'T col',
    '''
    int q, kk, oo;
    if (cn) {
        oo = i % osz;
        int t = i / osz;
        int nn = t % nb;
        t /= nb;
        kk = t % ksz;
        q = nn * nch + t / ksz;
    } else {
        q = i / (ksz * osz);
        int r = i - q * (ksz * osz);
        kk = r / osz;
        oo = r - kk * osz;
    }
    int pos = 0;
    int st = 1;
    bool ok = true;
    for (int j = d - 1; j >= 0; --j) {
        int kj = kk % meta[d + j];
        kk /= meta[d + j];
        int oj = oo % meta[2 * d + j];
        oo /= meta[2 * d + j];
        int a = oj * meta[3 * d + j] - meta[4 * d + j] + kj * meta[5 * d + j];
        if (a < 0 || a >= meta[j]) {
            ok = false;
        }
        pos += a * st;
        st *= meta[j];
    }
    col = ok ? x[q * insz + pos] : (T)0;
    ''',
    'kusari_im2col_nd')

_col2im_gpu = cuda.elementwise(
    'raw T col, raw int32 meta, int32 d, int32 ksz, int32 osz, int32 insz, '
    'int32 nb, int32 nch, bool cn',
    'T x',
    '''
    int q = i / insz;
    int r = i - q * insz;
    T val = 0;
    for (int kk = 0; kk < ksz; ++kk) {
        int rem = kk;
        int rr = r;
        int opos = 0;
        int ost = 1;
        bool ok = true;
        for (int j = d - 1; j >= 0; --j) {
            int kj = rem % meta[d + j];
            rem /= meta[d + j];
            int aj = rr % meta[j];
            rr /= meta[j];
            int t = aj + meta[4 * d + j] - kj * meta[5 * d + j];
            if (t < 0 || t % meta[3 * d + j] != 0) {
                ok = false;
                break;
            }
            int oj = t / meta[3 * d + j];
            if (oj >= meta[2 * d + j]) {
                ok = false;
                break;
            }
            opos += oj * ost;
            ost *= meta[2 * d + j];
        }
        if (ok) {
            int nn = q / nch;
            int cc = q - nn * nch;
            val += cn ? col[((cc * ksz + kk) * nb + nn) * osz + opos]
                      : col[(q * ksz + kk) * osz + opos];
        }
    }
    x = val;
    ''',
    'kusari_col2im_nd')


def _meta(xp, dims, ksize, outs, stride, pad, dilate):
    return xp.asarray(numpy.array(dims + ksize + outs + stride + pad + dilate,
                                  dtype=numpy.int32))


def _prod(t):
    p = 1
    for v in t:
        p *= v
    return p


def im2col(x, ksize, stride, pad, cover_all=False, dilate=None, outs=None, cn=False):
    """Patches of ``x`` (N, C, *dims) as ``col`` (N, C, *ksize, *outs).

    With ``cn=True`` the result is laid out as (C, *ksize, N, *outs) instead, so that
    it reshapes to one (C * K, N * P) matrix for a single GEMM.
    """
    d = len(ksize)
    if dilate is None:
        dilate = (1,) * d
    dims = tuple(x.shape[2:])
    if outs is None:
        outs = out_dims(dims, ksize, stride, pad, cover_all, dilate)
    n, c = x.shape[:2]
    shape = ((c,) + ksize + (n,) + outs) if cn else ((n, c) + ksize + outs)
    if isinstance(x, numpy.ndarray):
        return _im2col_cpu(x, n, c, dims, ksize, outs, stride, pad, dilate, cn, shape)
    xp = cuda.cupy
    x = xp.ascontiguousarray(x)
    col = xp.empty(shape, dtype=x.dtype)
    if col.size:
        _im2col_gpu(x, _meta(xp, dims, ksize, outs, stride, pad, dilate), d,
                    _prod(ksize), _prod(outs), _prod(dims), n, c, bool(cn), col)
    return col


def _nc_view(a, d, cn):
    # (C, *k, N, *o) -> a (N, C, *k, *o) view
    if not cn:
        return a
    perm = (1 + d, 0) + tuple(range(1, 1 + d)) + tuple(range(2 + d, 2 + 2 * d))
    return a.transpose(perm)


def _im2col_cpu(x, n, c, dims, ksize, outs, stride, pad, dilate, cn, shape):
    d = len(ksize)
    dtype = x.dtype
    col = _workspace.empty(shape, dtype)
    if col.size == 0:
        return col
    xc = numpy.ascontiguousarray(x)
    colv = col
    if dtype == numpy.float16:
        xc = xc.view(numpy.uint16)
        colv = col.view(numpy.uint16)
    elif dtype != numpy.float32 and dtype != numpy.float64:
        raise TypeError('im2col: unsupported dtype %s' % dtype)
    if d <= 2:
        if d == 1:
            xc = xc.reshape(n, c, 1, dims[0])
            if cn:
                colv = colv.reshape(c, 1, ksize[0], n, 1, outs[0])
            else:
                colv = colv.reshape(n, c, 1, ksize[0], 1, outs[0])
            _conv_kernels.im2col_2d(xc, _nc_view(colv, 2, cn), 1, stride[0], 0, pad[0],
                                    1, dilate[0])
        else:
            _conv_kernels.im2col_2d(xc, _nc_view(colv, 2, cn), stride[0], stride[1],
                                    pad[0], pad[1], dilate[0], dilate[1])
    else:
        _conv_kernels.im2col_nd(xc.reshape(-1), colv.reshape(-1), n, c, dims, ksize,
                                outs, stride, pad, dilate, bool(cn))
    return col


def col2im(col, stride, pad, dims, dilate=None, cn=False):
    """Sum the patches of ``col`` (N, C, *ksize, *outs) back into (N, C, *dims).

    With ``cn=True``, ``col`` is laid out as (C, *ksize, N, *outs).
    """
    d = len(dims)
    if dilate is None:
        dilate = (1,) * d
    if cn:
        c = col.shape[0]
        ksize = tuple(col.shape[1:1 + d])
        n = col.shape[1 + d]
    else:
        n, c = col.shape[:2]
        ksize = tuple(col.shape[2:2 + d])
    outs = tuple(col.shape[2 + d:])
    if isinstance(col, numpy.ndarray):
        return _col2im_cpu(col, n, c, dims, ksize, outs, stride, pad, dilate, cn)
    xp = cuda.cupy
    col = xp.ascontiguousarray(col)
    x = xp.empty((n, c) + tuple(dims), dtype=col.dtype)
    if x.size:
        if col.size == 0:
            x.fill(0)
        else:
            _col2im_gpu(col, _meta(xp, tuple(dims), ksize, outs, stride, pad, dilate),
                        d, _prod(ksize), _prod(outs), _prod(dims), n, c, bool(cn), x)
    return x


def _col2im_cpu(col, n, c, dims, ksize, outs, stride, pad, dilate, cn):
    d = len(dims)
    dtype = col.dtype
    work = numpy.float32 if dtype == numpy.float16 else dtype
    if work != numpy.float32 and work != numpy.float64:
        raise TypeError('col2im: unsupported dtype %s' % dtype)
    x = _workspace.zeros((n, c) + tuple(dims), numpy.dtype(work))
    if x.size == 0 or col.size == 0:
        return x.astype(dtype, copy=False)
    colc = numpy.ascontiguousarray(col, dtype=work)
    if d <= 2:
        if d == 1:
            if cn:
                colc = colc.reshape(c, 1, ksize[0], n, 1, outs[0])
            else:
                colc = colc.reshape(n, c, 1, ksize[0], 1, outs[0])
            _conv_kernels.col2im_2d(_nc_view(colc, 2, cn), x.reshape(n, c, 1, dims[0]),
                                    1, stride[0], 0, pad[0], 1, dilate[0])
        else:
            _conv_kernels.col2im_2d(_nc_view(colc, 2, cn), x, stride[0], stride[1],
                                    pad[0], pad[1], dilate[0], dilate[1])
    else:
        _conv_kernels.col2im_nd(colc.reshape(-1), x.reshape(-1), n, c, tuple(dims),
                                ksize, outs, stride, pad, dilate, bool(cn))
    return x.astype(dtype, copy=False)
