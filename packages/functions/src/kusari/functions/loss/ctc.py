"""Connectionist temporal classification (``F.connectionist_temporal_classification``).

The forward (alpha) and backward (beta) recursions over the blank-extended label
sequence run in log space: as Cython kernels on the CPU and as CUDA kernels (one
block per sequence, double precision) on the GPU.  As in Chainer, the function is
differentiable only with respect to ``x`` and not twice (its gradient is treated as
a constant of ``x``).
"""
import numpy

from kusari import _core
from kusari import backend
from kusari._core import FunctionNode
from kusari.backends import cuda
from kusari.functions.array.stack import stack
from kusari.functions.loss import _dp_kernels as _k
from kusari.functions.util import _ops

_NAME = 'connectionist_temporal_classification'

_CUDA_PRELUDE = r'''
#define KUSARI_NEG_INF (__longlong_as_double(0xfff0000000000000ULL))
#define KUSARI_POS_INF (__longlong_as_double(0x7ff0000000000000ULL))
__device__ __forceinline__ double kusari_lae(double a, double b) {
    if (a == KUSARI_NEG_INF) return b;
    if (b == KUSARI_NEG_INF) return a;
    return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}
__device__ __forceinline__ int kusari_ext(const int* labels, int b, int s, int M,
                                          int blank) {
    return (s % 2 == 0) ? blank : labels[b * M + (s - 1) / 2];
}
'''

_ctc_alpha_gpu = cuda.raw(_CUDA_PRELUDE + r'''
extern "C" __global__ void kusari_ctc_alpha(
        const double* logy, const int* labels, const int* in_len, const int* lab_len,
        int blank, double* alpha, double* loss, int T, int B, int V, int M) {
    int b = blockIdx.x;
    if (b >= B) return;
    int S = 2 * M + 1;
    int Tb = in_len[b];
    int Sb = 2 * lab_len[b] + 1;
    if (Tb == 0) {
        if (threadIdx.x == 0) loss[b] = (Sb == 1) ? 0.0 : KUSARI_POS_INF;
        return;
    }
    if (threadIdx.x == 0) {
        alpha[(long long)b * S] = logy[(long long)b * V + blank];
        if (Sb > 1)
            alpha[(long long)b * S + 1] =
                logy[(long long)b * V + kusari_ext(labels, b, 1, M, blank)];
    }
    __syncthreads();
    for (int t = 1; t < Tb; ++t) {
        const double* prev = alpha + ((long long)(t - 1) * B + b) * S;
        double* cur = alpha + ((long long)t * B + b) * S;
        const double* ly = logy + ((long long)t * B + b) * V;
        for (int s = threadIdx.x; s < Sb; s += blockDim.x) {
            int l = kusari_ext(labels, b, s, M, blank);
            double v = prev[s];
            if (s >= 1) v = kusari_lae(v, prev[s - 1]);
            if (s >= 2 && l != blank && l != kusari_ext(labels, b, s - 2, M, blank))
                v = kusari_lae(v, prev[s - 2]);
            cur[s] = (v == KUSARI_NEG_INF) ? v : v + ly[l];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        const double* last = alpha + ((long long)(Tb - 1) * B + b) * S;
        double p = last[Sb - 1];
        if (Sb > 1) p = kusari_lae(p, last[Sb - 2]);
        loss[b] = -p;
    }
}
''', 'kusari_ctc_alpha')

