"""Array-level pooling primitives on NumPy (Cython kernels) and CuPy (custom kernels).

* ``max_forward``: window maxima and their flat kernel offsets (Chainer's indexes)
* ``max_scatter``: add values at the recorded offsets (max-pool gradient, upsampling)
* ``max_gather``: read values at the recorded offsets (their adjoint)
* ``sum_forward`` / ``sum_backward``: window sums divided by ``div`` (mode 0), by the
  number of in-bounds elements (mode 1) or not divided (mode 2), and their adjoint.

Private: callers validate shapes, dtypes and indexes first.
"""
import numpy

from kusari import _workspace
from kusari.backends import cuda
from kusari.functions.pooling import _pool_kernels

_EMPTY_IDX = numpy.zeros(0, numpy.int32)

# ---- GPU kernels: meta (int32) = dims, outs, ksize, stride, pad (d entries each) ----

_DECODE = '''
    int q = i / osz;
    int r = i - q * osz;
    int start[8];
    int cnt = 1;
    int ksz = 1;
    for (int j = d - 1; j >= 0; --j) {
        int oj = r % meta[d + j];
        r /= meta[d + j];
        start[j] = oj * meta[3 * d + j] - meta[4 * d + j];
        int lo = start[j] > 0 ? start[j] : 0;
        int hi = start[j] + meta[2 * d + j];
        hi = hi < meta[j] ? hi : meta[j];
        cnt *= (hi > lo) ? (hi - lo) : 0;
        ksz *= meta[2 * d + j];
    }
'''

_POS = '''
        int rem = KK;
        int pos = 0;
        int mul = 1;
        bool ok = true;
        for (int j = d - 1; j >= 0; --j) {
            int kj = rem % meta[2 * d + j];
            rem /= meta[2 * d + j];
            int t = start[j] + kj;
            if (t < 0 || t >= meta[j]) {
                ok = false;
                break;
            }
            pos += t * mul;
            mul *= meta[j];
        }
'''

_max_fwd_gpu = cuda.elementwise(
    'raw T x, raw int32 meta, int32 d, int32 osz, int32 insz',
    'T y, int32 idx',
    _DECODE + '''
    T best = 0;
    int bi = -1;
    for (int kk = 0; kk < ksz; ++kk) {''' + _POS.replace('KK', 'kk') + '''
        if (ok) {
            T v = x[q * insz + pos];
            if (bi < 0 || v > best) {
                best = v;
                bi = kk;
            }
        }
    }
    y = bi < 0 ? (T)(-CUDART_INF) : best;
    idx = bi < 0 ? 0 : bi;
    ''',
    'kusari_max_pool_nd_fwd')

_max_scatter_gpu = cuda.elementwise(
    'T gy, int32 idx, raw int32 meta, int32 d, int32 osz, int32 insz',
    'raw T gx',
    _DECODE + '''
    {''' + _POS.replace('KK', 'idx') + '''
        if (ok) {
            atomicAdd(&gx[q * insz + pos], gy);
        }
    }
    ''',
    'kusari_max_pool_nd_scatter')

_max_gather_gpu = cuda.elementwise(
    'raw T src, int32 idx, raw int32 meta, int32 d, int32 osz, int32 insz',
    'T out',
    _DECODE + '''
    {''' + _POS.replace('KK', 'idx') + '''
        out = ok ? src[q * insz + pos] : (T)0;
    }
    ''',
    'kusari_max_pool_nd_gather')

_sum_fwd_gpu = cuda.elementwise(
    'raw T x, raw int32 meta, int32 d, int32 osz, int32 insz, int32 mode, float64 div',
    'T y',
    _DECODE + '''
    T acc = 0;
    for (int kk = 0; kk < ksz; ++kk) {''' + _POS.replace('KK', 'kk') + '''
        if (ok) {
            acc += x[q * insz + pos];
        }
    }
    if (mode == 0) {
        acc = (T)(acc / div);
    } else if (mode == 1 && cnt > 0) {
        acc = acc / (T)cnt;
    }
    y = acc;
    ''',
    'kusari_sum_pool_nd_fwd')

_sum_bwd_gpu = cuda.elementwise(
    'T gy, raw int32 meta, int32 d, int32 osz, int32 insz, int32 mode, float64 div',
    'raw T gx',
    _DECODE + '''
    T v = gy;
    if (mode == 0) {
        v = (T)(v / div);
    } else if (mode == 1 && cnt > 0) {
        v = v / (T)cnt;
    }
    for (int kk = 0; kk < ksz; ++kk) {''' + _POS.replace('KK', 'kk') + '''
        if (ok) {
            atomicAdd(&gx[q * insz + pos], v);
        }
    }
    ''',
    'kusari_sum_pool_nd_bwd')


