"""The backward engine: order, accumulation, retention, memory, errors, scale."""
import gc
import sys
import time
import weakref

import numpy
import pytest

import kusari
from kusari import FunctionNode, Variable


def f32(*a):
    return numpy.array(a, numpy.float32)


class Square(FunctionNode):
    """x ** 2 written as a user FunctionNode (Variables in backward)."""

    def forward(self, inputs):
        x, = inputs
        self.retain_inputs((0,))
        return x * x,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        return 2.0 * x * gy,


class Exp(FunctionNode):
    def forward(self, inputs):
        self.retain_outputs((0,))
        return numpy.exp(inputs[0]),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * y,


def test_scalar_loss_starts_from_one_and_consumes_it():
    x = Variable(f32(1, 2, 3))
    y = Square().apply((x,))[0]
    loss = y[0] + y[1] + y[2]
    loss.backward()
    numpy.testing.assert_allclose(x.grad, [2, 4, 6])
    assert loss.grad is None    # Chainer >= 6: the output's gradient is used up
    x.cleargrad()
    loss.backward(retain_grad=True)
    assert loss.grad == 1


def test_nonscalar_without_grad_is_a_clear_error():
    x = Variable(f32(1, 2))
    y = x * 2.0
    with pytest.raises(RuntimeError, match='initial gradient'):
        y.backward()


def test_leaf_backward_is_noop():
    x = Variable(f32(1, 2))
    x.backward()
    assert x.grad is None


def test_gradients_accumulate_across_backward_calls():
    x = Variable(f32(1, 2))
    for _ in range(2):
        y = x * x
        y.grad = numpy.ones(2, numpy.float32)
        y.backward()
    numpy.testing.assert_allclose(x.grad, [4, 8])


def test_shared_variable_and_diamond():
    # y = (x*2) * (x+1): both branches reach x, and the rank order makes each node
    # run once with its full gradient.
    x = Variable(numpy.array(3.0))
    a = x * 2.0
    b = x + 1.0
    y = a * b
    y.backward()
    numpy.testing.assert_allclose(x.grad, 2 * (3 + 1) + 2 * 3)


def test_same_input_twice():
    x = Variable(numpy.array(3.0))
    y = x * x
    y.backward()
    numpy.testing.assert_allclose(x.grad, 6.0)


def test_leaves_do_not_share_gradient_arrays():
    a = Variable(f32(1, 2))
    b = Variable(f32(3, 4))
    y = a + b
    y.grad = numpy.ones(2, numpy.float32)
    y.backward()
    assert a.grad is not b.grad
    a.grad *= 10
    numpy.testing.assert_array_equal(b.grad, [1, 1])


def test_retain_grad():
    x = Variable(f32(1, 2))
    h = x * 3.0
    y = h * h
    y.grad = numpy.ones(2, numpy.float32)
    y.backward()
    assert h.grad is None
    x.cleargrad()
    y.grad = numpy.ones(2, numpy.float32)
    y.backward(retain_grad=True)
    numpy.testing.assert_allclose(h.grad, 2 * h.array)


def test_broadcasting_arithmetic_gradients_sum_back():
    x = Variable(numpy.ones((2, 3)))
    b = Variable(numpy.array([1.0, 2.0, 3.0]))
    y = x * b + b
    y.grad = numpy.ones((2, 3))
    y.backward()
    numpy.testing.assert_allclose(b.grad, [4, 4, 4])  # x.sum(0) + 2
    numpy.testing.assert_allclose(x.grad, numpy.tile([1, 2, 3], (2, 1)))


def test_double_backprop_through_backward():
    x = Variable(numpy.array([0.5, 2.0]))
    y = Exp().apply((Square().apply((x,))[0],))[0]   # exp(x^2)
    gx, = kusari.grad([y], [x], grad_outputs=[numpy.ones(2)],
                      enable_double_backprop=True)
    numpy.testing.assert_allclose(gx.array, 2 * x.array * numpy.exp(x.array ** 2))
    gx.grad = numpy.ones(2)
    gx.backward()
    xa = x.array
    numpy.testing.assert_allclose(x.grad, (2 + 4 * xa ** 2) * numpy.exp(xa ** 2))