_ctc_occupancy_gpu = cuda.raw(_CUDA_PRELUDE + r'''
extern "C" __global__ void kusari_ctc_occupancy(
        const double* logy, const int* labels, const int* in_len, const int* lab_len,
        int blank, const double* alpha, const double* loss, double* beta, double* occ,
        int T, int B, int V, int M) {
    int b = blockIdx.x;
    if (b >= B) return;
    int S = 2 * M + 1;
    int Tb = in_len[b];
    int Sb = 2 * lab_len[b] + 1;
    double lp = -loss[b];
    if (Tb == 0 || lp == KUSARI_NEG_INF) return;
    double* bc = beta + (long long)b * 2 * S;
    double* bn = bc + S;
    for (int s = threadIdx.x; s < Sb; s += blockDim.x)
        bc[s] = (s >= Sb - 2) ? 0.0 : KUSARI_NEG_INF;
    __syncthreads();
    for (int t = Tb - 1; t >= 0; --t) {
        const double* at = alpha + ((long long)t * B + b) * S;
        for (int s = threadIdx.x; s < Sb; s += blockDim.x) {
            double v = at[s] + bc[s];
            if (v != KUSARI_NEG_INF) {
                int l = kusari_ext(labels, b, s, M, blank);
                atomicAdd(&occ[((long long)t * B + b) * V + l], exp(v - lp));
            }
        }
        if (t == 0) break;
        const double* ly = logy + ((long long)t * B + b) * V;
        for (int s = threadIdx.x; s < Sb; s += blockDim.x) {
            int l = kusari_ext(labels, b, s, M, blank);
            double v = bc[s] + ly[l];
            if (s + 1 < Sb)
                v = kusari_lae(v, bc[s + 1] + ly[kusari_ext(labels, b, s + 1, M, blank)]);
            if (s + 2 < Sb) {
                int l2 = kusari_ext(labels, b, s + 2, M, blank);
                if (l2 != blank && l2 != l) v = kusari_lae(v, bc[s + 2] + ly[l2]);
            }
            bn[s] = v;
        }
        __syncthreads();
        double* tmp = bc; bc = bn; bn = tmp;
    }
}
''', 'kusari_ctc_occupancy')


def _threads(S):
    return int(min(max(32, 1 << max(S - 1, 0).bit_length()), 512))


class ConnectionistTemporalClassification(FunctionNode):
    """CTC loss on stacked inputs.

    Inputs: ``input_length`` (B,), ``label_length`` (B,), ``t`` (B, M) (int32, not
    differentiated) and ``x`` (T, B, V) unnormalized log-probabilities.  Output: the
    mean loss (``reduce='mean'``) or the ``(B,)`` losses (``'no'``).
    """

    def __init__(self, blank_symbol, reduce='mean'):
        if reduce not in ('mean', 'no'):
            raise ValueError("%s: only 'mean' and 'no' are valid for 'reduce', but '%s' "
                             'is given' % (_NAME, reduce))
        self.blank_symbol = blank_symbol
        self.reduce = reduce

    @property
    def label(self):
        return 'ConnectionistTemporalClassification'

    def _prepare(self, xp, inputs):
        in_len, lab_len, t, x = inputs
        self._lens = (xp.ascontiguousarray(in_len, xp.int32),
                      xp.ascontiguousarray(lab_len, xp.int32))
        self._t = xp.ascontiguousarray(t, xp.int32)
        self._B = x.shape[1]

    def forward_cpu(self, inputs):
        self._prepare(numpy, inputs)
        x = inputs[3]
        w = numpy.float32 if x.dtype == numpy.float16 else x.dtype
        logy = numpy.ascontiguousarray(_ops.log_softmax_array(x.astype(w, copy=False), 2),
                                       w)
        loss, alpha = _k.ctc_forward(logy, self._t, self._lens[0], self._lens[1],
                                     self.blank_symbol)
        self._logy, self._alpha, self._loss = logy, alpha, loss
        return self._reduce(numpy, loss, x.dtype),

    def forward_gpu(self, inputs):
        cp = cuda.cupy
        self._prepare(cp, inputs)
        x = inputs[3]
        T, B, V = x.shape
        M = self._t.shape[1]
        S = 2 * M + 1
        logy = cp.ascontiguousarray(_ops.log_softmax_array(x.astype(cp.float64), 2))
        alpha = cp.full((T, B, S), -numpy.inf, cp.float64)
        loss = cp.zeros(B, cp.float64)
        if B:
            _ctc_alpha_gpu((B,), (_threads(S),),
                           (logy, self._t, self._lens[0], self._lens[1],
                            numpy.int32(self.blank_symbol), alpha, loss, numpy.int32(T),
                            numpy.int32(B), numpy.int32(V), numpy.int32(M)))
        self._logy, self._alpha, self._loss = logy, alpha, loss
        return self._reduce(cp, loss, x.dtype),

    def _reduce(self, xp, loss, dtype):
        if self.reduce == 'mean':
            return xp.asarray(loss.mean() if loss.size else 0.0, dtype)
        return loss.astype(dtype)

    def _unit_grad(self, gscale):
        """d(sum_b gscale[b] * loss_b)/dx as a float64 array (T, B, V)."""
        xp = backend.get_array_module(self._logy)
        in_len, lab_len = self._lens
        if xp is numpy:
            return _k.ctc_grad(self._logy, self._t, in_len, lab_len, self.blank_symbol,
                               self._alpha, self._loss, gscale)
        T, B, V = self._logy.shape
        M = self._t.shape[1]
        S = 2 * M + 1
        occ = xp.zeros((T, B, V), xp.float64)
        beta = xp.empty((B, 2, S), xp.float64)
        if B:
            _ctc_occupancy_gpu((B,), (_threads(S),),
                               (self._logy, self._t, in_len, lab_len,
                                numpy.int32(self.blank_symbol), self._alpha, self._loss,
                                beta, occ, numpy.int32(T), numpy.int32(B),
                                numpy.int32(V), numpy.int32(M)))
        valid = (xp.arange(T)[:, None] < in_len[None, :]) & xp.isfinite(self._loss)[None]
        return (xp.exp(self._logy) - occ) * (valid * gscale[None, :])[:, :, None]

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        xp = backend.get_array_module(gy)
        B = self._B
        if self.reduce == 'mean':
            gscale = xp.full(B, 1.0 / max(B, 1), xp.float64) * xp.asarray(gy, xp.float64)
        else:
            gscale = xp.ascontiguousarray(gy, xp.float64)
        gx = self._unit_grad(gscale)
        return None, None, None, gx.astype(self.inputs[3].dtype)

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        xp = backend.get_array_module(gy)
        B = self._B
        dtype = self.inputs[3].dtype
        g = self._unit_grad(xp.ones(B, xp.float64)).astype(dtype)
        T, _, V = g.shape
        if self.reduce == 'mean':
            gb = _core.broadcast_to(_core.reshape(gy, (1, 1, 1)), (T, B, V))
            gx = gb * (g / max(B, 1))
        else:
            gb = _core.broadcast_to(_core.reshape(gy, (1, B, 1)), (T, B, V))
            gx = gb * g
        return None, None, None, gx


