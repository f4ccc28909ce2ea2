"""The LSTM cell (``F.lstm``)."""
import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari.backends import cuda
from kusari.functions.connection import _linear_kernels
from kusari.functions.connection.linear import DEFER_MAX_ROWS
from kusari.functions.rnn import _lstm_kernels as _k
from kusari.functions.util import _ops

# the bias rows and their gradient as F.linear does them (bit-identical to NumPy)
_add_bias = _linear_kernels.add_bias
_sum_rows = _linear_kernels.sum_rows

_NAME = 'lstm'
_ndarray = numpy.ndarray
_FAST = (numpy.dtype(numpy.float32), numpy.dtype(numpy.float64))

_PREAMBLE = '''
template <typename T> __device__ T lstm_sigmoid(T x) { return T(1) / (T(1) + exp(-x)); }
template <typename T> __device__ T lstm_grad_sigmoid(T y) { return y * (T(1) - y); }
template <typename T> __device__ T lstm_grad_tanh(T y) { return T(1) - y * y; }
'''

_fwd_gpu = cuda.elementwise(
    'T c_prev, T a_in, T i_in, T f_in, T o_in', 'T c, T h',
    '''
    T a = tanh(a_in);
    T i_ = lstm_sigmoid(i_in);
    T f = lstm_sigmoid(f_in);
    T o = lstm_sigmoid(o_in);
    c = a * i_ + f * c_prev;
    h = o * tanh(c);
    ''',
    'kusari_lstm_fwd', preamble=_PREAMBLE)

_bwd_gpu = cuda.elementwise(
    'T c_prev, T a_in, T i_in, T f_in, T o_in, T c, T gc, T gh',
    'T gc_prev, T ga, T gi, T gf, T go',
    '''
    T a = tanh(a_in);
    T i_ = lstm_sigmoid(i_in);
    T f = lstm_sigmoid(f_in);
    T o = lstm_sigmoid(o_in);
    T co = tanh(c);
    T gct = gh * o * lstm_grad_tanh(co) + gc;
    ga = gct * i_ * lstm_grad_tanh(a);
    gi = gct * a * lstm_grad_sigmoid(i_);
    gf = gct * c_prev * lstm_grad_sigmoid(f);
    go = gh * co * lstm_grad_sigmoid(o);
    gc_prev = gct * f;
    ''',
    'kusari_lstm_bwd', preamble=_PREAMBLE)


_SCALES = {}


def _gate_scale(n, dtype):
    key = (n, dtype)
    s = _SCALES.get(key)
    if s is None:
        s = numpy.full(n, 0.5, dtype)
        s[0::4] = 1
        _SCALES[key] = s
    return s


def _check(c_prev, x):
    if c_prev.dtype.kind != 'f' or x.dtype != c_prev.dtype:
        raise _ops.invalid(_NAME, 'c_prev.dtype == x.dtype (float)',
                           '%s, %s' % (c_prev.dtype, x.dtype))
    if x.ndim < 2 or c_prev.ndim != x.ndim:
        raise _ops.invalid(_NAME, 'c_prev.ndim == x.ndim >= 2',
                           '%d, %d' % (c_prev.ndim, x.ndim))
    if x.shape[0] > c_prev.shape[0]:
        raise _ops.invalid(_NAME, 'x.shape[0] <= c_prev.shape[0]',
                           '%d > %d' % (x.shape[0], c_prev.shape[0]))
    if x.shape[1] != 4 * c_prev.shape[1] or x.shape[2:] != c_prev.shape[2:]:
        raise _ops.invalid(_NAME, 'x.shape[1] == 4 * c_prev.shape[1] and '
                           'x.shape[2:] == c_prev.shape[2:]',
                           'x.shape = %s, c_prev.shape = %s' % (x.shape, c_prev.shape))