def _prod(t):
    p = 1
    for v in t:
        p *= v
    return p


_INT32 = numpy.dtype(numpy.int32)


def _work(dtype):
    return numpy.dtype(numpy.float32) if dtype == numpy.float16 else numpy.dtype(dtype)


def _meta(xp, dims, outs, ksize, stride, pad):
    return xp.asarray(numpy.array(tuple(dims) + tuple(outs) + tuple(ksize) + tuple(stride)
                                  + tuple(pad), dtype=numpy.int32))


def _as4(a, d):
    # (N, C, L) -> (N, C, 1, L) for the 2-D kernels
    if d == 1:
        return a.reshape(a.shape[0], a.shape[1], 1, a.shape[2])
    return a


def _g2(ksize, stride, pad):
    if len(ksize) == 1:
        return 1, ksize[0], 1, stride[0], 0, pad[0]
    return ksize[0], ksize[1], stride[0], stride[1], pad[0], pad[1]


def _is_2x2(ksize, stride, pad, dims, outs):
    # 2x2 windows, stride 2, no padding, and the windows tile the input exactly
    return (len(ksize) == 2 and ksize[0] == 2 and ksize[1] == 2 and stride[0] == 2
            and stride[1] == 2 and pad[0] == 0 and pad[1] == 0
            and dims[0] == 2 * outs[0] and dims[1] == 2 * outs[1])


def max_forward(x, ksize, stride, pad, outs):
    """Max pooling: returns ``(y, indexes)`` (indexes are int32)."""
    n, c = x.shape[:2]
    d = len(ksize)
    dims = tuple(x.shape[2:])
    if not isinstance(x, numpy.ndarray):
        xp = cuda.cupy
        y = xp.empty((n, c) + tuple(outs), x.dtype)
        idx = xp.empty((n, c) + tuple(outs), numpy.int32)
        if y.size:
            _max_fwd_gpu(xp.ascontiguousarray(x), _meta(xp, dims, outs, ksize, stride, pad),
                         d, _prod(outs), _prod(dims), y, idx)
        return y, idx
    wd = _work(x.dtype)
    xc = numpy.ascontiguousarray(x, dtype=wd)
    y = _workspace.empty((n, c) + tuple(outs), wd)
    idx = _workspace.empty((n, c) + tuple(outs), _INT32)
    if y.size and x.size:
        if _is_2x2(ksize, stride, pad, dims, outs):
            _pool_kernels.max_pool_2x2_fwd(xc, y, idx)
        elif d <= 2:
            _pool_kernels.max_pool_2d_fwd(_as4(xc, d), _as4(y, d), _as4(idx, d),
                                          *_g2(ksize, stride, pad))
        else:
            _pool_kernels.pool_nd(0, xc.reshape(-1), y.reshape(-1), idx.reshape(-1),
                                  n * c, dims, tuple(outs), ksize, stride, pad)
    elif y.size:
        y.fill(-numpy.inf)
        idx.fill(0)
    return y.astype(x.dtype, copy=False), idx


def max_scatter(gy, idx, ksize, stride, pad, dims, dtype=None):
    """``gx`` of shape (N, C, *dims) with ``gy`` added at the recorded offsets."""
    n, c = gy.shape[:2]
    d = len(ksize)
    outs = tuple(gy.shape[2:])
    dtype = gy.dtype if dtype is None else numpy.dtype(dtype)
    wd = _work(dtype)
    if not isinstance(gy, numpy.ndarray):
        xp = cuda.cupy
        gx = xp.zeros((n, c) + tuple(dims), wd)
        if gy.size and gx.size:
            _max_scatter_gpu(xp.ascontiguousarray(gy, dtype=wd), xp.ascontiguousarray(idx),
                             _meta(xp, dims, outs, ksize, stride, pad), d, _prod(outs),
                             _prod(dims), gx)
        return gx.astype(dtype, copy=False)
    dims = tuple(dims)
    if gy.size and _is_2x2(ksize, stride, pad, dims, outs):
        # every element of gx is written: no zero fill
        gx = _workspace.empty((n, c) + dims, wd)
        _pool_kernels.max_pool_2x2_scatter(numpy.ascontiguousarray(gy, dtype=wd),
                                           numpy.ascontiguousarray(idx, dtype=numpy.int32),
                                           gx)
        return gx.astype(dtype, copy=False)
    gx = _workspace.zeros((n, c) + dims, wd)
    if gy.size and gx.size:
        gyc = numpy.ascontiguousarray(gy, dtype=wd)
        idc = numpy.ascontiguousarray(idx, dtype=numpy.int32)
        if d <= 2:
            _pool_kernels.max_pool_2d_scatter(_as4(gyc, d), _as4(idc, d), _as4(gx, d),
                                              *_g2(ksize, stride, pad))
        else:
            _pool_kernels.pool_nd(1, gyc.reshape(-1), gx.reshape(-1), idc.reshape(-1),
                                  n * c, tuple(dims), outs, ksize, stride, pad)
    return gx.astype(dtype, copy=False)


