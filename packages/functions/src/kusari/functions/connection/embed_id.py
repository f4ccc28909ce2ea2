"""Embedding lookup (``F.embed_id``)."""
import numpy

from kusari import _core
from kusari import _workspace
from kusari import backend
from kusari.backends import cuda
from kusari.functions.connection import _conv_kernels
from kusari.functions.connection._util import check_float, invalid
from kusari.functions.math.sum import sum as _sum

_embed_grad_gpu = cuda.elementwise(
    'T gy, raw S ids, int32 m, S ignore, bool has_ignore',
    'raw T gW',
    '''
    int row = i / m;
    int col = i - row * m;
    S id = ids[row];
    if (!has_ignore || id != ignore) {
        atomicAdd(&gW[id * m + col], gy);
    }
    ''',
    'kusari_embed_id_grad')


def _check_ids(x, n_vocab, ignore_label):
    xp = backend.get_array_module(x)
    if x.size == 0:
        return
    if xp is numpy and ignore_label is None:
        # two reductions instead of three elementwise passes and a reduction
        if int(x.min()) >= 0 and int(x.max()) < n_vocab:
            return
    valid = (x >= 0) & (x < n_vocab)
    if ignore_label is not None:
        valid |= x == ignore_label
    if not bool(valid.all()):
        bad = x[~valid]
        first = int(bad.ravel()[0]) if xp is numpy else int(bad.ravel()[0].get())
        raise ValueError(
            'embed_id: each id must satisfy 0 <= x < len(W) == %d (or equal '
            'ignore_label=%r); got %d' % (n_vocab, ignore_label, first))


def _scatter(x, gy, w_shape, w_dtype, ignore_label):
    """``gW[x[i]] += gy[i]`` over all ``i`` (ids were validated in forward)."""
    xp = backend.get_array_module(gy)
    m = w_shape[1]
    ids = x.reshape(-1)
    g2 = gy.reshape(-1, m)
    if xp is numpy:
        work = numpy.float32 if w_dtype == numpy.float16 else w_dtype
        gW = _workspace.zeros(tuple(w_shape), numpy.dtype(work))
        _scatter_into_cpu(ids, g2, gW, ignore_label)
        return gW.astype(w_dtype, copy=False)
    gW = xp.zeros(w_shape, dtype=w_dtype)
    g2 = xp.ascontiguousarray(g2, dtype=w_dtype)
    if w_dtype == numpy.float16:
        import cupyx
        if ignore_label is not None:
            mask = ids != ignore_label
            cupyx.scatter_add(gW, ids[mask], g2[mask])
        else:
            cupyx.scatter_add(gW, ids, g2)
    else:
        ids = xp.ascontiguousarray(ids)
        ign = ids.dtype.type(ignore_label if ignore_label is not None else 0)
        _embed_grad_gpu(g2, ids, m, ign, ignore_label is not None, gW)
    return gW


def _scatter_into_cpu(ids, g2, gW, ignore_label):
    # gW[ids[i]] += g2[i] (NumPy; gW is C-contiguous float32/float64)
    if ids.dtype != numpy.int32 and ids.dtype != numpy.int64:
        ids = ids.astype(numpy.int64)
    ids = numpy.ascontiguousarray(ids)
    g2 = numpy.ascontiguousarray(g2, dtype=gW.dtype)
    has = ignore_label is not None
    _conv_kernels.embed_grad(ids, g2, gW, int(ignore_label) if has else 0, has)


class _EmbedGradTerm(_core.DeferredGrad):
    """Deferred weight gradient of one :class:`EmbedIDFunction` (CPU): the rows of
    ``gy`` added at the rows ``x`` of a zero matrix.  The terms of all steps of a
    recurrent network share one zero-filled matrix."""

    def __init__(self, x, gy, w_shape, w_dtype, ignore_label):
        super().__init__(w_shape, w_dtype)
        self.x = x
        self.gy = gy
        self.ignore_label = ignore_label

    def materialize(self):
        return _scatter(self.x, self.gy, self.shape, self.dtype, self.ignore_label)

    @classmethod
    def combine(cls, terms):
        if len(terms) == 1:
            return terms[0].materialize()
        shape = terms[0].shape
        dtype = terms[0].dtype
        work = numpy.dtype(numpy.float32 if dtype == numpy.float16 else dtype)
        gW = _workspace.zeros(shape, work)
        for t in terms:
            _scatter_into_cpu(t.x.reshape(-1), t.gy.reshape(-1, shape[1]), gW,
                              t.ignore_label)
        return gW.astype(dtype, copy=False)


