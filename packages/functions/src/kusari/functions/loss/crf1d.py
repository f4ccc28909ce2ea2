"""Linear-chain conditional random field (``F.crf1d``, ``F.argmax_crf1d``).

The partition function ``log Z`` is a :class:`CRF1dLogZ` node whose forward
(alpha) and backward (forward-backward marginals) recursions run as Cython kernels
on the CPU and as CUDA kernels on the GPU.  The score of a label path is a
composition of differentiable indexing nodes.  With double backprop enabled, the
gradient of ``log Z`` is rebuilt from differentiable nodes (the same recursions,
written with ``logsumexp``), so gradients of gradients work.
"""
import numpy

from kusari import _core
from kusari import backend
from kusari._core import FunctionNode
from kusari._core import Variable
from kusari.backends import cuda
from kusari.functions.array.pad_sequence import pad_sequence
from kusari.functions.loss import _dp_kernels as _k
from kusari.functions.math.exponential import exp as _exp
from kusari.functions.math.logsumexp import logsumexp
from kusari.functions.math.sum import sum as _sum
from kusari.functions.util import _ops

# ---- CUDA kernels (double precision; one block per sequence) ----------------------

_CUDA_PRELUDE = r'''
#define KUSARI_NEG_INF (__longlong_as_double(0xfff0000000000000ULL))
'''

_crf_alpha_gpu = cuda.raw(_CUDA_PRELUDE + r'''
extern "C" __global__ void kusari_crf1d_alpha(
        const double* cost, const double* X, const int* lens, double* alpha,
        double* logz, int L, int B, int K) {
    int b = blockIdx.x;
    if (b >= B) return;
    int n = lens[b];
    for (int j = threadIdx.x; j < K; j += blockDim.x)
        alpha[(long long)b * K + j] = X[(long long)b * K + j];
    __syncthreads();
    for (int t = 1; t < n; ++t) {
        const double* prev = alpha + ((long long)(t - 1) * B + b) * K;
        for (int j = threadIdx.x; j < K; j += blockDim.x) {
            double m = KUSARI_NEG_INF;
            for (int i = 0; i < K; ++i) m = fmax(m, prev[i] + cost[i * K + j]);
            double out = KUSARI_NEG_INF;
            if (m != KUSARI_NEG_INF) {
                double s = 0.0;
                for (int i = 0; i < K; ++i) s += exp(prev[i] + cost[i * K + j] - m);
                out = m + log(s) + X[((long long)t * B + b) * K + j];
            }
            alpha[((long long)t * B + b) * K + j] = out;
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        const double* last = alpha + ((long long)(n - 1) * B + b) * K;
        double m = KUSARI_NEG_INF;
        for (int j = 0; j < K; ++j) m = fmax(m, last[j]);
        double r = KUSARI_NEG_INF;
        if (m != KUSARI_NEG_INF) {
            double s = 0.0;
            for (int j = 0; j < K; ++j) s += exp(last[j] - m);
            r = m + log(s);
        }
        logz[b] = r;
    }
}
''', 'kusari_crf1d_alpha')

_crf_grad_gpu = cuda.raw(_CUDA_PRELUDE + r'''
extern "C" __global__ void kusari_crf1d_grad(
        const double* cost, const double* X, const int* lens, const double* alpha,
        const double* logz, const double* gy, double* beta, double* gX,
        double* gcost, int L, int B, int K) {
    int b = blockIdx.x;
    if (b >= B) return;
    int n = lens[b];
    double g = gy[b];
    double lz = logz[b];
    if (lz == KUSARI_NEG_INF || g == 0.0) return;
    for (int j = threadIdx.x; j < K; j += blockDim.x)
        beta[((long long)(n - 1) * B + b) * K + j] = 0.0;
    __syncthreads();
    for (int t = n - 1; t >= 0; --t) {
        const double* bt = beta + ((long long)t * B + b) * K;
        const double* at = alpha + ((long long)t * B + b) * K;
        for (int j = threadIdx.x; j < K; j += blockDim.x)
            gX[((long long)t * B + b) * K + j] = g * exp(at[j] + bt[j] - lz);
        if (t == 0) break;
        const double* xt = X + ((long long)t * B + b) * K;
        const double* ap = alpha + ((long long)(t - 1) * B + b) * K;
        double* bp = beta + ((long long)(t - 1) * B + b) * K;
        for (int i = threadIdx.x; i < K; i += blockDim.x) {
            double m = KUSARI_NEG_INF;
            for (int j = 0; j < K; ++j) {
                double v = cost[i * K + j] + xt[j] + bt[j];
                m = fmax(m, v);
                atomicAdd(&gcost[i * K + j], g * exp(ap[i] + v - lz));
            }
            double r = KUSARI_NEG_INF;
            if (m != KUSARI_NEG_INF) {
                double s = 0.0;
                for (int j = 0; j < K; ++j) s += exp(cost[i * K + j] + xt[j] + bt[j] - m);
                r = m + log(s);
            }
            bp[i] = r;
        }
        __syncthreads();
    }
}
''', 'kusari_crf1d_grad')

