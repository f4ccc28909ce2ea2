import numpy
import pytest

import kusari.functions as F
import kusari.links as L
from kusari import gradient_check


def _sig(x):
    return 1 / (1 + numpy.exp(-x))


def test_child_sum_tree_lstm():
    rng = numpy.random.RandomState(0)
    l = L.ChildSumTreeLSTM(3, 2)
    assert sorted(n for n, _ in l.namedparams()) == [
        '/W_h_aio/W', '/W_h_f/W', '/W_x/W', '/W_x/b']
    assert l.W_x.W.shape == (8, 3) and l.W_h_aio.W.shape == (6, 2)
    c1, c2, h1, h2 = (rng.uniform(-1, 1, (4, 2)).astype(numpy.float32) for _ in range(4))
    x = rng.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    c, h = l(c1, c2, h1, h2, x)
    # reference with the link's weights
    Wx, bx = l.W_x.W.array, l.W_x.b.array
    wx = x @ Wx.T + bx
    aio = (h1 + h2) @ l.W_h_aio.W.array.T + wx[:, :6]
    f1 = h1 @ l.W_h_f.W.array.T + wx[:, 6:]
    f2 = h2 @ l.W_h_f.W.array.T + wx[:, 6:]
    a, i, o = aio[:, :2], aio[:, 2:4], aio[:, 4:]
    rc = numpy.tanh(a) * _sig(i) + _sig(f1) * c1 + _sig(f2) * c2
    numpy.testing.assert_allclose(c.array, rc, atol=1e-5)
    numpy.testing.assert_allclose(h.array, _sig(o) * numpy.tanh(rc), atol=1e-5)
    # no children
    c0, h0 = l(x)
    a, i, o = wx[:, :2], wx[:, 2:4], wx[:, 4:6]
    numpy.testing.assert_allclose(c0.array, _sig(i) * numpy.tanh(a), atol=1e-5)
    # a missing child is a zero state
    cm, hm = l(c1, None, h1, None, x)
    cz, hz = l(c1, numpy.zeros_like(c1), h1, numpy.zeros_like(h1), x)
    numpy.testing.assert_allclose(hm.array, hz.array)
    with pytest.raises(ValueError, match='ChildSumTreeLSTM'):
        l(c1, h1)


def test_nary_tree_lstm():
    rng = numpy.random.RandomState(1)
    l = L.NaryTreeLSTM(3, 2, n_ary=2)
    assert sorted(n for n, _ in l.namedparams()) == ['/W_h1/W', '/W_h2/W', '/W_x/W', '/W_x/b']
    c1, c2, h1, h2 = (rng.uniform(-1, 1, (4, 2)).astype(numpy.float32) for _ in range(4))
    x = rng.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    c, h = l(c1, c2, h1, h2, x)
    z = (x @ l.W_x.W.array.T + l.W_x.b.array + h1 @ l.W_h1.W.array.T
         + h2 @ l.W_h2.W.array.T)
    rc, rh = F.tree_lstm(c1, c2, z)
    numpy.testing.assert_allclose(c.array, rc.array, atol=1e-5)
    numpy.testing.assert_allclose(h.array, rh.array, atol=1e-5)
    cn, hn = l(None, c2, None, h2, x)
    assert cn.shape == (4, 2)
    with pytest.raises(ValueError, match='NaryTreeLSTM'):
        l(c1, h1, x)
    # gradients of the parameters
    for p in l.params():
        p.array = p.array.astype(numpy.float64)
    args = tuple(a.astype(numpy.float64) for a in (c1, c2, h1, h2, x))
    gys = (rng.uniform(-1, 1, (4, 2)), rng.uniform(-1, 1, (4, 2)))
    gradient_check.check_backward(l, args, gys, params=tuple(l.params()))
