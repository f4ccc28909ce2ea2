"""Scaled dot-product attention (``F.scaled_dot_product_attention``).

CPU: the fused flash-attention style Cython kernels of :mod:`._attention_kernels`
(online softmax over key blocks; the backward pass recomputes the blocks from the
kept row log-sum-exp), so memory stays linear in the sequence length.  GPU: CuPy
array operations that materialize the ``(B, H, Lq, Lk)`` probabilities.  The
Variable ``backward`` (used for double backprop) writes the gradients with
differentiable functions on the materialized probabilities.
"""
import math

import numpy

from kusari import _core
from kusari import backend
from kusari import configuration
from kusari import function_node
from kusari.backends import cuda
from kusari.functions.activation.softmax import softmax as _softmax_fn
from kusari.functions.attention import _attention_kernels as _k
from kusari.functions.math.sum import sum as _sum_fn
from kusari.utils import type_check

_NAME = 'scaled_dot_product_attention'

# The keep/drop decision of entry i of a C-ordered (B, H, Lq, Lk) array: the same
# SplitMix64 hash of (seed, i) as the CPU kernels, so both devices agree.
_dropout_keep_gpu = cuda.elementwise(
    'uint64 seed, float64 ratio', 'bool keep',
    '''
    unsigned long long z = seed + ((unsigned long long)i + 1ULL)
        * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z = z ^ (z >> 31);
    keep = (double)(z >> 11) * (1.0 / 9007199254740992.0) >= ratio;
    ''',
    'kusari_sdpa_dropout_keep')


def _invalid(expect, actual):
    msg = ('Invalid operation is performed in: %s (Forward)\n\nExpect: %s\nActual: %s'
           % (_NAME, expect, actual))
    return type_check.InvalidType(expect, actual, msg=msg)


def _check_inputs(q, k, v):
    for name, a in (('q', q), ('k', k), ('v', v)):
        if a.dtype.kind != 'f':
            raise _invalid('%s.dtype.kind == f' % name, '%s != f' % a.dtype.kind)
        if a.ndim != 4:
            raise _invalid('%s.ndim == 4 (batch, heads, length, dim)' % name,
                           '%s.ndim == %d' % (name, a.ndim))
    if not q.dtype == k.dtype == v.dtype:
        raise _invalid('q.dtype == k.dtype == v.dtype',
                       '%s, %s, %s' % (q.dtype, k.dtype, v.dtype))
    if k.shape[:2] != q.shape[:2] or v.shape[:2] != q.shape[:2]:
        raise _invalid('q.shape[:2] == k.shape[:2] == v.shape[:2]',
                       '%s, %s, %s' % (q.shape, k.shape, v.shape))
    if k.shape[3] != q.shape[3]:
        raise _invalid('k.shape[3] == q.shape[3]', '%d != %d' % (k.shape[3], q.shape[3]))
    if v.shape[2] != k.shape[2]:
        raise _invalid('v.shape[2] == k.shape[2]', '%d != %d' % (v.shape[2], k.shape[2]))
    if q.shape[3] == 0 or v.shape[3] == 0:
        raise _invalid('q.shape[3] > 0 and v.shape[3] > 0',
                       '%d, %d' % (q.shape[3], v.shape[3]))


def _check_mask(mask, full):
    """Validate ``mask`` (bool or float, broadcastable to ``full``); its kind."""
    if mask is None:
        return 0
    if mask.dtype == numpy.bool_:
        kind = 1
    elif mask.dtype.kind == 'f':
        kind = 2
    else:
        raise _invalid('mask.dtype == bool or mask.dtype.kind == f',
                       'mask.dtype == %s' % mask.dtype)
    shape = tuple(mask.shape)
    ok = len(shape) <= 4 and all(
        s == 1 or s == f for s, f in zip(shape[::-1], full[::-1]))
    if not ok:
        raise _invalid('mask broadcastable to (B, H, Lq, Lk) == %s' % (full,),
                       'mask.shape == %s' % (shape,))
    return kind