_crf_viterbi_gpu = cuda.raw(r'''
extern "C" __global__ void kusari_crf1d_viterbi(
        const double* cost, const double* X, const int* lens, double* delta,
        int* back, int* path, double* best, int L, int B, int K) {
    int b = blockIdx.x;
    if (b >= B) return;
    int n = lens[b];
    for (int j = threadIdx.x; j < K; j += blockDim.x)
        delta[(long long)b * K + j] = X[(long long)b * K + j];
    __syncthreads();
    for (int t = 1; t < n; ++t) {
        const double* prev = delta + ((long long)(t - 1) * B + b) * K;
        for (int j = threadIdx.x; j < K; j += blockDim.x) {
            double m = prev[0] + cost[j];
            int arg = 0;
            for (int i = 1; i < K; ++i) {
                double v = prev[i] + cost[i * K + j];
                if (v > m) { m = v; arg = i; }
            }
            back[((long long)t * B + b) * K + j] = arg;
            delta[((long long)t * B + b) * K + j] = m + X[((long long)t * B + b) * K + j];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        const double* last = delta + ((long long)(n - 1) * B + b) * K;
        double m = last[0];
        int arg = 0;
        for (int j = 1; j < K; ++j) if (last[j] > m) { m = last[j]; arg = j; }
        best[b] = m;
        path[(long long)(n - 1) * B + b] = arg;
        for (int t = n - 1; t > 0; --t) {
            arg = back[((long long)t * B + b) * K + arg];
            path[(long long)(t - 1) * B + b] = arg;
        }
    }
}
''', 'kusari_crf1d_viterbi')


def _threads(K):
    return int(min(max(32, 1 << max(K - 1, 0).bit_length()), 256))


# ---- input checks -------------------------------------------------------------------

def _check(func, cost, xs, ys=None):
    """Validate ``cost``, ``xs`` (and ``ys``); return (K, batch sizes, lengths)."""
    c = _ops.array_of(cost)
    if not hasattr(c, 'ndim'):
        raise _ops.invalid(func, 'cost is an array or Variable', type(c).__name__)
    _ops.check_float(func, 'cost', c)
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise _ops.invalid(func, 'cost.ndim == 2 and cost.shape[0] == cost.shape[1]',
                           'cost.shape == %s' % (c.shape,))
    K = c.shape[0]
    if not isinstance(xs, (list, tuple)) or len(xs) == 0:
        raise _ops.invalid(func, 'xs is a non-empty list of (B_i, K) arrays',
                           type(xs).__name__ if not isinstance(xs, (list, tuple))
                           else 'an empty sequence')
    bs = []
    for i, x in enumerate(xs):
        a = _ops.array_of(x)
        if a.ndim != 2 or a.shape[1] != K:
            raise _ops.invalid(func, 'xs[%d].ndim == 2 and xs[%d].shape[1] == '
                               'cost.shape[0] (= %d)' % (i, i, K),
                               'xs[%d].shape == %s' % (i, a.shape))
        if a.dtype != c.dtype:
            raise _ops.invalid(func, 'xs[%d].dtype == cost.dtype' % i,
                               '%s != %s' % (a.dtype, c.dtype))
        if bs and a.shape[0] > bs[-1]:
            raise _ops.invalid(func, 'xs[%d].shape[0] <= xs[%d].shape[0] (batch sizes '
                               'must not increase)' % (i, i - 1),
                               '%d > %d' % (a.shape[0], bs[-1]))
        bs.append(a.shape[0])
    if ys is not None:
        if not isinstance(ys, (list, tuple)) or len(ys) != len(xs):
            raise _ops.invalid(func, 'len(ys) == len(xs) (= %d)' % len(xs),
                               'ys has %s' % (len(ys) if isinstance(ys, (list, tuple))
                                              else type(ys).__name__))
        for i, y in enumerate(ys):
            a = _ops.array_of(y)
            if a.dtype.kind not in 'iu':
                raise _ops.invalid(func, 'ys[%d].dtype.kind == i' % i,
                                   '%s != i' % a.dtype.kind)
            if a.shape != (bs[i],):
                raise _ops.invalid(func, 'ys[%d].shape == xs[%d].shape[0:1]' % (i, i),
                                   '%s != %s' % (a.shape, (bs[i],)))
            if a.size and (int(a.min()) < 0 or int(a.max()) >= K):
                raise ValueError('%s: each label in ys[%d] must be in [0, %d), got '
                                 'values in [%d, %d]' % (func, i, K, int(a.min()),
                                                         int(a.max())))
    bs = numpy.asarray(bs, numpy.int64)
    B = int(bs[0])
    lens = (bs[:, None] > numpy.arange(B)[None, :]).sum(axis=0).astype(numpy.int32)
    return K, bs, lens