def test_backward_with_enable_double_backprop_keeps_grad_graph():
    x = Variable(numpy.array(2.0))
    y = x * x * x
    y.backward(enable_double_backprop=True)
    gx = x.grad_var
    assert gx.creator is not None
    x.cleargrad()
    gx.backward()
    numpy.testing.assert_allclose(x.grad, 12.0)


def test_grad_does_not_touch_other_grads_and_stops_at_inputs():
    x = Variable(numpy.array([2.0]))
    w = Variable(numpy.array([3.0]))
    h = x * w
    y = h * h
    gh, = kusari.grad([y], [h])
    numpy.testing.assert_allclose(gh.array, 2 * h.array)
    assert x.grad is None and w.grad is None and h.grad is None
    gx, gw = kusari.grad([y], [x, w], set_grad=True)
    numpy.testing.assert_allclose(gx.array, [2 * 36.0 / 2])
    assert x.grad is not None


def test_grad_with_grad_inputs_and_errors():
    x = Variable(numpy.array([2.0]))
    y = x * 3.0
    gx, = kusari.grad([y], [x], grad_inputs=[numpy.array([1.0])])
    numpy.testing.assert_allclose(gx.array, [4.0])
    with pytest.raises(TypeError):
        kusari.grad(y, [x])
    with pytest.raises(ValueError):
        kusari.grad([y], [x], grad_outputs=[None, None])


def test_loss_scale_scales_grads_and_marks_leaves():
    x = Variable(f32(1, 2))
    y = x * x
    loss = y[0] + y[1]
    loss.backward(loss_scale=8.0)
    numpy.testing.assert_allclose(x.grad, [16, 32])
    assert x._loss_scale == 8.0