def _work_dtype(dtype):
    return numpy.dtype(numpy.float32) if dtype == numpy.float16 else numpy.dtype(dtype)


class ScaledDotProductAttention(function_node.FunctionNode):
    """``softmax(scale * Q K^T + mask) V`` over ``(B, H, L, D)`` arrays.

    Args:
        mask (array or None): bool (True = attend) or additive float mask,
            broadcastable to ``(B, H, Lq, Lk)``; a constant (no gradient).
        scale (float or None): factor of the scores (``None``: ``1 / sqrt(D)``).
        is_causal (bool): query ``i`` attends to keys ``j <= i`` only.
        dropout_ratio (float): dropout of the attention probabilities (used only if
            ``config.train``).
        seed (int or None): seed of the dropout hash (``None``: drawn from
            ``numpy.random``).
    """

    def __init__(self, mask=None, scale=None, is_causal=False, dropout_ratio=0.0,
                 seed=None):
        if isinstance(mask, _core.Variable):
            mask = mask.array
        self.mask = mask
        self.scale = scale
        self.is_causal = bool(is_causal)
        if not 0.0 <= dropout_ratio < 1.0:
            raise ValueError('%s: dropout_ratio must be in [0, 1), got %r'
                             % (_NAME, dropout_ratio))
        self.ratio = float(dropout_ratio) if configuration.config.train else 0.0
        if self.ratio > 0 and seed is None:
            seed = int(numpy.random.randint(0, 2 ** 63 - 1, dtype=numpy.int64))
        self.seed = 0 if seed is None else int(seed) % (2 ** 64)
        self._lse = None
        self._out_work = None

    @property
    def label(self):
        return 'ScaledDotProductAttention'

    # -- helpers -----------------------------------------------------------------

    def _setup(self, q, k, v):
        _check_inputs(q, k, v)
        B, H, Lq, D = q.shape
        Lk = k.shape[2]
        self._full = (B, H, Lq, Lk)
        self._kind = _check_mask(self.mask, self._full)
        self._scale = 1.0 / math.sqrt(D) if self.scale is None else float(self.scale)
        self._work = _work_dtype(q.dtype)

    def _cpu_masks(self):
        bmask = fmask = None
        if self._kind == 1:
            bmask = numpy.broadcast_to(self.mask, self._full).view(numpy.uint8)
        elif self._kind == 2:
            m = self.mask
            if m.dtype != self._work:
                m = m.astype(self._work)
            fmask = numpy.broadcast_to(m, self._full)
        return bmask, fmask

    def _keep(self, xp):
        """The dropout keep mask (bool, ``(B, H, Lq, Lk)``) or None."""
        if self.ratio == 0:
            return None
        if xp is numpy:
            return _k.dropout_keep(self.seed, self._full, self.ratio)
        keep = xp.empty(self._full, numpy.bool_)
        _dropout_keep_gpu(numpy.uint64(self.seed), numpy.float64(self.ratio), keep)
        return keep

    def _allowed(self, xp):
        """Bool array of the entries that may be attended (None: all of them)."""
        allowed = None
        if self._kind == 1:
            allowed = xp.broadcast_to(xp.asarray(self.mask), self._full)
        if self.is_causal:
            Lq, Lk = self._full[2:]
            tril = xp.arange(Lk)[None, :] <= xp.arange(Lq)[:, None]
            allowed = tril if allowed is None else allowed & tril
        return allowed

    def _additive(self, xp, dtype):
        """The additive ``(B, H, Lq, Lk)``-broadcastable mask of the scores, or None.

        It is ``-inf`` where an entry is masked out (bool mask, causal mask, or a
        ``-inf`` of a float mask) and the float mask elsewhere; rows without any
        allowed entry are all zero (their probabilities are zeroed separately).
        Also returns the ``(B, H, Lq, 1)`` 0/1 array of rows that have an entry.
        """
        allowed = self._allowed(xp)
        add = None
        if self._kind == 2:
            add = xp.broadcast_to(xp.asarray(self.mask).astype(dtype), self._full)
            fin = add > -numpy.inf
            allowed = fin if allowed is None else allowed & fin
        if allowed is None:
            return None, None
        allowed = xp.broadcast_to(allowed, self._full)
        rows = allowed.any(axis=-1, keepdims=True)
        base = add if add is not None else xp.zeros((), dtype)
        add = xp.where(allowed, base, dtype.type(-numpy.inf))
        add = xp.where(rows, add, dtype.type(0)).astype(dtype)
        return add, rows.astype(dtype)

    def _probs_array(self, xp, q, k):
        """Materialized probabilities ``P`` (the GPU path), in q's dtype."""
        s = xp.matmul(q, k.swapaxes(-1, -2)) * q.dtype.type(self._scale)
        add, rows = self._additive(xp, q.dtype)
        if add is not None:
            s = s + add
        m = s.max(axis=-1, keepdims=True)
        e = xp.exp(s - m)
        p = e / e.sum(axis=-1, keepdims=True)
        if rows is not None:
            p = p * rows
        return p

    # -- forward -----------------------------------------------------------------

    def forward_cpu(self, inputs):
        q, k, v = inputs
        self._setup(q, k, v)
        self.retain_inputs((0, 1, 2))
        w = self._work
        qw, kw, vw = [numpy.ascontiguousarray(a, w) for a in (q, k, v)]
        bmask, fmask = self._cpu_masks()
        out, lse = _k.forward(qw, kw, vw, bmask, fmask, self._kind, self.is_causal,
                              self._scale, self.ratio, self.seed)
        self._lse = lse
        self._out_work = out
        if out.dtype != q.dtype:
            return out.astype(q.dtype),
        return out,

    def forward_gpu(self, inputs):
        q, k, v = inputs
        self._setup(q, k, v)
        self.retain_inputs((0, 1, 2))
        xp = backend.get_array_module(q)
        w = self._work
        qw, kw, vw = [a.astype(w, copy=False) for a in (q, k, v)]
        p = self._probs_array(xp, qw, kw)
        keep = self._keep(xp)
        if keep is not None:
            p = p * (keep * w.type(1.0 / (1.0 - self.ratio)))
        out = xp.matmul(p, vw)
        return out.astype(q.dtype, copy=False),

    # -- backward ----------------------------------------------------------------

    def backward_array(self, indexes, grad_outputs):
        q, k, v = [self.inputs[i].data for i in range(3)]
        gy, = grad_outputs
        xp = backend.get_array_module(q)
        w = self._work
        if xp is numpy:
            qw, kw, vw = [numpy.ascontiguousarray(a, w) for a in (q, k, v)]
            g = numpy.ascontiguousarray(gy, w)
            bmask, fmask = self._cpu_masks()
            gq, gk, gv = _k.backward(qw, kw, vw, self._out_work, g, self._lse, bmask,
                                     fmask, self._kind, self.is_causal, self._scale,
                                     self.ratio, self.seed)
        else:
            qw, kw, vw = [a.astype(w, copy=False) for a in (q, k, v)]
            g = gy.astype(w, copy=False)
            p = self._probs_array(xp, qw, kw)
            keep = self._keep(xp)
            dscale = None if keep is None else keep * w.type(1.0 / (1.0 - self.ratio))
            pd = p if dscale is None else p * dscale
            gv = xp.matmul(pd.swapaxes(-1, -2), g)
            dp = xp.matmul(g, vw.swapaxes(-1, -2))
            if dscale is not None:
                dp = dp * dscale
            ds = p * (dp - (p * dp).sum(axis=-1, keepdims=True))
            ds *= w.type(self._scale)
            gq = xp.matmul(ds, kw)
            gk = xp.matmul(ds.swapaxes(-1, -2), qw)
        dt = q.dtype
        grads = (gq.astype(dt, copy=False), gk.astype(dt, copy=False),
                 gv.astype(dt, copy=False))
        return tuple(grads[i] for i in indexes)

    def backward(self, indexes, grad_outputs):
        q, k, v = self.get_retained_inputs()
        gy, = grad_outputs
        xp = backend.get_array_module(q.array)
        dt = q.dtype
        kt = _core.transpose(k, (0, 1, 3, 2))
        s = (q @ kt) * self._scale
        add, rows = self._additive(xp, dt)
        if add is not None:
            s = s + add
        p = _softmax_fn(s, axis=-1)
        if rows is not None:
            p = p * rows
        keep = self._keep(xp)
        dscale = None
        pd = p
        if keep is not None:
            dscale = (keep * (1.0 / (1.0 - self.ratio))).astype(dt)
            pd = p * dscale
        ret = []
        ds = None
        for i in indexes:
            if i == 2:
                ret.append(_core.transpose(pd, (0, 1, 3, 2)) @ gy)
                continue
            if ds is None:
                dp = gy @ _core.transpose(v, (0, 1, 3, 2))
                if dscale is not None:
                    dp = dp * dscale
                ds = p * (dp - _sum_fn(p * dp, axis=-1, keepdims=True)) * self._scale
            if i == 0:
                ret.append(ds @ k)
            else:
                ret.append(_core.transpose(ds, (0, 1, 3, 2)) @ q)
        return tuple(ret)


