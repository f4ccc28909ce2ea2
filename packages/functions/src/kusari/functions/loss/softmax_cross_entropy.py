"""Softmax cross entropy (``F.softmax_cross_entropy``)."""
import numpy

from kusari import _core
from kusari import _workspace
from kusari import backend
from kusari._core import FunctionNode
from kusari._core import Variable
from kusari.backends import cuda
from kusari.functions.loss import _softmax_cross_entropy_kernels as _k
from kusari.functions.util import _ops

_NAME = 'softmax_cross_entropy'
_F32 = numpy.dtype(numpy.float32)
_WIDE = 32      # float64 from this many classes on uses NumPy's vectorized exp
_EMPTY = {numpy.dtype(numpy.float32): numpy.empty(0, numpy.float32),
          numpy.dtype(numpy.float64): numpy.empty(0, numpy.float64)}
_EMPTY2 = {numpy.dtype(numpy.float32): numpy.empty((0, 0), numpy.float32),
           numpy.dtype(numpy.float64): numpy.empty((0, 0), numpy.float64)}

# GPU kernels: x, t in their natural layout (N, C, D) / (N, D) with D the product of
# the trailing axes; i indexes t (forward) or x (backward).
_fwd_gpu = cuda.elementwise(
    'S t, raw T log_y, raw T w, int32 n_channel, int32 n_unit, S ignore, int32 use_w',
    'T out',
    '''
    if (t == ignore) {
        out = 0;
    } else {
        int n = i / n_unit;
        int d = i % n_unit;
        T lp = log_y[(n * n_channel + t) * n_unit + d];
        out = use_w ? -lp * w[t] : -lp;
    }
    ''',
    'kusari_softmax_crossent_fwd')

_bwd_gpu = cuda.elementwise(
    'T y, raw S t, raw T w, raw T gloss, T coeff, int32 n_channel, int32 n_unit, '
    'S ignore, int32 use_w, int32 per_sample',
    'T gx',
    '''
    int d = i % n_unit;
    int c = (i / n_unit) % n_channel;
    int n = i / (n_unit * n_channel);
    int k = n * n_unit + d;
    S tk = t[k];
    if (tk == ignore) {
        gx = 0;
    } else {
        T s = per_sample ? gloss[k] : gloss[0] * coeff;
        if (use_w) s *= w[tk];
        gx = s * (y - (c == tk ? T(1) : T(0)));
    }
    ''',
    'kusari_softmax_crossent_bwd')


def _check_inputs(x, t, class_weight, reduce, soft_target_loss):
    _ops.check_float(_NAME, 'x', x)
    if x.ndim < 2:
        raise _ops.invalid(_NAME, 'x.ndim >= 2', '%d < 2' % x.ndim)
    if t.dtype.kind == 'f':
        if t.shape != x.shape:
            raise _ops.invalid(_NAME, 'x.shape == t.shape (soft target)',
                               '%s != %s' % (x.shape, t.shape))
        if t.dtype != x.dtype:
            raise _ops.invalid(_NAME, 'x.dtype == t.dtype (soft target)',
                               '%s != %s' % (x.dtype, t.dtype))
        return True
    if t.dtype.kind not in 'iu':
        raise _ops.invalid(_NAME, 't.dtype.kind == i', '%s != i' % t.dtype.kind)
    if t.ndim != x.ndim - 1:
        raise _ops.invalid(_NAME, 't.ndim == x.ndim - 1', '%d != %d' % (t.ndim, x.ndim - 1))
    if t.shape[0] != x.shape[0] or t.shape[1:] != x.shape[2:]:
        raise _ops.invalid(_NAME, 'x.shape[0] == t.shape[0] and x.shape[2:] == t.shape[1:]',
                           'x.shape = %s, t.shape = %s' % (x.shape, t.shape))
    return False


