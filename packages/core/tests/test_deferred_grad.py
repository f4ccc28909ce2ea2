"""Deferred leaf gradients: a node's backward_array may return a DeferredGrad for a
leaf input; the engine sums the terms of each leaf at the end of backward."""
import numpy
import pytest

import kusari
from kusari import function_node
from kusari.function_node import DeferredGrad, MatMulTGrad, defers_grad


class Affine(kusari.FunctionNode):
    """y = x W^T, whose weight gradient is deferred when the engine allows it."""

    seen = []

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, W = inputs
        return x @ W.T,

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        x, W = self.inputs[0].data, self.inputs[1].data
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(gy @ W)
            else:
                d = defers_grad(self.inputs[1])
                Affine.seen.append(d)
                ret.append(MatMulTGrad(gy, x, W.dtype) if d else gy.T @ x)
        return tuple(ret)


def _affine(x, W):
    return Affine().apply((x, W))[0]


def _rnn(W, xs, h0):
    h = h0
    for x in xs:
        h = _affine(x + h, W)
    return h


def _reference_grad(W, xs, h0):
    # forward: h_{t+1} = (x_t + h_t) W^T ; loss = sum(h_T); backprop by hand
    hs = [h0]
    for x in xs:
        hs.append((x + hs[-1]) @ W.T)
    gW = numpy.zeros_like(W, dtype=numpy.float64)
    gh = numpy.ones_like(hs[-1], dtype=numpy.float64)
    for t in reversed(range(len(xs))):
        inp = (xs[t] + hs[t]).astype(numpy.float64)
        gW += gh.T @ inp
        gh = gh @ W
    return gW


@pytest.mark.parametrize('steps', [1, 2, 7])
def test_shared_weight_gradient_is_the_sum(steps):
    rng = numpy.random.default_rng(0)
    W = kusari.Parameter(rng.standard_normal((4, 4)).astype(numpy.float32) * 0.3)
    xs = [rng.standard_normal((3, 4)).astype(numpy.float32) for _ in range(steps)]
    h0 = numpy.zeros((3, 4), numpy.float32)
    Affine.seen = []
    y = _rnn(W, xs, h0)
    W.cleargrad()
    loss = y  # backward from a non-scalar with ones as the initial gradient
    loss.grad = numpy.ones(loss.shape, numpy.float32)
    loss.backward()
    assert Affine.seen == [True] * steps
    numpy.testing.assert_allclose(W.grad, _reference_grad(W.array, xs, h0), rtol=1e-5,
                                  atol=1e-5)
    assert W.grad.dtype == numpy.float32 and W.grad.flags.writeable


def test_existing_grad_is_accumulated_and_mixed_terms_add_up():
    rng = numpy.random.default_rng(1)
    W = kusari.Parameter(rng.standard_normal((4, 4)).astype(numpy.float32))
    x = rng.standard_normal((2, 4)).astype(numpy.float32)
    old = rng.standard_normal((4, 4)).astype(numpy.float32)
    W.grad = old.copy()
    # W reaches the loss through the deferring node and through a plain product
    y = _affine(x, W) + (W * 2.0)[:2]
    y.grad = numpy.ones(y.shape, numpy.float32)
    y.backward()
    want = old + numpy.ones((2, 4), numpy.float32).T @ x
    want[:2] += 2.0
    numpy.testing.assert_allclose(W.grad, want, rtol=1e-6)


def test_grad_and_double_backprop_materialize():
    rng = numpy.random.default_rng(2)
    W = kusari.Parameter(rng.standard_normal((3, 3)).astype(numpy.float32))
    x = rng.standard_normal((2, 3)).astype(numpy.float32)
    Affine.seen = []
    y = _affine(x, W)
    g, = kusari.grad([y], [W], grad_outputs=[numpy.ones((2, 3), numpy.float32)])
    assert Affine.seen == [False]       # grad() does not accept deferred terms
    numpy.testing.assert_allclose(g.array, numpy.ones((2, 3)).T @ x, rtol=1e-6)


def test_non_leaf_gets_materialized():
    # a node that always defers (ignoring defers_grad) still works on a non-leaf
    class AlwaysDefer(Affine):
        def backward_array(self, indexes, grad_outputs):
            gy, = grad_outputs
            x, W = self.inputs[0].data, self.inputs[1].data
            return tuple(gy @ W if i == 0 else MatMulTGrad(gy, x, W.dtype)
                         for i in indexes)
    rng = numpy.random.default_rng(3)
    V = kusari.Parameter(rng.standard_normal((3, 3)).astype(numpy.float32))
    x = rng.standard_normal((2, 3)).astype(numpy.float32)
    W = V * 1.0                         # not a leaf
    y = AlwaysDefer().apply((x, W))[0]
    y.grad = numpy.ones(y.shape, numpy.float32)
    y.backward()
    numpy.testing.assert_allclose(V.grad, numpy.ones((2, 3)).T @ x, rtol=1e-6)


def test_wrong_shape_is_reported():
    class Bad(Affine):
        def backward_array(self, indexes, grad_outputs):
            gy, = grad_outputs
            return tuple(None if i == 0 else MatMulTGrad(gy[:, :2], self.inputs[0].data,
                                                          numpy.float32)
                         for i in indexes)
    W = kusari.Parameter(numpy.ones((3, 3), numpy.float32))
    y = Bad().apply((numpy.ones((2, 3), numpy.float32), W))[0]
    y.grad = numpy.ones(y.shape, numpy.float32)
    with pytest.raises(ValueError, match='shape of gradient and input mismatch'):
        y.backward()


@pytest.mark.parametrize('chunk_bytes', [1, 40000, 32 << 20])
def test_combine_stacks_terms_in_chunks(chunk_bytes):
    rng = numpy.random.default_rng(4)
    terms = [MatMulTGrad(rng.standard_normal((50, 30)), rng.standard_normal((50, 20)),
                         numpy.float32) for _ in range(9)]
    want = sum(t.a.T @ t.b for t in terms)
    old = kusari._core._set_combine_chunk_bytes(chunk_bytes)
    try:
        for _ in range(2):      # the second time reuses pooled buffers
            got = MatMulTGrad.combine(terms)
            assert got.dtype == numpy.float32 and got.shape == (30, 20)
            numpy.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    finally:
        kusari._core._set_combine_chunk_bytes(old)


def test_default_combine_sums_materialized_terms():
    class Const(DeferredGrad):
        def __init__(self, v):
            super().__init__(v.shape, v.dtype)
            self.v = v

        def materialize(self):
            return self.v

    vs = [numpy.full((2, 2), float(i), numpy.float32) for i in range(1, 4)]
    out = Const.combine([Const(v) for v in vs])
    numpy.testing.assert_array_equal(out, numpy.full((2, 2), 6.0, numpy.float32))
    numpy.testing.assert_array_equal(vs[0], numpy.full((2, 2), 1.0))   # not modified
    with pytest.raises(NotImplementedError):
        DeferredGrad((1,), numpy.float32).materialize()
    assert function_node.DeferredGrad is DeferredGrad