def _work_dtype(dtype):
    return numpy.dtype(numpy.float32) if dtype == numpy.float16 else numpy.dtype(dtype)


def _mask(xp, lens, L, dtype):
    """(L, B) array: 1 where ``t < lens[b]``, else 0."""
    m = numpy.arange(L)[:, None] < lens[None, :]
    return xp.asarray(m.astype(dtype))


# ---- log Z ------------------------------------------------------------------------

class CRF1dLogZ(FunctionNode):
    """``log Z`` of a linear-chain CRF for each sequence of a padded batch.

    Inputs: ``cost`` ``(K, K)`` and ``X`` ``(L, B, K)`` (time-major, padded);
    ``lens`` (int32 ``(B,)``, given to the constructor) are the sequence lengths.
    Output: ``(B,)`` log partition functions.
    """

    def __init__(self, lens):
        self.lens = numpy.ascontiguousarray(lens, numpy.int32)
        self._alpha = None
        self._logz = None

    @property
    def label(self):
        return 'CRF1dLogZ'

    def forward_cpu(self, inputs):
        cost, X = inputs
        self.retain_inputs((0, 1))
        w = _work_dtype(X.dtype)
        logz, self._alpha = _k.crf_forward(
            numpy.ascontiguousarray(cost, w), numpy.ascontiguousarray(X, w), self.lens)
        self._logz = logz
        return logz.astype(X.dtype),

    def forward_gpu(self, inputs):
        cp = cuda.cupy
        cost, X = inputs
        self.retain_inputs((0, 1))
        L, B, K = X.shape
        c64 = cp.ascontiguousarray(cost, cp.float64)
        x64 = cp.ascontiguousarray(X, cp.float64)
        lens = cp.asarray(self.lens)
        alpha = cp.zeros((L, B, K), cp.float64)
        logz = cp.empty(B, cp.float64)
        if B:
            _crf_alpha_gpu((B,), (_threads(K),),
                           (c64, x64, lens, alpha, logz, numpy.int32(L), numpy.int32(B),
                            numpy.int32(K)))
        self._alpha, self._logz = alpha, logz
        return logz.astype(X.dtype),

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        cost = self.inputs[0].data
        X = self.inputs[1].data
        xp = backend.get_array_module(X)
        L, B, K = X.shape
        if xp is numpy:
            w = _work_dtype(X.dtype)
            gcost, gX = _k.crf_grad(
                numpy.ascontiguousarray(cost, w), numpy.ascontiguousarray(X, w),
                self.lens, self._alpha, self._logz,
                numpy.ascontiguousarray(gy, numpy.float64))
        else:
            gcost = xp.zeros((K, K), xp.float64)
            gX = xp.zeros((L, B, K), xp.float64)
            beta = xp.zeros((L, B, K), xp.float64)
            if B:
                _crf_grad_gpu((B,), (_threads(K),),
                              (xp.ascontiguousarray(cost, xp.float64),
                               xp.ascontiguousarray(X, xp.float64),
                               xp.asarray(self.lens), self._alpha, self._logz,
                               xp.ascontiguousarray(gy, xp.float64), beta, gX, gcost,
                               numpy.int32(L), numpy.int32(B), numpy.int32(K)))
        return gcost.astype(cost.dtype), gX.astype(X.dtype)

    def backward(self, indexes, grad_outputs):
        cost, X = self.get_retained_inputs()
        gy, = grad_outputs
        return _marginal_grads(cost, X, self.lens, gy)