def _check_options(class_weight, reduce, soft_target_loss):
    if reduce not in ('mean', 'no'):
        raise ValueError("%s: only 'mean' and 'no' are valid for 'reduce', but '%s' is "
                         'given' % (_NAME, reduce))
    if soft_target_loss not in ('cross-entropy', 'kl-divergence'):
        raise ValueError("%s: soft_target_loss must be 'cross-entropy' or "
                         "'kl-divergence', got %r" % (_NAME, soft_target_loss))
    if class_weight is not None:
        if isinstance(class_weight, Variable):
            raise ValueError('%s: class_weight should be a numpy.ndarray or '
                             'cupy.ndarray, not a Variable' % _NAME)
        if class_weight.ndim != 1:
            raise ValueError('%s: class_weight.ndim should be 1, got %d'
                             % (_NAME, class_weight.ndim))
        if class_weight.dtype.kind != 'f':
            raise ValueError("%s: the dtype of class_weight should be 'f', got %s"
                             % (_NAME, class_weight.dtype))


def _check_labels_xp(xp, t, n_class, ignore_label):
    bad = ((t < 0) | (t >= n_class)) & (t != ignore_label)
    if bool(bad.any()):
        raise ValueError('%s: each label t must satisfy 0 <= t < x.shape[1] (= %d) or '
                         't == ignore_label (= %d)' % (_NAME, n_class, ignore_label))
    return int((t != ignore_label).sum())


def _rows(x):
    """x (N, C, ...) as a C-contiguous (R, C) matrix of rows."""
    if x.ndim == 2:
        return numpy.ascontiguousarray(x)
    C = x.shape[1]
    return numpy.ascontiguousarray(numpy.moveaxis(x, 1, -1)).reshape(-1, C)


def _unrows(g2, shape):
    if len(shape) == 2:
        return g2
    C = shape[1]
    g = g2.reshape((shape[0],) + tuple(shape[2:]) + (C,))
    return numpy.moveaxis(g, -1, 1)


def _labels(t):
    t = t.reshape(-1)
    if t.dtype != numpy.int32 and t.dtype != numpy.int64:
        t = t.astype(numpy.int64)
    return numpy.ascontiguousarray(t)


