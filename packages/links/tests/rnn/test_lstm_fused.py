"""L.LSTM's fused step (one node for upward + lateral + the cell) against the
unfused path (Linear links, an addition and F.lstm)."""
import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import function_hooks


def _run(fused, dtype=numpy.float32, batches=(2, 2, 2), dbl=False):
    rng = numpy.random.default_rng(0)
    link = L.LSTM(3, 4)
    for p in link.params():
        p.array = rng.uniform(-1, 1, p.shape).astype(dtype)
    if not fused:
        link._can_fuse = lambda x, b: False
    xs = [kusari.Variable(rng.uniform(-1, 1, (b, 3)).astype(dtype)) for b in batches]
    ys = [link(x) for x in xs]
    loss = sum(F.sum(y * y) for y in ys) + F.sum(link.c * link.c)
    link.cleargrads()
    loss.backward(enable_double_backprop=dbl)
    out = [y.array for y in ys] + [link.c.array]
    out += [p.grad for p in (link.upward.W, link.upward.b, link.lateral.W)]
    out += [x.grad for x in xs]
    return out


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('dbl', [False, True])
def test_fused_equals_unfused(dtype, dbl):
    a = _run(True, dtype, dbl=dbl)
    b = _run(False, dtype, dbl=dbl)
    n_fwd = 4
    for u, v in zip(a[:n_fwd], b[:n_fwd]):
        numpy.testing.assert_array_equal(u, v)       # same operations, same order
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == numpy.float32 else dict(rtol=1e-12)
    for u, v in zip(a[n_fwd:], b[n_fwd:]):
        numpy.testing.assert_allclose(u, v, **tol)


def test_shrinking_batch_falls_back():
    a = _run(True, batches=(3, 2, 1))
    b = _run(False, batches=(3, 2, 1))
    for u, v in zip(a, b):
        numpy.testing.assert_allclose(u, v, rtol=1e-5, atol=1e-6)


def test_function_hooks_see_the_unfused_nodes():
    link = L.LSTM(3, 2)
    x = numpy.ones((1, 3), numpy.float32)
    hook = function_hooks.TimerHook()
    with hook:
        link(x)
        link(x)
    names = {name for name, _ in hook.call_history}
    assert 'LinearLSTM' not in names and 'LSTM' in names
    link.reset_state()
    assert link._can_fuse(x, 1)


def test_fused_path_is_taken():
    link = L.LSTM(3, 2)
    x = numpy.ones((2, 3), numpy.float32)
    link(x)
    y = link(x)
    assert y.creator.label == 'LinearLSTM'
    with pytest.raises(TypeError, match='LSTM'):
        link(numpy.ones((3, 3), numpy.float32))     # larger than the state