class EmbedIDFunction(_core.FunctionNode):
    """``y[...] = W[x[...]]`` (rows of ``ignore_label`` are zero)."""

    def __init__(self, ignore_label=None):
        self.ignore_label = ignore_label

    @property
    def label(self):
        return 'EmbedIDFunction'

    def forward(self, inputs):
        label = self.label
        if len(inputs) != 2:
            invalid(label, 'in_types.size() == 2', 'in_types.size() == %d' % len(inputs))
        x, W = inputs
        if x.dtype.kind != 'i':
            invalid(label, 'x.dtype.kind == i', '%s != i' % x.dtype.kind)
        check_float(label, 'W', W)
        if W.ndim != 2:
            invalid(label, 'W.ndim == 2', '%d != 2' % W.ndim)
        _check_ids(x, W.shape[0], self.ignore_label)
        self.retain_inputs((0,))
        self._w_shape = W.shape
        self._w_dtype = W.dtype
        xp = backend.get_array_module(x)
        if self.ignore_label is None:
            return W.take(x, axis=0),
        mask = x == self.ignore_label
        y = W.take(xp.where(mask, 0, x), axis=0)
        y[mask] = 0
        return y,

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        gy = grad_outputs[0]
        if type(gy) is numpy.ndarray and _core.defers_grad(self.inputs[1]):
            # W used at many steps (RNN language models): one zero fill for all
            return None, _EmbedGradTerm(x, gy, self._w_shape, self._w_dtype,
                                        self.ignore_label)
        return None, _scatter(x, gy, self._w_shape, self._w_dtype, self.ignore_label)

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        f = EmbedIDGrad(self._w_shape, self._w_dtype, self.ignore_label)
        return None, f.apply((x, grad_outputs[0]))[0]


class EmbedIDGrad(_core.FunctionNode):
    """Gradient of :class:`EmbedIDFunction` in ``W``: scatter-add of ``gy`` rows."""

    def __init__(self, w_shape, w_dtype, ignore_label=None):
        self.w_shape = tuple(w_shape)
        self.w_dtype = numpy.dtype(w_dtype)
        self.ignore_label = ignore_label

    def forward(self, inputs):
        x, gy = inputs
        self.retain_inputs((0,))
        return _scatter(x, gy, self.w_shape, self.w_dtype, self.ignore_label),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return None, embed_id(x, grad_outputs[0], self.ignore_label)


def embed_id(x, W, ignore_label=None, reduce=None):
    """Efficient linear function for one-hot input: the rows of ``W`` at ``x``.

    ``y[i_1, ..., i_n, :] = W[x[i_1, ..., i_n], :]``; where ``x`` equals
    ``ignore_label`` the row is zero (and no gradient flows).  The weight gradient is
    a scatter-add (a Cython kernel on the CPU).

    With ``reduce`` (not in Chainer v7; PyTorch's ``EmbeddingBag`` modes) the last
    axis of ``x`` holds a bag of ids per row, and their embeddings are pooled:
    ``'sum'`` adds them, ``'mean'`` divides that sum by the number of ids in the
    bag that are not ``ignore_label`` (a bag of ignored ids only gives zeros).

    Args:
        x (Variable or array): integer ids of any shape; each must be in
            ``[0, n_vocab)`` or equal ``ignore_label`` (else ValueError).
        W (Variable or array): embedding matrix of shape ``(n_vocab, n_units)``.
        ignore_label (int or None): id whose output is zero.
        reduce (None, 'sum' or 'mean'): pool over the last axis of ``x`` (which
            then needs ``x.ndim >= 1``).

    Returns:
        Variable: array of shape ``x.shape + (n_units,)``, or
        ``x.shape[:-1] + (n_units,)`` with ``reduce``.

    >>> import numpy, kusari.functions as F
    >>> W = numpy.array([[0., 0.], [1., 1.], [2., 2.]], numpy.float32)
    >>> F.embed_id(numpy.array([2, -1, 1], numpy.int32), W, ignore_label=-1).array
    array([[2., 2.],
           [0., 0.],
           [1., 1.]], dtype=float32)
    >>> bags = numpy.array([[0, 1, 2], [2, -1, -1]], numpy.int32)
    >>> F.embed_id(bags, W, ignore_label=-1, reduce='mean').array
    array([[1., 1.],
           [2., 2.]], dtype=float32)
    """
    if reduce is None:
        return EmbedIDFunction(ignore_label).apply((x, W))[0]
    return _embed_id_pooled(x, W, ignore_label, reduce)


def _embed_id_pooled(x, W, ignore_label, reduce):
    """``embed_id`` summed (``'sum'``) or averaged (``'mean'``) over x's last axis."""
    if reduce not in ('sum', 'mean'):
        raise ValueError("embed_id: reduce must be None, 'sum' or 'mean', got %r"
                         % (reduce,))
    xa = x.array if isinstance(x, _core.Variable) else x
    if xa.ndim < 1:
        invalid('EmbedIDFunction', 'x.ndim >= 1 (reduce pools over the last axis)',
                'x.ndim == 0')
    y = EmbedIDFunction(ignore_label).apply((x, W))[0]      # (..., L, n_units)
    y = _sum(y, axis=-2)                                    # ignored rows are zero
    if reduce == 'sum':
        return y
    xp = backend.get_array_module(xa)
    if ignore_label is None:
        count = xp.full(xa.shape[:-1], xa.shape[-1], numpy.float64)
    else:
        count = (xa != ignore_label).sum(axis=-1).astype(numpy.float64)
    inv = (1.0 / xp.maximum(count, 1.0)).astype(y.dtype)
    return y * xp.expand_dims(inv, -1)