def max_gather(src, idx, ksize, stride, pad):
    """``out`` of ``idx``'s shape: ``src`` read at the recorded offsets."""
    n, c = src.shape[:2]
    d = len(ksize)
    dims = tuple(src.shape[2:])
    outs = tuple(idx.shape[2:])
    if not isinstance(src, numpy.ndarray):
        xp = cuda.cupy
        out = xp.empty((n, c) + outs, src.dtype)
        if out.size:
            _max_gather_gpu(xp.ascontiguousarray(src), xp.ascontiguousarray(idx),
                            _meta(xp, dims, outs, ksize, stride, pad), d, _prod(outs),
                            _prod(dims), out)
        return out
    wd = _work(src.dtype)
    out = numpy.zeros((n, c) + outs, wd)
    if out.size and src.size:
        sc = numpy.ascontiguousarray(src, dtype=wd)
        idc = numpy.ascontiguousarray(idx, dtype=numpy.int32)
        if d <= 2:
            _pool_kernels.max_pool_2d_gather(_as4(sc, d), _as4(idc, d), _as4(out, d),
                                             *_g2(ksize, stride, pad))
        else:
            _pool_kernels.pool_nd(2, sc.reshape(-1), out.reshape(-1), idc.reshape(-1),
                                  n * c, dims, outs, ksize, stride, pad)
    return out.astype(src.dtype, copy=False)


def sum_forward(x, ksize, stride, pad, outs, mode, div=1.0):
    """Window sums of ``x`` (N, C, *dims) -> (N, C, *outs), divided per ``mode``."""
    n, c = x.shape[:2]
    d = len(ksize)
    dims = tuple(x.shape[2:])
    wd = _work(x.dtype)
    if not isinstance(x, numpy.ndarray):
        xp = cuda.cupy
        y = xp.zeros((n, c) + tuple(outs), wd)
        if y.size and x.size:
            _sum_fwd_gpu(xp.ascontiguousarray(x, dtype=wd),
                         _meta(xp, dims, outs, ksize, stride, pad), d, _prod(outs),
                         _prod(dims), mode, float(div), y)
        return y.astype(x.dtype, copy=False)
    y = numpy.zeros((n, c) + tuple(outs), wd)
    if y.size and x.size:
        xc = numpy.ascontiguousarray(x, dtype=wd)
        if d <= 2:
            _pool_kernels.sum_pool_2d_fwd(_as4(xc, d), _as4(y, d), *_g2(ksize, stride, pad),
                                          mode, float(div))
        else:
            _pool_kernels.pool_nd(3, xc.reshape(-1), y.reshape(-1), _EMPTY_IDX, n * c, dims,
                                  tuple(outs), ksize, stride, pad, mode, float(div))
    return y.astype(x.dtype, copy=False)


def sum_backward(gy, ksize, stride, pad, dims, mode, div=1.0):
    """Adjoint of :func:`sum_forward`: (N, C, *outs) -> (N, C, *dims)."""
    n, c = gy.shape[:2]
    d = len(ksize)
    outs = tuple(gy.shape[2:])
    wd = _work(gy.dtype)
    if not isinstance(gy, numpy.ndarray):
        xp = cuda.cupy
        gx = xp.zeros((n, c) + tuple(dims), wd)
        if gy.size and gx.size:
            _sum_bwd_gpu(xp.ascontiguousarray(gy, dtype=wd),
                         _meta(xp, dims, outs, ksize, stride, pad), d, _prod(outs),
                         _prod(dims), mode, float(div), gx)
        return gx.astype(gy.dtype, copy=False)
    gx = numpy.zeros((n, c) + tuple(dims), wd)
    if gy.size and gx.size:
        gyc = numpy.ascontiguousarray(gy, dtype=wd)
        if d <= 2:
            _pool_kernels.sum_pool_2d_bwd(_as4(gyc, d), _as4(gx, d),
                                          *_g2(ksize, stride, pad), mode, float(div))
        else:
            _pool_kernels.pool_nd(4, gyc.reshape(-1), gx.reshape(-1), _EMPTY_IDX, n * c,
                                  tuple(dims), outs, ksize, stride, pad, mode, float(div))
    return gx.astype(gy.dtype, copy=False)