def scaled_dot_product_attention(q, k, v, mask=None, dropout_ratio=0.0, scale=None,
                                 is_causal=False):
    """Scaled dot-product attention (Vaswani et al., 2017).

    .. math:: \\mathrm{Attention}(Q, K, V) = \\mathrm{softmax}\\left(
        s\\, Q K^\\top + M\\right) V,

    computed independently for every batch entry and head, with the scale
    :math:`s = 1 / \\sqrt{D}` by default and :math:`M` the mask.  Not in Chainer v7;
    the arguments follow PyTorch's ``scaled_dot_product_attention``.

    On the CPU a fused kernel iterates over blocks of keys with an online softmax and
    never holds more than one block of the ``Lq x Lk`` attention matrix (memory is
    linear in the length, also in backward, which recomputes the blocks).  On the GPU
    the probabilities are materialized.

    Args:
        q (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Queries ``(B, H, Lq, D)``, float dtype.
        k (:class:`~kusari.Variable` or array): Keys ``(B, H, Lk, D)``.
        v (:class:`~kusari.Variable` or array): Values ``(B, H, Lk, Dv)``.
        mask (array or None): ``True`` = attend (bool) or an additive float mask
            (``-inf`` excludes an entry), broadcastable to ``(B, H, Lq, Lk)``.  It
            gets no gradient.
        dropout_ratio (float): Dropout ratio of the attention probabilities, applied
            only when ``kusari.config.train`` is True (kept entries are scaled by
            ``1 / (1 - dropout_ratio)``).
        scale (float or None): Factor :math:`s` of the scores; ``None`` means
            ``1 / sqrt(D)``.
        is_causal (bool): If True, query ``i`` attends only to keys ``j <= i``
            (top-left aligned, as in PyTorch), combined with ``mask``.

    Returns:
        ~kusari.Variable: Output ``(B, H, Lq, Dv)`` of q's dtype.  A query row whose
        keys are all masked out gets a zero output (and zero gradients).

    >>> import numpy, kusari.functions as F
    >>> q = numpy.array([[[[1., 0.], [0., 1.]]]])        # (1, 1, 2, 2)
    >>> k = numpy.array([[[[1., 0.], [0., 1.]]]])
    >>> v = numpy.array([[[[1., 2.], [3., 4.]]]])
    >>> F.scaled_dot_product_attention(q, k, v, scale=0.).array
    array([[[[2., 3.],
             [2., 3.]]]])
    >>> F.scaled_dot_product_attention(q, k, v, is_causal=True).array
    array([[[[1.       , 2.       ],
             [2.3395231, 3.3395231]]]])
    """
    f = ScaledDotProductAttention(mask=mask, scale=scale, is_causal=is_causal,
                                  dropout_ratio=dropout_ratio)
    return f.apply((q, k, v))[0]