def _gates(x):
    """The four gate pre-activations (a, i, f, o) as views of x."""
    B = x.shape[0]
    r = x.reshape((B, x.shape[1] // 4, 4) + x.shape[2:])
    return [r[:, :, k] for k in range(4)]


def _sigmoid(xp, v):
    half = v.dtype.type(0.5)
    return xp.tanh(v * half) * half + half


def _forward_xp(xp, c_prev, x):
    B = x.shape[0]
    a, i, f, o = _gates(x)
    a = xp.tanh(a)
    i = _sigmoid(xp, i)
    f = _sigmoid(xp, f)
    o = _sigmoid(xp, o)
    c_next = xp.empty_like(c_prev)
    c = a * i + f * c_prev[:B]
    c_next[:B] = c
    c_next[B:] = c_prev[B:]
    return c_next, o * xp.tanh(c)


def _backward_xp(xp, c_prev, x, c_next, gc, gh):
    B = x.shape[0]
    a, i, f, o = _gates(x)
    a = xp.tanh(a)
    i = _sigmoid(xp, i)
    f = _sigmoid(xp, f)
    o = _sigmoid(xp, o)
    co = xp.tanh(c_next[:B])
    gc_prev = xp.empty_like(c_prev)
    if gh is None:
        gh = xp.zeros_like(co)
    gct = gh * o * (1 - co * co)
    if gc is not None:
        gct += gc[:B]
        gc_prev[B:] = gc[B:]
    else:
        gc_prev[B:] = 0
    gx = xp.empty_like(x)
    g = _gates(gx)
    g[0][...] = gct * i * (1 - a * a)
    g[1][...] = gct * a * i * (1 - i)
    g[2][...] = gct * c_prev[:B] * f * (1 - f)
    g[3][...] = gh * co * o * (1 - o)
    gc_prev[:B] = gct * f
    return gc_prev, gx


class LSTM(FunctionNode):
    """The LSTM cell: inputs ``(c_prev, x)``, outputs ``(c, h)``."""

    @property
    def label(self):
        return 'LSTM'

    def forward(self, inputs):
        c_prev, x = inputs
        _check(c_prev, x)
        self.retain_inputs((0, 1))
        self.retain_outputs((0,))
        if type(x) is _ndarray:
            if x.ndim == 2 and x.dtype in _FAST:
                # the whole cell in one Cython call (a vectorized tanh for float32)
                c_prev = numpy.ascontiguousarray(c_prev)
                x = numpy.ascontiguousarray(x)
                B = x.shape[0]
                act = numpy.empty(x.shape, x.dtype)
                c_next = numpy.empty(c_prev.shape, x.dtype)
                co = numpy.empty((B,) + c_prev.shape[1:], x.dtype)
                h = numpy.empty((B,) + c_prev.shape[1:], x.dtype)
                _k.forward_act(c_prev, x, act, c_next, co, h)
                self._act = act
                self._co = co
                return c_next, h
            return _forward_xp(numpy, c_prev, x)
        cp = cuda.cupy
        B = x.shape[0]
        a, i, f, o = _gates(x)
        c_next = cp.empty_like(c_prev)
        c_next[B:] = c_prev[B:]
        h = cp.empty((B,) + c_prev.shape[1:], x.dtype)
        _fwd_gpu(c_prev[:B], a, i, f, o, c_next[:B], h)
        return c_next, h

    def backward_array(self, indexes, grad_outputs):
        c_prev = self.inputs[0].data
        gc, gh = grad_outputs
        act = self.__dict__.get('_act')
        if act is not None:
            c_prev = numpy.ascontiguousarray(c_prev)
            gc_prev = numpy.empty_like(c_prev)
            gx = numpy.empty_like(act)
            has_gc = gc is not None
            has_gh = gh is not None
            gc_a = numpy.ascontiguousarray(gc) if has_gc else c_prev
            gh_a = numpy.ascontiguousarray(gh) if has_gh else self._co
            _k.backward_act(c_prev, act, self._co, gc_a, has_gc, gh_a, has_gh, gc_prev, gx)
            return gc_prev, gx
        x = self.inputs[1].data
        c_next = self._retained_c()
        return _lstm_grad_arrays(c_prev, x, c_next, gc, gh)

    def _retained_c(self):
        return self.get_retained_output_arrays()[0]

    def backward(self, indexes, grad_outputs):
        c_prev, x = self.get_retained_inputs()
        gc, gh = grad_outputs
        return _lstm_grad_vars(c_prev, x, gc, gh)


def _lstm_grad_arrays(c_prev, x, c_next, gc, gh):
    if type(x) is _ndarray:
        if x.ndim == 2 and x.dtype in _FAST:
            c_prev = numpy.ascontiguousarray(c_prev)
            x = numpy.ascontiguousarray(x)
            c_next = numpy.ascontiguousarray(c_next)
            gc_prev = numpy.empty_like(c_prev)
            gx = numpy.empty_like(x)
            has_gc = gc is not None
            has_gh = gh is not None
            gc_a = numpy.ascontiguousarray(gc) if has_gc else c_prev
            gh_a = numpy.ascontiguousarray(gh) if has_gh else c_prev
            _k.backward(c_prev, x, c_next, gc_a, has_gc, gh_a, has_gh, gc_prev, gx)
            return gc_prev, gx
        return _backward_xp(numpy, c_prev, x, c_next, gc, gh)
    cp = cuda.cupy
    B = x.shape[0]
    a, i, f, o = _gates(x)
    gc_prev = cp.empty_like(c_prev)
    if gc is None:
        gc = cp.zeros_like(c_prev)
    gc_prev[B:] = gc[B:]
    if gh is None:
        gh = cp.zeros((B,) + c_prev.shape[1:], x.dtype)
    gx = cp.empty_like(x)
    ga, gi, gf, go = _gates(gx)
    _bwd_gpu(c_prev[:B], a, i, f, o, c_next[:B], gc[:B], gh, gc_prev[:B], ga, gi, gf, go)
    return gc_prev, gx


def _lstm_grad_vars(c_prev, x, gc, gh, c_next=None):
    """The gradients of the cell written with differentiable nodes.

    The cell state ``c`` is recomputed from ``c_prev`` and ``x``, or is ``c_next``'s
    first rows when given (:class:`LSTMGrad`, where it is an input of its own).
    """
    B = x.shape[0]
    Bc = c_prev.shape[0]
    xp = cuda.get_array_module(x.array)
    r = _core.reshape(x, (B, x.shape[1] // 4, 4) + x.shape[2:])
    pre = [_core.get_item(r, (slice(None), slice(None), k)) for k in range(4)]
    a = _ops.tanh(pre[0])
    i = _ops.sigmoid(pre[1])
    f = _ops.sigmoid(pre[2])
    o = _ops.sigmoid(pre[3])
    cp_b = _core.get_item(c_prev, slice(0, B)) if Bc > B else c_prev
    if c_next is None:
        c = a * i + f * cp_b
    else:
        c = _core.get_item(c_next, slice(0, B)) if Bc > B else c_next
    co = _ops.tanh(c)
    if gh is None:
        gh = _core.as_variable(xp.zeros(co.shape, co.dtype))
    gc_b = None
    gc_rest = None
    if gc is not None:
        if Bc > B:
            gc_b = _core.get_item(gc, slice(0, B))
            gc_rest = _core.get_item(gc, slice(B, None))
        else:
            gc_b = gc
    gct = gh * o * (1 - co * co)
    if gc_b is not None:
        gct = gct + gc_b
    ga = gct * i * (1 - a * a)
    gi = gct * a * (i * (1 - i))
    gf = gct * cp_b * (f * (1 - f))
    go = gh * co * (o * (1 - o))
    gx = _core.reshape(_ops.stack([ga, gi, gf, go], axis=2), x.shape)
    gc_prev = gct * f
    if Bc > B:
        if gc_rest is None:
            gc_rest = _core.as_variable(
                xp.zeros((Bc - B,) + c_prev.shape[1:], c_prev.dtype))
        gc_prev = _ops.concat([gc_prev, gc_rest], axis=0)
    return gc_prev, gx


class LSTMGrad(FunctionNode):
    """The gradient of the LSTM cell as a node of its own (Chainer's ``LSTMGrad``).

    Inputs ``(c_prev, x, c_next, gc, gh)`` (``c_next``: the cell's new state, ``gc``
    and ``gh``: the gradients of its outputs); outputs ``(gc_prev, gx)``.  Its own
    gradient treats ``c_next`` as an independent input.  Like Chainer's (an old-style
    ``Function`` there) it can be called: ``LSTMGrad()(c_prev, x, c_next, gc, gh)``.
    """

    @property
    def label(self):
        return 'LSTMGrad'

    def __call__(self, *inputs):
        return self.apply(inputs)

    def forward(self, inputs):
        c_prev, x, c_next, gc, gh = inputs
        self.retain_inputs((0, 1, 2, 3, 4))
        return _lstm_grad_arrays(c_prev, x, c_next, gc, gh)

    def backward(self, indexes, grad_outputs):
        def grads(c_prev, x, c_next, gc, gh):
            return _lstm_grad_vars(c_prev, x, gc, gh, c_next=c_next)
        g = _ops.vjp(grads, self.get_retained_inputs(), grad_outputs)
        return tuple(g[i] for i in indexes)


def lstm(c_prev, x):
    """Long short-term memory cell (``F.lstm``).

    The input ``x`` holds the pre-activations of the four gates with Chainer's
    interleaved layout: viewed as ``(B, U, 4, ...)``, index 0..3 of axis 2 are
    ``a`` (cell input), ``i`` (input gate), ``f`` (forget gate) and ``o`` (output
    gate).  Then::

        c = tanh(a) * sigmoid(i) + sigmoid(f) * c_prev
        h = sigmoid(o) * tanh(c)

    ``c_prev`` may have more rows than ``x`` (sequences that ended earlier): the
    extra rows of ``c_prev`` are copied to ``c`` unchanged and ``h`` has ``B`` rows.

    Args:
        c_prev (Variable or array): ``(Bc, U, ...)`` previous cell state, float.
        x (Variable or array): ``(B, 4U, ...)`` gate pre-activations, ``B <= Bc``,
            same dtype.

    Returns:
        tuple: ``(c, h)``: the new cell state ``(Bc, U, ...)`` and the output
        ``(B, U, ...)``.

    >>> import numpy, kusari.functions as F
    >>> c_prev = numpy.zeros((1, 2), numpy.float32)
    >>> x = numpy.zeros((1, 8), numpy.float32)
    >>> c, h = F.lstm(c_prev, x)
    >>> c.shape, h.shape
    ((1, 2), (1, 2))
    >>> float(c.array[0, 0]), float(h.array[0, 0])
    (0.0, 0.0)
    """
    return LSTM().apply((c_prev, x))


class _LinearLSTM(FunctionNode):
    """One step of the ``L.LSTM`` link fused into a single node (private; CPU).

    Inputs ``(c_prev, x, Wu, bu)`` or ``(c_prev, x, Wu, bu, h, Wl)``; computes the gate
    pre-activations ``x Wu^T + bu (+ h Wl^T)`` (the same operations, in the same order,
    as the ``upward`` and ``lateral`` links and their sum) and the LSTM cell; outputs
    ``(c, h_new)``.  All rows of ``c_prev`` and ``h`` belong to ``x``'s batch.  The
    backward is exact and, through :meth:`backward`, differentiable again.
    """

    @property
    def label(self):
        return 'LinearLSTM'

    def forward(self, inputs):
        c_prev, x, Wu, bu = inputs[:4]
        gates = x @ Wu.T
        if not _add_bias(gates, bu):
            gates += bu
        if len(inputs) == 6:
            h, Wl = inputs[4:]
            gates += h @ Wl.T
        self.retain_inputs(tuple(range(len(inputs))))
        c_prev = numpy.ascontiguousarray(c_prev)
        B = x.shape[0]
        act = numpy.empty(gates.shape, gates.dtype)
        c_next = numpy.empty(c_prev.shape, gates.dtype)
        co = numpy.empty((B, c_prev.shape[1]), gates.dtype)
        h_new = numpy.empty((B, c_prev.shape[1]), gates.dtype)
        _k.forward_act(c_prev, gates, act, c_next, co, h_new)
        self._act = act
        self._co = co
        return c_next, h_new

    def backward_array(self, indexes, grad_outputs):
        gc, gh = grad_outputs
        inputs = self.inputs
        c_prev = numpy.ascontiguousarray(inputs[0].data)
        act = self._act
        gc_prev = numpy.empty_like(c_prev)
        gg = numpy.empty_like(act)
        has_gc = gc is not None
        has_gh = gh is not None
        _k.backward_act(c_prev, act, self._co,
                        numpy.ascontiguousarray(gc) if has_gc else c_prev, has_gc,
                        numpy.ascontiguousarray(gh) if has_gh else self._co, has_gh,
                        gc_prev, gg)
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(gc_prev)
            elif i == 1:
                ret.append(gg @ inputs[2].data)
            elif i == 2 or i == 5:
                # the weights: deferred when leaves, so that the engine sums all
                # steps in one GEMM
                op = inputs[1 if i == 2 else 4].data
                if gg.shape[0] <= DEFER_MAX_ROWS and _core.defers_grad(inputs[i]):
                    ret.append(_core.MatMulTGrad(gg, op, inputs[i].dtype))
                else:
                    ret.append(gg.T @ op)
            elif i == 3:
                gb = _sum_rows(gg)
                ret.append(gg.sum(axis=0) if gb is None else gb)
            else:
                ret.append(gg @ inputs[5].data)
        return tuple(ret)

    def backward(self, indexes, grad_outputs):
        from kusari.functions.connection.linear import linear
        ins = self.get_retained_inputs()
        c_prev, x, Wu, bu = ins[:4]
        gates = linear(x, Wu, bu)
        if len(ins) == 6:
            gates = gates + linear(ins[4], ins[5])
        gc, gh = grad_outputs
        gc_prev, gg = _lstm_grad_vars(c_prev, gates, gc, gh)
        ggt = _core.transpose(gg)
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(gc_prev)
            elif i == 1:
                ret.append(linear(gg, _core.transpose(Wu)))
            elif i == 2:
                ret.append(linear(ggt, _core.transpose(x)))
            elif i == 3:
                ret.append(_core.sum_to(gg, (gg.shape[1],)))
            elif i == 4:
                ret.append(linear(gg, _core.transpose(ins[5])))
            else:
                ret.append(linear(ggt, _core.transpose(ins[4])))
        return tuple(ret)


def _linear_lstm(c_prev, x, Wu, bu, h=None, Wl=None):
    """``(c, h_new)`` of one fused ``L.LSTM`` step (private; see :class:`_LinearLSTM`)."""
    args = (c_prev, x, Wu, bu) if h is None else (c_prev, x, Wu, bu, h, Wl)
    return _LinearLSTM().apply(args)