class SoftmaxCrossEntropy(FunctionNode):
    """Softmax followed by cross entropy against integer labels (or soft targets)."""

    def __init__(self, normalize=True, cache_score=True, class_weight=None,
                 ignore_label=-1, reduce='mean', soft_target_loss='cross-entropy'):
        self.normalize = normalize
        self.cache_score = cache_score
        self.class_weight = class_weight
        self.ignore_label = ignore_label
        self.reduce = reduce
        self.soft_target_loss = soft_target_loss
        self.soft_target = False
        self.y = None
        self.coeff = None
        self._fast = False

    @property
    def label(self):
        return 'SoftmaxCrossEntropy'

    # -- forward ------------------------------------------------------------------

    def forward_cpu(self, inputs):
        x, t = inputs
        self.retain_inputs((0, 1))
        if (self.class_weight is None and self.reduce == 'mean' and self.cache_score
                and x.dtype == _F32):
            # the common case (float32 (N, C), 1-D labels) in one kernel call; the
            # kernel returns None for any other layout
            out = (_workspace.empty(x.shape, x.dtype) if x.nbytes >= _workspace.MIN_BYTES
                   else None)
            r = _k.forward_mean_f32(x, t, self.ignore_label, self.normalize, out)
            if r is not None:
                loss, self.coeff, self.y = r
                self._fast = True
                return loss,
        if _check_inputs(x, t, self.class_weight, self.reduce, self.soft_target_loss):
            self.soft_target = True
            return self._soft_forward(numpy, x, t)
        C = x.shape[1]
        t1 = _labels(t)
        count = _k.check_labels(t1, C, self.ignore_label, _NAME)
        dtype = x.dtype
        work = numpy.float32 if dtype == numpy.float16 else dtype
        x2 = _rows(x)
        if x2.dtype != work:
            x2 = x2.astype(work)
        R = x2.shape[0]
        w = self.class_weight
        has_w = w is not None
        w = numpy.ascontiguousarray(backend.CpuDevice().send(w), work) if has_w \
            else _EMPTY[numpy.dtype(work)]
        if C >= _WIDE or x2.dtype == numpy.float32:
            # float32: one pass per row with the SIMD exp; float64 with many
            # classes: NumPy's vectorized exp beats the scalar loop
            loss, total = self._forward_wide(x2, t1, w if has_w else None)
        else:
            y = numpy.empty_like(x2) if self.cache_score else _EMPTY2[numpy.dtype(work)]
            loss = numpy.empty(R, work)
            total = _k.forward(x2, t1, self.ignore_label, w, has_w, y, self.cache_score,
                               loss)
            if self.cache_score:
                self.y = y
        if self.reduce == 'mean':
            n = count if self.normalize else x.shape[0]
            self.coeff = 1.0 / max(n, 1)
            return numpy.asarray(total * self.coeff, dtype=dtype),
        return loss.reshape(t.shape).astype(dtype, copy=False),

    def _forward_wide(self, x2, t1, w):
        # max-shift rows (Cython), NumPy's vectorized exp in place, then one more
        # Cython pass for the row sums, the losses and the normalization
        R, C = x2.shape
        y = _workspace.empty((R, C), x2.dtype)
        has_w = w is not None
        if x2.dtype == numpy.float32:
            loss = numpy.empty(R, numpy.float32)
            total = _k.forward_rows_f32(x2, t1, self.ignore_label,
                                        w if has_w else _EMPTY[x2.dtype], has_w,
                                        bool(self.cache_score), y, loss)
            if self.cache_score:
                self.y = y
            return loss, total
        m = numpy.empty(R, numpy.float64)
        _k.shift_rows(x2, y, m)
        numpy.exp(y, out=y)
        loss = numpy.empty(R, x2.dtype)
        total = _k.finish_rows(x2, y, t1, self.ignore_label,
                               w if has_w else _EMPTY[x2.dtype], has_w,
                               bool(self.cache_score), m, loss)
        if self.cache_score:
            self.y = y
        return loss, total

    def forward_gpu(self, inputs):
        x, t = inputs
        cp = cuda.cupy
        self.retain_inputs((0, 1))
        if _check_inputs(x, t, self.class_weight, self.reduce, self.soft_target_loss):
            self.soft_target = True
            return self._soft_forward(cp, x, t)
        C = x.shape[1]
        count = _check_labels_xp(cp, t, C, self.ignore_label)
        log_y = _ops.log_softmax_array(x, 1)
        if self.cache_score:
            self.y = cp.exp(log_y)
        n_unit = t.size // max(len(t), 1)
        has_w = self.class_weight is not None
        w = cp.asarray(self.class_weight, x.dtype) if has_w else cp.empty(1, x.dtype)
        loss = _fwd_gpu(t, cp.ascontiguousarray(log_y), w, C, n_unit,
                        t.dtype.type(self.ignore_label), int(has_w))
        if self.reduce == 'mean':
            n = count if self.normalize else x.shape[0]
            self.coeff = 1.0 / max(n, 1)
            acc = numpy.float32 if x.dtype == numpy.float16 else x.dtype
            return (loss.sum(dtype=acc) * self.coeff).astype(x.dtype),
        return loss.reshape(t.shape),

    def _soft_forward(self, xp, x, t):
        log_y = _ops.log_softmax_array(x, 1)
        if self.cache_score:
            self.y = xp.exp(log_y)
        if self.soft_target_loss == 'kl-divergence':
            ret = (t * (xp.log(t + t.dtype.type(1e-7)) - log_y)).sum(axis=1)
        else:
            ret = -(t * log_y).sum(axis=1)
        if self.reduce == 'mean':
            self.coeff = 1.0 / max(x.size // max(x.shape[1], 1), 1)
            return xp.asarray(ret.sum() * self.coeff, dtype=x.dtype),
        return xp.asarray(ret),

    # -- backward -----------------------------------------------------------------

    def backward(self, indexes, grad_outputs):
        x, t = self.get_retained_inputs()
        gx = _SoftmaxCrossEntropyGrad(self).apply((x, t, grad_outputs[0]))[0]
        return gx, None

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        t = self.inputs[1].data
        return _grad_array(self, x, t, grad_outputs[0]), None


def _grad_array(f, x, t, gloss):
    if f._fast:
        # forward took the float32 fast path: y is the cached softmax
        y = f.y
        out = (_workspace.empty(y.shape, y.dtype) if y.nbytes >= _workspace.MIN_BYTES
               else None)
        gx = _k.backward_mean_f32(y, t, f.ignore_label, float(gloss) * f.coeff, out)
        if gx is not None:
            return gx
    xp = backend.get_array_module(x)
    if f.soft_target:
        y = f.y if f.y is not None else xp.exp(_ops.log_softmax_array(x, 1))
        gx = y * t.sum(axis=1, keepdims=True) - t
        if f.reduce == 'mean':
            gx *= gloss * x.dtype.type(f.coeff)
        else:
            gx *= xp.expand_dims(gloss, 1)
        return gx
    if xp is not numpy:
        y = f.y if f.y is not None else xp.exp(_ops.log_softmax_array(x, 1))
        n_unit = t.size // max(len(t), 1)
        has_w = f.class_weight is not None
        w = xp.asarray(f.class_weight, x.dtype) if has_w else xp.empty(1, x.dtype)
        per_sample = f.reduce != 'mean'
        g = xp.ascontiguousarray(gloss) if per_sample else gloss.reshape(1)
        coeff = x.dtype.type(1.0 if per_sample else f.coeff)
        return _bwd_gpu(y, t, w, g, coeff, x.shape[1], n_unit,
                        t.dtype.type(f.ignore_label), int(has_w), int(per_sample))
    dtype = x.dtype
    work = numpy.dtype(numpy.float32 if dtype == numpy.float16 else dtype)
    t1 = _labels(t)
    x2 = _rows(x)
    if x2.dtype != work:
        x2 = x2.astype(work)
    has_y = f.y is not None
    y = f.y if has_y else _EMPTY2[work]
    has_w = f.class_weight is not None
    w = numpy.ascontiguousarray(f.class_weight, work) if has_w else _EMPTY[work]
    if f.reduce == 'mean':
        scale = float(gloss) * f.coeff
        g1 = _EMPTY[work]
        has_g = False
    else:
        scale = 1.0
        g1 = numpy.ascontiguousarray(gloss.reshape(-1), work)
        has_g = True
    gx2 = numpy.empty(x2.shape, work)
    _k.backward(x2, y, has_y, t1, f.ignore_label, w, has_w, scale, g1, has_g, gx2)
    gx = _unrows(gx2, x.shape)
    if gx.dtype != dtype:
        gx = gx.astype(dtype)
    return gx


class _SoftmaxCrossEntropyGrad(FunctionNode):
    """Gradient of :class:`SoftmaxCrossEntropy` w.r.t. ``x`` (not differentiable)."""

    def __init__(self, fwd):
        self.fwd = fwd

    def forward(self, inputs):
        x, t, gloss = inputs
        return _grad_array(self.fwd, x, t, gloss),

    def backward(self, indexes, grad_outputs):
        raise RuntimeError(
            "F.softmax_cross_entropy was called with 'enable_double_backprop=False' "
            'argument, but double-backprop is actually being performed. Please '
            "specify 'enable_double_backprop=True' explicitly.")


class _SmoothedSoftmaxCrossEntropy(FunctionNode):
    """Softmax cross entropy of integer labels against a label-smoothed target.

    The target of a label ``t`` is ``q = (1 - ls) * onehot(t) + ls / C``; the loss of a
    label is ``-class_weight[t] * sum_c q_c log_softmax(x)_c`` (0 where ignored).  The
    gradient ``(softmax(x) - q) * coef`` is written with differentiable functions, so
    double backprop works.
    """

    def __init__(self, normalize, class_weight, ignore_label, reduce, label_smoothing):
        self.normalize = normalize
        self.class_weight = class_weight
        self.ignore_label = ignore_label
        self.reduce = reduce
        self.ls = float(label_smoothing)

    @property
    def label(self):
        return 'SoftmaxCrossEntropy'

    def _target_and_coef(self, xp, x, t):
        """The smoothed target ``q`` (x's shape) and the per-label coefficient."""
        C = x.shape[1]
        valid = t != self.ignore_label
        tc = xp.where(valid, t, 0)
        classes = xp.arange(C).reshape((1, C) + (1,) * (x.ndim - 2))
        onehot = xp.expand_dims(tc, 1) == classes
        dt = x.dtype.type
        q = onehot * dt(1.0 - self.ls) + dt(self.ls / C)
        coef = valid.astype(x.dtype)
        if self.class_weight is not None:
            coef = coef * xp.asarray(self.class_weight, x.dtype)[tc]
        return q.astype(x.dtype, copy=False), coef

    def forward(self, inputs):
        x, t = inputs
        xp = backend.get_array_module(x)
        _check_inputs(x, t, self.class_weight, self.reduce, 'cross-entropy')
        C = x.shape[1]
        if xp is numpy:
            count = _k.check_labels(_labels(t), C, self.ignore_label, _NAME)
        else:
            count = _check_labels_xp(xp, t, C, self.ignore_label)
        self.retain_inputs((0, 1))
        work = x.astype(numpy.float32) if x.dtype == numpy.float16 else x
        log_y = _ops.log_softmax_array(work, 1)
        q, coef = self._target_and_coef(xp, work, t)
        loss = -(q * log_y).sum(axis=1) * coef
        n = count if self.normalize else x.shape[0]
        self.coeff = 1.0 / max(n, 1)
        if self.reduce == 'mean':
            return xp.asarray(loss.sum() * loss.dtype.type(self.coeff), dtype=x.dtype),
        return xp.asarray(loss.reshape(t.shape), dtype=x.dtype),

    def _grad_scale(self, xp, g, coef):
        if self.reduce == 'mean':
            return coef * (g * g.dtype.type(self.coeff)).astype(coef.dtype)
        return coef * g.astype(coef.dtype)

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        t = self.inputs[1].data
        xp = backend.get_array_module(x)
        work = x.astype(numpy.float32) if x.dtype == numpy.float16 else x
        y = xp.exp(_ops.log_softmax_array(work, 1))
        q, coef = self._target_and_coef(xp, work, t)
        s = xp.expand_dims(self._grad_scale(xp, grad_outputs[0], coef), 1)
        return ((y - q) * s).astype(x.dtype, copy=False), None

    def backward(self, indexes, grad_outputs):
        x, t = self.get_retained_inputs()
        xp = backend.get_array_module(x.array)
        q, coef = self._target_and_coef(xp, x.array, t.array)
        g = grad_outputs[0]
        if self.reduce == 'mean':
            g = _core.broadcast_to(_core.reshape(g * self.coeff, (1,) * coef.ndim),
                                   coef.shape)
        s = _core.reshape(g * coef, (coef.shape[0], 1) + coef.shape[1:])
        s = _core.broadcast_to(s, x.shape)
        return (_ops.softmax(x, 1) - q) * s, None


def _double_backward_sce(x, t, normalize, class_weight, ignore_label, reduce,
                         soft_target_loss):
    x = _ops.as_var(x)
    t = _ops.array_of(t)
    xp = backend.get_array_module(x.array)
    if _check_inputs(x.array, t, class_weight, reduce, soft_target_loss):
        log_y = _ops.log_softmax(x, 1)
        if soft_target_loss == 'kl-divergence':
            ret = _ops.sum(t * (xp.log(t + t.dtype.type(1e-7)) - log_y), axis=1)
        else:
            ret = -_ops.sum(log_y * t, axis=1)
        if reduce == 'mean':
            c = 1.0 / max(x.size // max(x.shape[1], 1), 1)
            if x.dtype == numpy.float16:
                return _ops.sum(ret * c)
            return _ops.sum(ret) * c
        return ret
    C = x.shape[1]
    if xp is numpy:
        count = _k.check_labels(_labels(t), C, ignore_label, _NAME)
    else:
        count = _check_labels_xp(xp, t, C, ignore_label)
    loss = -_ops.log_softmax(x, 1)
    valid = t != ignore_label
    tc = xp.where(valid, t, 0)
    coef = valid.astype(x.dtype)
    if class_weight is not None:
        coef = coef * xp.asarray(class_weight, x.dtype)[tc]
    if x.ndim > 2:
        loss = _core.transpose(loss, (0,) + tuple(range(2, x.ndim)) + (1,))
    loss = _core.reshape(loss, (-1, C))
    flat_t = tc.reshape(-1)
    loss = _core.get_item(loss, (xp.arange(flat_t.size), flat_t))
    loss = _core.reshape(loss, t.shape) * coef
    if reduce == 'mean':
        n = count if normalize else x.shape[0]
        if x.dtype == numpy.float16:
            # a float16 sum of many losses overflows (65504): scale first
            return _ops.sum(loss * (1.0 / max(n, 1)))
        return _ops.sum(loss) * (1.0 / max(n, 1))
    return loss


def softmax_cross_entropy(x, t, normalize=True, cache_score=True, class_weight=None,
                          ignore_label=-1, reduce='mean', enable_double_backprop=False,
                          soft_target_loss='cross-entropy', label_smoothing=0.0):
    """Cross entropy loss of softmax-normalized scores (``F.softmax_cross_entropy``).

    For integer labels the loss of sample ``n`` (and position ``d`` for inputs of more
    than 2 dimensions, where the softmax runs along axis 1) is
    ``-class_weight[t] * log_softmax(x)[n, t, d]``; with ``reduce='mean'`` they are
    summed and divided by the number of non-ignored labels (``normalize=True``) or by
    the batch size (``normalize=False``).

    When ``t`` is a float array of the same shape as ``x`` it is a soft target: the
    loss is ``-sum_c t_c log_softmax(x)_c`` (``'cross-entropy'``) or
    ``sum_c t_c (log(t_c + 1e-7) - log_softmax(x)_c)`` (``'kl-divergence'``),
    averaged over all positions with ``reduce='mean'``.

    Args:
        x (Variable or array): scores of shape ``(N, C, d1, ...)``, float16/32/64.
        t (Variable or array): int labels of shape ``(N, d1, ...)`` with values in
            ``[0, C)`` or ``ignore_label``; or a soft target shaped like ``x``.
        normalize (bool): divide by the number of valid labels instead of ``N``.
        cache_score (bool): keep ``softmax(x)`` for backward (faster, more memory).
        class_weight (array or None): ``(C,)`` constant weight of each class.
        ignore_label (int): label value to ignore (its loss is 0).
        reduce (str): ``'mean'`` (a scalar) or ``'no'`` (the loss per label).
        enable_double_backprop (bool): build the loss from differentiable pieces so
            that it can be differentiated twice (slower).
        soft_target_loss (str): ``'cross-entropy'`` or ``'kl-divergence'``.
        label_smoothing (float): In ``[0, 1]`` (not in Chainer v7; PyTorch's
            ``label_smoothing``): the target of a label ``t`` becomes
            ``(1 - label_smoothing) * onehot(t) + label_smoothing / C``, so the loss
            of a label is ``-sum_c q_c log_softmax(x)_c`` (times ``class_weight[t]``,
            the weight of the true label).  A soft target ``t`` becomes
            ``(1 - label_smoothing) * t + label_smoothing / C``.  Twice
            differentiable for integer labels.

    Returns:
        Variable: a scalar (``reduce='mean'``) or an array of ``t``'s shape.

    Raises:
        InvalidType: on wrong dtypes or shapes; ValueError: on labels out of range or
            invalid options.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[-1, 0, 1, 2], [2, 0, 1, -1]], numpy.float32)
    >>> t = numpy.array([3, 0], numpy.int32)
    >>> y = F.softmax_cross_entropy(x, t)
    >>> round(float(y.array), 6)
    0.44019
    >>> F.softmax_cross_entropy(x, t, reduce='no').shape
    (2,)
    >>> round(float(F.softmax_cross_entropy(x, t, label_smoothing=0.1).array), 5)
    0.59019
    """
    _check_options(class_weight, reduce, soft_target_loss)
    if label_smoothing:
        ls = float(label_smoothing)
        if not 0.0 <= ls <= 1.0:
            raise ValueError('%s: label_smoothing must be in [0, 1], got %r'
                             % (_NAME, label_smoothing))
        ta = _ops.array_of(t)
        if ta.dtype.kind == 'f':
            C = x.shape[1] if x.ndim >= 2 else 1
            t = ta * ta.dtype.type(1.0 - ls) + ta.dtype.type(ls / C)
        else:
            f = _SmoothedSoftmaxCrossEntropy(normalize, class_weight, ignore_label,
                                             reduce, ls)
            return f.apply((x, t))[0]
    if enable_double_backprop:
        return _double_backward_sce(x, t, normalize, class_weight, ignore_label, reduce,
                                    soft_target_loss)
    f = SoftmaxCrossEntropy(normalize, cache_score, class_weight, ignore_label, reduce,
                            soft_target_loss)
    return f.apply((x, t))[0]