def test_unretained_input_is_a_clear_error():
    class Bad(FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 2,

        def backward(self, indexes, gys):
            x, = self.get_retained_inputs()
            return gys[0] * 2,

    x = Variable(numpy.array(1.0, numpy.float32))
    y = Bad().apply((x,))[0]
    with pytest.raises(RuntimeError, match='retained no input'):
        y.backward()


def test_wrong_gradient_shape_is_reported():
    class WrongShape(FunctionNode):
        def forward(self, inputs):
            return inputs[0].sum(keepdims=True).reshape(()),

        def backward(self, indexes, gys):
            return gys[0],   # should be broadcast to the input's shape

    x = Variable(f32(1, 2, 3))
    y = WrongShape().apply((x,))[0]
    with pytest.raises(ValueError, match='WrongShape'):
        y.backward()


def test_intermediate_arrays_are_freed_unless_retained():
    class NoRetain(FunctionNode):
        def forward(self, inputs):
            return inputs[0] + 1,

        def backward(self, indexes, gys):
            return gys[0],

    x = Variable(numpy.ones(4))
    h = NoRetain().apply((x,))[0]
    ref = weakref.ref(h.array)
    y = NoRetain().apply((h,))[0]
    del h
    gc.collect()
    assert ref() is None          # nobody retained h's array
    assert y.creator.inputs[0].data is None

    h2 = Square().apply((x,))[0]
    ref2 = weakref.ref(h2.array)
    y2 = Square().apply((h2,))[0]
    del h2
    gc.collect()
    assert ref2() is not None     # Square retains its input
    assert y2.creator.inputs[0].data is not None


def test_dead_outputs_are_not_kept_alive():
    x = Variable(numpy.ones(4))
    y = x * 2.0
    node = y.creator_node
    ref = weakref.ref(y.node)
    del y
    gc.collect()
    assert ref() is None
    assert node.outputs[0]() is None


def test_no_backprop_mode_records_nothing():
    x = Variable(f32(1, 2))
    with kusari.no_backprop_mode():
        y = x * 2.0
        assert not kusari.config.enable_backprop
        with kusari.force_backprop_mode():
            z = x * 2.0
    assert kusari.config.enable_backprop
    assert y.creator is None and y.requires_grad
    assert z.creator is not None


def test_unchain_and_unchain_backward():
    x = Variable(f32(1, 2))
    h = x * 2.0
    y = h * 3.0
    y.unchain_backward()
    assert y.creator is None and h.creator is None
    h2 = x * 2.0
    y2 = h2 * 3.0
    h2.unchain()
    y2.grad = numpy.ones(2, numpy.float32)
    y2.backward()
    assert x.grad is None
    numpy.testing.assert_allclose(h2.grad, [3, 3])


def test_long_chain_backward_is_iterative_and_linear():
    def run(n):
        x = Variable(numpy.array(1.0))
        h = x
        for _ in range(n):
            h = h * 1.0
        t0 = time.perf_counter()
        h.backward()
        dt = time.perf_counter() - t0
        assert x.grad == 1.0
        del h
        return dt

    assert sys.getrecursionlimit() < 100000
    t_small = min(run(10000) for _ in range(2))
    t_big = run(100000)
    # linear, not quadratic: 10x the ops must cost far less than 100x the time
    assert t_big < 30 * t_small + 0.5


def test_backward_array_must_not_be_inherited_past_backward_override():
    calls = []

    class Base(FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 2,

        def backward(self, indexes, gys):
            return gys[0] * 2.0,

        def backward_array(self, indexes, gys):
            calls.append('base')
            return gys[0] * 2,

    class Child(Base):
        def backward(self, indexes, gys):
            calls.append('child')
            return gys[0] * 5.0,

    x = Variable(numpy.array(1.0))
    Child().apply((x,))[0].backward()
    assert calls == ['child']
    numpy.testing.assert_allclose(x.grad, 5.0)


def test_multiple_outputs_and_kusari_backward():
    class Split(FunctionNode):
        def forward(self, inputs):
            x, = inputs
            return x[:1].copy(), x[1:].copy()

        def backward(self, indexes, gys):
            g0, g1 = gys
            z0 = numpy.zeros(1) if g0 is None else g0.array
            z1 = numpy.zeros(2) if g1 is None else g1.array
            return Variable(numpy.concatenate([z0, z1])),

    x = Variable(numpy.array([1.0, 2.0, 3.0]))
    a, b = Split().apply((x,))
    kusari.backward([a * 3.0], [numpy.ones(1)])
    numpy.testing.assert_allclose(x.grad, [3, 0, 0])
    x.cleargrad()
    kusari.backward([a, b], [numpy.ones(1), numpy.full(2, 2.0)])
    numpy.testing.assert_allclose(x.grad, [1, 2, 2])


def test_leaf_gradient_from_a_broadcast_is_writeable():
    x = Variable(numpy.ones(3))
    y = kusari._core.sum_to(x, (1,))
    y.grad = numpy.ones(1)
    y.backward()
    assert x.grad.flags.writeable
    x.grad *= 2
    numpy.testing.assert_array_equal(x.grad, [2, 2, 2])


def test_function_node_copies_keep_attributes_not_graph():
    import copy
    import pickle
    x = Variable(numpy.array([1.0, 2.0]))
    f = Square()
    f.extra = numpy.arange(3)
    f.apply((x,))
    for g in (copy.copy(f), copy.deepcopy(f), pickle.loads(pickle.dumps(f))):
        assert type(g) is Square and g.inputs is None and g.outputs is None
        numpy.testing.assert_array_equal(g.extra, [0, 1, 2])
    assert copy.deepcopy(f).extra is not f.extra


def test_accumulated_gradients_are_not_shared_between_inputs():
    # h gets two gradients (summed into a new array); Add hands that same array to
    # both of its inputs, and a and b then receive more gradient separately: the
    # in-place accumulation of the engine must not let one leak into the other.
    a = Variable(numpy.array([1.0, 2.0]))
    b = Variable(numpy.array([3.0, 4.0]))
    s = a + b
    h = s * 1.0
    y = h * 2.0 + h * 3.0 + a * 10.0 + b * 100.0
    y.grad = numpy.ones(2)
    y.backward()
    numpy.testing.assert_allclose(a.grad, [15.0, 15.0])
    numpy.testing.assert_allclose(b.grad, [105.0, 105.0])


def test_many_consumers_accumulate_correctly():
    w = Variable(numpy.array([2.0]))
    total = w * 1.0
    for k in range(2, 40):
        total = total + w * float(k)
    total.grad = numpy.ones(1)
    total.backward()
    numpy.testing.assert_allclose(w.grad, [sum(range(1, 40))])
