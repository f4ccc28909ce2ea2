"""The S-LSTM cell of two children (``F.slstm``) and its gradient node."""
import numpy

from kusari import _core
from kusari import backend
from kusari._core import FunctionNode
from kusari.functions.util import _ops

_NAME = 'slstm'


def _gates(x):
    """The four gate pre-activations (a, i, f, o) of ``x`` (views)."""
    r = x.reshape((x.shape[0], x.shape[1] // 4, 4) + x.shape[2:])
    return [r[:, :, k] for k in range(4)]


def _gate_vars(x):
    r = _core.reshape(x, (x.shape[0], x.shape[1] // 4, 4) + x.shape[2:])
    return [_core.get_item(r, (slice(None), slice(None), k)) for k in range(4)]


def _sigmoid(xp, v):
    half = v.dtype.type(0.5)
    return xp.tanh(v * half) * half + half


def _work(a):
    # float16 is computed in float32 (one rounding per output, as the reference has)
    return a.astype(numpy.float32) if a.dtype == numpy.float16 else a


def _forward_arrays(c_prev1, c_prev2, x1, x2):
    xp = backend.get_array_module(x1)
    c1, c2 = _work(c_prev1), _work(c_prev2)
    a1, i1, f1, o1 = _gates(_work(x1))
    a2, i2, f2, o2 = _gates(_work(x2))
    c = (xp.tanh(a1) * _sigmoid(xp, i1) + xp.tanh(a2) * _sigmoid(xp, i2)
         + _sigmoid(xp, f1) * c1 + _sigmoid(xp, f2) * c2)
    h = _sigmoid(xp, o1 + o2) * xp.tanh(c)
    dtype = x1.dtype
    return c.astype(dtype, copy=False), h.astype(dtype, copy=False)


def _grad_arrays(c_prev1, c_prev2, x1, x2, c, gc, gh):
    xp = backend.get_array_module(x1)
    dtype = x1.dtype
    c1, c2, c = _work(c_prev1), _work(c_prev2), _work(c)
    a1, i1, f1, o1 = _gates(_work(x1))
    a2, i2, f2, o2 = _gates(_work(x2))
    ta1, ta2 = xp.tanh(a1), xp.tanh(a2)
    si1, si2 = _sigmoid(xp, i1), _sigmoid(xp, i2)
    sf1, sf2 = _sigmoid(xp, f1), _sigmoid(xp, f2)
    so = _sigmoid(xp, o1 + o2)
    tc = xp.tanh(c)
    gh = xp.zeros_like(c) if gh is None else _work(gh)
    gct = gh * so * (1 - tc * tc)
    if gc is not None:
        gct = gct + _work(gc)
    go = gh * tc * so * (1 - so)
    gx1 = xp.empty(x1.shape, c.dtype)
    gx2 = xp.empty(x2.shape, c.dtype)
    for gx, ta, si, sf, cp in ((gx1, ta1, si1, sf1, c1), (gx2, ta2, si2, sf2, c2)):
        ga, gi, gf, gog = _gates(gx)
        ga[...] = gct * si * (1 - ta * ta)
        gi[...] = gct * ta * si * (1 - si)
        gf[...] = gct * cp * sf * (1 - sf)
        gog[...] = go
    return tuple(g.astype(dtype, copy=False)
                 for g in (gct * sf1, gct * sf2, gx1, gx2))


def _grad_vars(c_prev1, c_prev2, x1, x2, c, gc, gh):
    """The gradients of the cell written with differentiable nodes (``c`` given)."""
    a1, i1, f1, o1 = _gate_vars(x1)
    a2, i2, f2, o2 = _gate_vars(x2)
    ta1, ta2 = _ops.tanh(a1), _ops.tanh(a2)
    si1, si2 = _ops.sigmoid(i1), _ops.sigmoid(i2)
    sf1, sf2 = _ops.sigmoid(f1), _ops.sigmoid(f2)
    so = _ops.sigmoid(o1 + o2)
    tc = _ops.tanh(c)
    gct = gh * so * (1 - tc * tc) + gc
    go = gh * tc * (so * (1 - so))
    gxs = []
    for ta, si, sf, cp in ((ta1, si1, sf1, c_prev1), (ta2, si2, sf2, c_prev2)):
        ga = gct * si * (1 - ta * ta)
        gi = gct * ta * (si * (1 - si))
        gf = gct * cp * (sf * (1 - sf))
        gxs.append(_core.reshape(_ops.stack([ga, gi, gf, go], axis=2), x1.shape))
    return gct * sf1, gct * sf2, gxs[0], gxs[1]


class SLSTM(FunctionNode):
    """The S-LSTM cell: inputs ``(c_prev1, c_prev2, x1, x2)``, outputs ``(c, h)``."""

    @property
    def label(self):
        return 'SLSTM'

    def forward(self, inputs):
        self.retain_inputs((0, 1, 2, 3))
        self.retain_outputs((0,))
        return _forward_arrays(*inputs)

    def backward(self, indexes, grad_outputs):
        c_prev1, c_prev2, x1, x2 = self.get_retained_inputs()
        c, = self.get_retained_outputs()
        gc, gh = grad_outputs
        xp = backend.get_array_module(c.array)
        # a missing output gradient is zero
        if gc is None:
            gc = _core.as_variable(xp.zeros(c.shape, c.dtype))
        if gh is None:
            gh = _core.as_variable(xp.zeros(c.shape, c.dtype))
        grads = SLSTMGrad().apply((c_prev1, c_prev2, x1, x2, c, gc, gh))
        return tuple(grads[i] for i in indexes)


class SLSTMGrad(FunctionNode):
    """The gradient of the S-LSTM cell as a node of its own (Chainer's ``SLSTMGrad``).

    Inputs ``(c_prev1, c_prev2, x1, x2, c, gc, gh)`` (``c``: the cell's new state;
    ``gc``, ``gh``: the gradients of its outputs); outputs ``(gc_prev1, gc_prev2,
    gx1, gx2)``.  Its own gradient treats ``c`` as an independent input.  Like
    Chainer's (an old-style ``Function`` there) it can be called:
    ``SLSTMGrad()(c_prev1, c_prev2, x1, x2, c, gc, gh)``.
    """

    @property
    def label(self):
        return 'SLSTMGrad'

    def __call__(self, *inputs):
        return self.apply(inputs)

    def forward(self, inputs):
        self.retain_inputs(tuple(range(7)))
        return _grad_arrays(*inputs)

    def backward(self, indexes, grad_outputs):
        g = _ops.vjp(_grad_vars, self.get_retained_inputs(), grad_outputs)
        return tuple(g[i] for i in indexes)


def slstm(c_prev1, c_prev2, x1, x2):
    """S-LSTM cell merging two child states (tree LSTM of Zhu et al., 2015).

    ``x1`` and ``x2`` hold the gate pre-activations of the two children in the
    layout of :func:`lstm` (``(B, 4U, ...)`` seen as ``(B, U, 4, ...)``: a, i, f, o).
    As in Chainer, each child has its own input gate::

        c = tanh(a1) * sigmoid(i1) + tanh(a2) * sigmoid(i2)
            + sigmoid(f1) * c_prev1 + sigmoid(f2) * c_prev2
        h = sigmoid(o1 + o2) * tanh(c)

    float16 inputs are computed in float32 and rounded once.

    Args:
        c_prev1 (Variable or array): ``(B, U, ...)`` cell state of child 1, float.
        c_prev2 (Variable or array): ``(B, U, ...)`` cell state of child 2.
        x1 (Variable or array): ``(B, 4U, ...)`` pre-activations from child 1.
        x2 (Variable or array): ``(B, 4U, ...)`` pre-activations from child 2.

    Returns:
        tuple: ``(c, h)``, each ``(B, U, ...)``.

    >>> import numpy, kusari.functions as F
    >>> c = numpy.ones((1, 1), numpy.float32)
    >>> x = numpy.zeros((1, 4), numpy.float32)
    >>> c, h = F.slstm(c, c, x, x)
    >>> float(c.array[0, 0])    # sigmoid(0) * 1 + sigmoid(0) * 1
    1.0
    """
    arrs = [_ops.array_of(v) for v in (c_prev1, c_prev2, x1, x2)]
    names = ('c_prev1', 'c_prev2', 'x1', 'x2')
    for n, a in zip(names, arrs):
        _ops.check_float(_NAME, n, a)
    _ops.check_same_dtype(_NAME, names, arrs)
    _ops.check_same_shape(_NAME, names[:2], arrs[:2])
    _ops.check_same_shape(_NAME, names[2:], arrs[2:])
    c1, x1a = arrs[0], arrs[2]
    if x1a.ndim < 2 or c1.ndim != x1a.ndim or x1a.shape[0] != c1.shape[0] or \
            x1a.shape[1] != 4 * c1.shape[1] or x1a.shape[2:] != c1.shape[2:]:
        raise _ops.invalid(_NAME, 'x1.shape == (c_prev1.shape[0], 4 * c_prev1.shape[1], '
                           '*c_prev1.shape[2:])',
                           'x1.shape = %s, c_prev1.shape = %s' % (x1a.shape, c1.shape))
    c, h = SLSTM().apply((c_prev1, c_prev2, x1, x2))
    return c, h