def _marginal_grads(cost, X, lens, gy):
    """(gcost, gX) = gy-weighted pairwise and unary marginals, built differentiably."""
    xp = backend.get_array_module(X)
    L, B, K = X.shape
    dtype = X.dtype
    m = _mask(xp, lens, L, dtype)                       # (L, B)
    mk = [xp.broadcast_to(m[t][:, None], (B, K)) for t in range(L)]
    alphas = [X[0]]
    for t in range(1, L):
        new = logsumexp(alphas[-1][:, :, None] + cost[None], axis=1) + X[t]
        alphas.append(new * mk[t] + alphas[-1] * (1 - mk[t]))
    logz = logsumexp(alphas[-1], axis=1)                 # (B,)
    betas = [None] * L
    betas[L - 1] = Variable(xp.zeros((B, K), dtype))
    for t in range(L - 2, -1, -1):
        new = logsumexp(cost[None] + (X[t + 1] + betas[t + 1])[:, None, :], axis=2)
        betas[t] = new * mk[t + 1]
    gyb = gy[:, None]
    gxs = []
    for t in range(L):
        mu = _exp(alphas[t] + betas[t] - logz[:, None]) * mk[t]
        gxs.append(mu * gyb)
    gX = _ops.stack(gxs, 0)
    gcost = None
    for t in range(1, L):
        xi = _exp(alphas[t - 1][:, :, None] + cost[None]
                  + (X[t] + betas[t])[:, None, :] - logz[:, None, None])
        w = gy * xp.asarray(m[t])                        # (B,)
        term = _sum(xi * w[:, None, None], axis=0)
        gcost = term if gcost is None else gcost + term
    if gcost is None:
        gcost = Variable(xp.zeros((K, K), dtype))
    return gcost, gX


# ---- path scores --------------------------------------------------------------------

def _path_score(cost, X, Y, m):
    """Score of label paths: ``sum_t X[t, b, Y[t, b]] + sum_t cost[Y[t-1], Y[t]]``.

    ``X`` (L, B, K) Variable, ``Y`` (L, B) int array (any valid label at padding),
    ``m`` (L, B) 0/1 mask array in X's dtype.
    """
    xp = backend.get_array_module(Y)
    L, B, K = X.shape
    tt = xp.arange(L)[:, None]
    bb = xp.arange(B)[None, :]
    unary = _core.get_item(X, (xp.broadcast_to(tt, (L, B)), xp.broadcast_to(bb, (L, B)),
                               Y))
    score = _sum(unary * m, axis=0)
    if L > 1:
        idx = Y[:-1] * K + Y[1:]
        flat = _core.reshape(cost, (K * K,))
        trans = _core.get_item(flat, idx)
        score = score + _sum(trans * m[1:], axis=0)
    return score


def _padded_labels(xp, ys, L, B):
    Y = numpy.zeros((L, B), numpy.int32)
    ys = [backend.CpuDevice().send(_ops.array_of(y)) for y in ys]
    for t, y in enumerate(ys):
        Y[t, :len(y)] = y
    return xp.asarray(Y)