def _int_array(xp, v, name, shape):
    a = _ops.array_of(v)
    a = xp.asarray(a)
    if a.dtype.kind not in 'iu':
        raise _ops.invalid(_NAME, '%s.dtype.kind == i' % name, '%s != i' % a.dtype.kind)
    if a.shape != shape:
        raise _ops.invalid(_NAME, '%s.shape == %s' % (name, shape),
                           '%s != %s' % (a.shape, shape))
    return a


def connectionist_temporal_classification(
        x, t, blank_symbol, input_length=None, label_length=None, reduce='mean'):
    """Connectionist Temporal Classification loss (Graves et al., 2006).

    For each sequence ``b``, the loss is ``-log p(t_b | x_b)``, where the probability
    sums over every alignment of the label sequence ``t_b`` (with blanks inserted and
    repeated symbols merged) to the ``input_length[b]`` time steps, and the
    probability of a symbol at a time step is the softmax of ``x`` over labels.
    Sequences without any alignment (labels too long for the input) give ``inf`` and
    a zero gradient.

    Args:
        x (list or tuple of ~kusari.Variable or arrays): ``T`` arrays of shape
            ``(B, V)``: unnormalized log-probabilities (do not apply softmax).
        t (~kusari.Variable or array): ``(B, M)`` int labels; entries past
            ``label_length[b]`` are ignored, the others must be in ``[0, V)``.
        blank_symbol (int): the blank label, ``0 <= blank_symbol < V``.
        input_length (array or None): ``(B,)`` int lengths ``<= T``; ``None``
            means ``T`` for every sequence.
        label_length (array or None): ``(B,)`` int lengths ``<= M``; ``None``
            means ``M``.
        reduce (str): ``'mean'`` (mean over the batch) or ``'no'``.

    Returns:
        ~kusari.Variable: a scalar (``'mean'``) or the ``(B,)`` losses (``'no'``).
        Differentiable with respect to ``x`` only.

    >>> import numpy, kusari.functions as F
    >>> x = [numpy.zeros((1, 2), numpy.float32)] * 2   # uniform over {blank, 1}
    >>> t = numpy.array([[1]], numpy.int32)
    >>> loss = F.connectionist_temporal_classification(x, t, 0)
    >>> print(round(float(loss.array), 4))   # 3 alignments of 4: -log(3/4)
    0.2877
    """
    if not isinstance(x, (list, tuple)):
        raise TypeError('%s: x must be a list of Variables, got %s'
                        % (_NAME, type(x).__name__))
    if len(x) == 0:
        raise _ops.invalid(_NAME, 'len(x) > 0', '0')
    if isinstance(blank_symbol, bool) or not isinstance(blank_symbol, (int, numpy.integer)):
        raise TypeError('%s: blank_symbol must be a non-negative integer, got %r'
                        % (_NAME, blank_symbol))
    if reduce not in ('mean', 'no'):
        raise ValueError("%s: only 'mean' and 'no' are valid for 'reduce', but '%s' is "
                         'given' % (_NAME, reduce))
    x0 = _ops.array_of(x[0])
    for i, xi in enumerate(x):
        a = _ops.array_of(xi)
        _ops.check_float(_NAME, 'x[%d]' % i, a)
        if a.ndim != 2:
            raise _ops.invalid(_NAME, 'x[%d].ndim == 2' % i, '%d != 2' % a.ndim)
        if a.shape != x0.shape or a.dtype != x0.dtype:
            raise _ops.invalid(_NAME, 'x[%d] has the shape and dtype of x[0] (%s, %s)'
                               % (i, x0.shape, x0.dtype), '%s, %s' % (a.shape, a.dtype))
    B, V = x0.shape
    T = len(x)
    blank_symbol = int(blank_symbol)
    if not 0 <= blank_symbol < V:
        raise ValueError('%s: blank_symbol must be in [0, %d) (x[0].shape[1]), got %d'
                         % (_NAME, V, blank_symbol))
    xp = backend.get_array_module(x0)
    ta = xp.asarray(_ops.array_of(t))
    if ta.ndim != 2 or ta.shape[0] != B:
        raise _ops.invalid(_NAME, 't.ndim == 2 and t.shape[0] == x[0].shape[0] (= %d)'
                           % B, 't.shape == %s' % (ta.shape,))
    ta = _int_array(xp, ta, 't', ta.shape)
    M = ta.shape[1]
    if input_length is None:
        input_length = xp.full(B, T, numpy.int32)
    if label_length is None:
        label_length = xp.full(B, M, numpy.int32)
    in_len = _int_array(xp, input_length, 'input_length', (B,))
    lab_len = _int_array(xp, label_length, 'label_length', (B,))
    if B:
        lo, hi = int(in_len.min()), int(in_len.max())
        if lo < 0 or hi > T:
            raise ValueError('%s: input_length must be in [0, %d] (len(x)), got values '
                             'in [%d, %d]' % (_NAME, T, lo, hi))
        lo, hi = int(lab_len.min()), int(lab_len.max())
        if lo < 0 or hi > M:
            raise ValueError('%s: label_length must be in [0, %d] (t.shape[1]), got '
                             'values in [%d, %d]' % (_NAME, M, lo, hi))
    # labels past each label_length are ignored (replaced by the blank)
    used = xp.arange(M)[None, :] < lab_len[:, None]
    ta = xp.where(used, ta, blank_symbol).astype(numpy.int32)
    if ta.size and (int(ta.min()) < 0 or int(ta.max()) >= V):
        raise ValueError('%s: each label in t must be in [0, %d) (x[0].shape[1]), got '
                         'values in [%d, %d]' % (_NAME, V, int(ta.min()), int(ta.max())))
    xs = stack(list(x))
    return ConnectionistTemporalClassification(blank_symbol, reduce).apply(
        (in_len.astype(numpy.int32), lab_len.astype(numpy.int32), ta, xs))[0]