def crf1d(cost, xs, ys, reduce='mean'):
    """Negative log-likelihood of a linear-chain CRF.

    With a transition score matrix ``c`` (``c[s, t]``: from label ``s`` to label
    ``t``), unary scores ``x[i, t]`` and the expected labels ``y_i`` of a sequence of
    length ``l``:

    .. math::
        L = -\\left(\\sum_{i=1}^{l} x_{i y_i} + \\sum_{i=1}^{l-1} c_{y_i y_{i+1}}
            - \\log Z\\right),

    where ``Z`` sums the exponentiated score over every label sequence.

    Sequences of different lengths are given time-major, sorted by decreasing
    length (see :func:`~kusari.functions.transpose_sequence`): ``xs[i]`` holds the
    ``i``-th position of the sequences that are longer than ``i``.

    Args:
        cost (~kusari.Variable or array): ``(K, K)`` transition scores.
        xs (list of ~kusari.Variable or arrays): ``len(xs)`` is the longest length;
            ``xs[i]`` is ``(B_i, K)`` with ``B_0 >= B_1 >= ...``; dtype of ``cost``.
        ys (list of arrays): int labels, ``ys[i].shape == (B_i,)``, in ``[0, K)``.
        reduce (str): ``'mean'`` (sum divided by the batch size ``B_0``) or
            ``'no'`` (one value per sequence).

    Returns:
        ~kusari.Variable: a scalar (``'mean'``) or ``(B_0,)`` losses (``'no'``).

    >>> import numpy, kusari.functions as F
    >>> cost = numpy.zeros((2, 2), numpy.float32)
    >>> xs = [numpy.zeros((1, 2), numpy.float32)] * 3
    >>> ys = [numpy.zeros(1, numpy.int32)] * 3
    >>> loss = F.crf1d(cost, xs, ys)       # all 8 paths equally likely: log 8
    >>> print(round(float(loss.array), 4))
    2.0794
    """
    func = 'crf1d'
    if reduce not in ('mean', 'no'):
        raise ValueError("%s: only 'mean' and 'no' are valid for 'reduce', but '%s' is "
                         'given' % (func, reduce))
    K, bs, lens = _check(func, cost, xs, ys)
    xp = backend.get_array_module(_ops.array_of(xs[0]))
    L, B = len(xs), int(bs[0])
    X = pad_sequence(list(xs))
    dtype = X.dtype
    logz = CRF1dLogZ(lens).apply((cost, X))[0]
    Y = _padded_labels(xp, ys, L, B)
    score = _path_score(_ops.as_var(cost), X, Y, _mask(xp, lens, L, dtype))
    loss = logz - score
    if reduce == 'mean':
        return _sum(loss) / max(B, 1)
    return loss


def argmax_crf1d(cost, xs):
    """The label sequences of highest score under a linear-chain CRF (Viterbi).

    Args:
        cost (~kusari.Variable or array): ``(K, K)`` transition scores.
        xs (list of ~kusari.Variable or arrays): as for :func:`crf1d`:
            ``xs[i]`` is ``(B_i, K)`` with non-increasing ``B_i``.

    Returns:
        tuple: ``(s, ps)``: ``s`` is a :class:`~kusari.Variable` ``(B_0,)`` with the
        best score of each sequence (differentiable with respect to ``cost`` and
        ``xs``), and ``ps`` is a list of ``len(xs)`` int32 arrays with
        ``ps[i].shape == xs[i].shape[0:1]``: the best label at each position.

    >>> import numpy, kusari.functions as F
    >>> cost = numpy.array([[0, -5], [-5, 0]], numpy.float32)
    >>> xs = [numpy.array([[1, 0]], numpy.float32), numpy.array([[0, 2]], numpy.float32)]
    >>> s, ps = F.argmax_crf1d(cost, xs)
    >>> print(s.array, [p.tolist() for p in ps])
    [2.] [[1], [1]]
    """
    func = 'argmax_crf1d'
    K, bs, lens = _check(func, cost, xs)
    xp = backend.get_array_module(_ops.array_of(xs[0]))
    L, B = len(xs), int(bs[0])
    X = pad_sequence(list(xs))
    Xa = X.array
    c = _ops.array_of(cost)
    if xp is numpy:
        w = _work_dtype(Xa.dtype)
        _, path = _k.crf_viterbi(numpy.ascontiguousarray(c, w),
                                 numpy.ascontiguousarray(Xa, w), lens)
    else:
        path = xp.full((L, B), -1, xp.int32)
        if B:
            delta = xp.zeros((L, B, K), xp.float64)
            back = xp.zeros((L, B, K), xp.int32)
            best = xp.empty(B, xp.float64)
            _crf_viterbi_gpu((B,), (_threads(K),),
                             (xp.ascontiguousarray(c, xp.float64),
                              xp.ascontiguousarray(Xa, xp.float64), xp.asarray(lens),
                              delta, back, path, best, numpy.int32(L), numpy.int32(B),
                              numpy.int32(K)))
    m = _mask(xp, lens, L, Xa.dtype)
    Y = xp.where(path >= 0, path, 0).astype(xp.int32)
    score = _path_score(_ops.as_var(cost), X, Y, m)
    ps = [path[t, :int(bs[t])].copy() for t in range(L)]
    return score, ps
