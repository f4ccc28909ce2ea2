"""Chainer v7 semantics of the graph core that Chainer's own suite checks.

backward_accumulate, constant-array operands, ``//``, ``mean``, iteration,
consumed output gradients, deprecations, type-check tuples, double-backward checks
with missing output gradients.
"""
import warnings

import numpy
import pytest

import kusari
from kusari import gradient_check
from kusari.utils import type_check


class _MulAdd(kusari.FunctionNode):
    """a * b + c whose gradients are fused with the ones accumulated so far."""

    calls = 0

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        a, b, c = inputs
        return a * b + c,

    def backward_accumulate(self, target_input_indexes, grad_outputs, grad_inputs):
        type(self).calls += 1
        a, b = self.get_retained_inputs()
        g, = grad_outputs
        ret = []
        for i, g_in in zip(target_input_indexes, grad_inputs):
            gx = (g * b, a * g, g)[i]
            ret.append(gx if g_in is None else gx + g_in)
        return tuple(ret)


@pytest.mark.parametrize('mapping', [(0, 1, 2), (0, 0, 1), (0, 1, 0), (0, 0, 0)])
def test_backward_accumulate_is_called_and_correct(mapping):
    rng = numpy.random.RandomState(0)
    data = [rng.randn(3).astype(numpy.float32) for _ in range(3)]
    gy = rng.randn(3).astype(numpy.float32)
    xs = [kusari.Variable(d.copy()) for d in data]
    a, b, c = [xs[i] for i in mapping]
    _MulAdd.calls = 0
    y = _MulAdd().apply((a, b, c))[0] * 2.0   # a path before it, too
    y.grad = gy
    y.backward()
    assert _MulAdd.calls == 1
    # reference: the same expression with the built-in operators
    xs2 = [kusari.Variable(d.copy()) for d in data]
    a2, b2, c2 = [xs2[i] for i in mapping]
    y2 = (a2 * b2 + c2) * 2.0
    y2.grad = gy
    y2.backward()
    for i in set(mapping):
        numpy.testing.assert_allclose(xs[i].grad, xs2[i].grad, rtol=1e-6)


def test_backward_accumulate_receives_other_paths_gradient():
    seen = []

    class Double(kusari.FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 2,

        def backward_accumulate(self, indexes, gys, g_ins):
            seen.append(g_ins[0] if g_ins[0] is None else g_ins[0].array.copy())
            g = gys[0] * 2.0
            return (g if g_ins[0] is None else g + g_ins[0]),

    x = kusari.Variable(numpy.array([1.0, 2.0], numpy.float32))
    h = x * 1.0
    # the other path is pushed first at the same rank, so it reaches h first
    y = h * 3.0 + Double().apply((h,))[0]
    y.grad = numpy.ones(2, numpy.float32)
    y.backward()
    assert len(seen) == 1 and numpy.array_equal(seen[0], [3.0, 3.0])
    numpy.testing.assert_array_equal(x.grad, [5.0, 5.0])


def test_backward_accumulate_wrong_count_is_an_error():
    class Bad(kusari.FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 1,

        def backward_accumulate(self, indexes, gys, g_ins):
            return gys[0], gys[0]

    x = kusari.Variable(numpy.ones(2, numpy.float32))
    y = Bad().apply((x,))[0]
    y.grad = numpy.ones(2, numpy.float32)
    with pytest.raises(ValueError, match='number of gradients'):
        y.backward()


def test_constant_array_operand_is_cast_and_broadcast():
    x = kusari.Variable(numpy.array([[1.0, 2.0]], numpy.float32))
    y = x + numpy.array([3.0, 4.0], numpy.float64)
    assert y.dtype == numpy.float32
    numpy.testing.assert_array_equal(y.array, [[4.0, 6.0]])
    with pytest.raises(type_check.InvalidType):
        x + numpy.array([1.0, 2.0, 3.0], numpy.float32)
    with pytest.raises(type_check.InvalidType):
        x / numpy.array([1.0, 2.0, 3.0], numpy.float32)
    with pytest.raises(TypeError):
        x + [1.0, 2.0]
    m = kusari.Variable(numpy.ones((3, 2), numpy.float64))
    z = m @ numpy.ones((2,), numpy.float32)
    assert z.dtype == numpy.float64 and z.shape == (3,)


def test_floordiv_is_floor_of_division():
    pytest.importorskip('kusari.functions')
    a = numpy.array([7.0, -7.0, 5.5], numpy.float32)
    b = numpy.array([2.0, 2.0, -2.0], numpy.float32)
    x, y = kusari.Variable(a), kusari.Variable(b)
    numpy.testing.assert_array_equal((x // y).array, numpy.floor(a / b))
    numpy.testing.assert_array_equal((x // 2.0).array, numpy.floor(a / 2.0))
    numpy.testing.assert_array_equal(y.__rfloordiv__(a).array, numpy.floor(a / b))


def test_mean_matches_numpy():
    pytest.importorskip('kusari.functions')
    a = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    w = numpy.array([1.0, 2.0, 3.0], numpy.float32)
    x = kusari.Variable(a)
    numpy.testing.assert_allclose(x.mean().array, a.mean())
    numpy.testing.assert_allclose(x.mean(axis=1, keepdims=True).array,
                                  a.mean(axis=1, keepdims=True))
    numpy.testing.assert_allclose(x.mean(axis=1, weights=w).array,
                                  numpy.average(a, axis=1, weights=w), rtol=1e-6)


def test_iteration_stops_at_the_end():
    a = numpy.arange(6, dtype=numpy.float32).reshape(3, 2)
    rows = list(kusari.Variable(a))
    assert len(rows) == 3
    numpy.testing.assert_array_equal(rows[2].array, a[2])
    with pytest.raises(IndexError):
        kusari.Variable(a)[3]
    numpy.testing.assert_array_equal(kusari.Variable(a)[-3].array, a[0])


def test_backward_consumes_the_output_gradient():
    x = kusari.Variable(numpy.array([1.0, 2.0], numpy.float32))
    y = x * 3.0
    y.grad = numpy.ones(2, numpy.float32)
    y.backward()
    assert y.grad is None
    numpy.testing.assert_array_equal(x.grad, [3.0, 3.0])
    x.cleargrad()
    y = x * 3.0
    gy = kusari.Variable(numpy.ones(2, numpy.float32))
    y.grad_var = gy
    y.backward(retain_grad=True)
    assert y.grad_var is gy


def test_zerograd_and_link_transfers_are_deprecated():
    v = kusari.Variable(numpy.ones(2, numpy.float32))
    with pytest.warns(DeprecationWarning, match='zerograd'):
        v.zerograd()
    numpy.testing.assert_array_equal(v.grad, [0.0, 0.0])
    p = kusari.Parameter()
    with pytest.warns(DeprecationWarning):
        p.zerograd()     # uninitialized: no error
    link = kusari.Link()
    with pytest.warns(DeprecationWarning, match='to_cpu'):
        assert link.to_cpu() is link
    with pytest.warns(DeprecationWarning, match='to_cpu'):
        class Legacy(kusari.Link):
            def to_cpu(self):
                return super().to_cpu()
    with pytest.raises(TypeError, match='to_device'):
        class Final(kusari.Link):
            def to_device(self, device):
                return self
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        link.to_device('@numpy')


def test_type_check_tuple_is_a_light_type_info_tuple():
    got = []

    class F(kusari.FunctionNode):
        def forward(self, inputs):
            return inputs[0] + 0,

    f = F()
    f.check_type_forward = lambda in_types: got.append(in_types)  # on the instance
    f.apply((numpy.zeros((2, 3), numpy.float32),))
    assert len(got) == 1
    assert isinstance(got[0], type_check.LightTypeInfoTuple)
    assert got[0][0].shape == (2, 3) and got[0][0].dtype == numpy.float32


def test_check_double_backward_with_a_missing_output_gradient():
    x = numpy.array([0.5, -1.0, 2.0])

    def f(x):
        return x * x * x, x * 2.0

    gy = numpy.array([1.0, 0.5, -1.0])
    ggx = numpy.array([0.3, -0.2, 1.0])
    gradient_check.check_double_backward(f, x, (gy, None), ggx)

    def wrong(x):
        return kusari.Variable(x.array ** 2) * x, x * 2.0   # first grad lacks a term

    with pytest.raises(AssertionError):
        gradient_check.check_double_backward(wrong, x, (gy, None), ggx)


def test_grad_fills_missing_output_gradients_with_ones():
    x = kusari.Variable(numpy.array([1.0, 2.0, 3.0], numpy.float32))
    y = x * x
    gx, = kusari.grad([y], [x])               # shape (3,): ones, as Chainer
    numpy.testing.assert_array_equal(gx.array, [2.0, 4.0, 6.0])
    gx, = kusari.grad([x * x], [x], loss_scale=10.0)
    numpy.testing.assert_array_equal(gx.array, [20.0, 40.0, 60.0])
    gy = kusari.Variable(numpy.full(3, 2.0, numpy.float32))
    gx, = kusari.grad([x * x], [x], [gy], loss_scale=10.0)   # given: not scaled
    numpy.testing.assert_array_equal(gx.array, [4.0, 8.0, 12.0])


def test_sequential_insert_checks_the_index():
    seq = kusari.Sequential(lambda x: x)
    seq.insert(1, lambda x: x * 2)
    seq.insert(-2, lambda x: x + 1)
    assert len(seq) == 3
    with pytest.raises(IndexError):
        seq.insert(4, lambda x: x)
    with pytest.raises(IndexError):
        seq.insert(-4, lambda x: x)


def test_im2col_and_col2im_against_loops():
    from kusari.utils import conv
    rng = numpy.random.RandomState(1)
    img = rng.uniform(-1, 1, (2, 3, 7, 6)).astype(numpy.float32)
    kh, kw, sy, sx, ph, pw, dy, dx = 3, 2, 2, 1, 1, 2, 2, 1
    col = conv.im2col(img, kh, kw, sy, sx, ph, pw, dy=dy, dx=dx)
    oh = conv.get_conv_outsize(7, kh, sy, ph, d=dy)
    ow = conv.get_conv_outsize(6, kw, sx, pw, d=dx)
    assert col.shape == (2, 3, kh, kw, oh, ow)
    back = numpy.zeros_like(img)
    for y in range(oh):
        for x in range(ow):
            for ky in range(kh):
                for kx in range(kw):
                    iy, ix = y * sy - ph + ky * dy, x * sx - pw + kx * dx
                    inside = 0 <= iy < 7 and 0 <= ix < 6
                    want = img[:, :, iy, ix] if inside else 0.0
                    numpy.testing.assert_array_equal(col[:, :, ky, kx, y, x], want)
                    if inside:
                        back[:, :, iy, ix] += col[:, :, ky, kx, y, x]
    numpy.testing.assert_allclose(
        conv.col2im(col, sy, sx, ph, pw, 7, 6, dy=dy, dx=dx), back, rtol=1e-6)


def test_utils_array_helpers():
    from kusari.utils import array
    x = numpy.arange(1, 25, dtype=numpy.float32).reshape(2, 3, 4)
    numpy.testing.assert_array_equal(array.sum_to(x, (3, 1)),
                                     x.sum(axis=(0, 2)).reshape(3, 1))
    assert array.size_of_shape((2, 0, 3)) == 0 and array.size_of_shape(()) == 1
    assert array.as_mat(x).shape == (2, 12) and array.as_vec(x).shape == (24,)
    assert array.empty_like(x).shape == x.shape


def test_cached_property_per_backprop_mode():
    from kusari.utils import cache

    class Holder:
        calls = 0

        def __init__(self, x):
            self.x = x

        @cache.cached_property
        def double(self):
            Holder.calls += 1
            return self.x * 2.0

    assert Holder.double.__name__ == 'double'
    h = Holder(kusari.Variable(numpy.array([1.0])))
    a, b = h.double, h.double
    assert a is b and Holder.calls == 1 and a.creator is not None
    with kusari.no_backprop_mode():
        c = h.double
    assert c is not a and c.creator is None and Holder.calls == 2
    assert h.double is a


def test_conv_nd_matches_2d_im2col():
    from kusari.utils import conv, conv_nd
    rng = numpy.random.RandomState(2)
    img = rng.uniform(-1, 1, (2, 3, 7, 6)).astype(numpy.float32)
    col = conv_nd.im2col_nd(img, (3, 2), (2, 1), (1, 2))
    numpy.testing.assert_array_equal(col, conv.im2col(img, 3, 2, 2, 1, 1, 2))
    numpy.testing.assert_allclose(conv_nd.col2im_nd(col, (2, 1), (1, 2), (7, 6)),
                                  conv.col2im(col, 2, 1, 1, 2, 7, 6), rtol=1e-6)
    assert conv_nd.as_tuple(2, 3) == (2, 2, 2)
    with pytest.raises(AssertionError):
        conv_nd.im2col_nd(img, (3,), (2, 1), (1, 2))


def test_comparisons_and_truth_raise_type_error():
    a = kusari.Variable(numpy.ones(2))
    for op in (lambda: a == a, lambda: a != a, lambda: a < a, lambda: a >= a,
               lambda: bool(a)):
        with pytest.raises(TypeError):
            op()
        with pytest.raises(NotImplementedError):   # kusari's earlier type, too
            op()


def test_copydata_and_addgrad_initialize_parameters():
    from kusari import initializers
    dst = kusari.Parameter(numpy.full((2, 3), 5.0, numpy.float32))
    src = kusari.Parameter(initializers.Zero())
    kept = dst.array
    dst.copydata(src)                 # src is initialized to dst's shape first
    assert src.shape == (2, 3) and dst.array is kept
    numpy.testing.assert_array_equal(dst.array, numpy.zeros((2, 3)))
    empty = kusari.Parameter()
    empty.copydata(kusari.Parameter())    # both uninitialized: nothing happens
    assert empty.array is None
    x = kusari.Parameter()
    y = kusari.Parameter(numpy.ones((3,), numpy.float32))
    y.grad = numpy.full(3, 2.0, numpy.float32)
    x.cleargrad()
    x.addgrad(y)
    assert x.shape == (3,)
    numpy.testing.assert_array_equal(x.grad, y.grad)


def test_grad_var_made_from_an_array_requires_grad():
    v = kusari.Variable(numpy.ones(2, numpy.float32))
    v.grad = numpy.ones(2, numpy.float32)
    assert v.grad_var.requires_grad is True


def test_config_keeps_mixed16():
    from kusari import configuration
    with kusari.using_config('dtype', configuration.mixed16):
        assert kusari.config.dtype is configuration.mixed16
        assert configuration.get_dtype() == numpy.float16
        assert configuration.get_dtype(map_mixed16=numpy.float32) == numpy.float32
    with kusari.using_config('dtype', 'float64'):
        assert kusari.config.dtype == numpy.dtype(numpy.float64)


def test_walker_alias_device():
    from kusari import backend
    from kusari.utils import WalkerAlias
    w = WalkerAlias([0.25, 0.75])
    assert isinstance(w.device, backend.CpuDevice)
    assert w.to_device('@numpy') is w and isinstance(w.values, numpy.ndarray)


def test_debug_mode_detects_nan():
    x = kusari.Variable(numpy.array([-1.0, 4.0], numpy.float32))
    nan = kusari.Variable(numpy.array([numpy.nan, 1.0], numpy.float32))
    with kusari.using_config('debug', True):
        with pytest.raises(RuntimeError, match='NaN is detected on forward'):
            x * nan
        y = (x * numpy.float32(0.0)) ** 0.5     # forward fine; backward 0 * inf
        y.grad = numpy.ones(2, numpy.float32)
        with pytest.raises(RuntimeError, match='NaN is detected on backward'):
            y.backward()
    assert numpy.isnan((x * nan).array)[0]      # not checked outside debug mode


def test_wrong_gradient_dtype_is_type_and_value_error():
    class F(kusari.FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 1,

        def backward(self, indexes, gys):
            return kusari.Variable(numpy.ones(1, numpy.int64)),

    x = kusari.Variable(numpy.ones(1, numpy.float32))
    y = F().apply((x,))[0]
    y.grad = numpy.ones(1, numpy.float32)
    with pytest.raises(ValueError, match='dtype of gradients returned from backward'):
        y.backward()
    y.grad = numpy.ones(1, numpy.float32)
    with pytest.raises(TypeError):
        y.backward()


def test_backends_cpu_module_and_dummy_device():
    from kusari import backend
    from kusari.backends import _cpu, cuda
    assert _cpu.CpuDevice is backend.CpuDevice
    assert _cpu._to_cpu(None) is None
    a = numpy.arange(3)
    assert _cpu._to_cpu(a) is a
    assert isinstance(backend.get_device(cuda.DummyDevice), backend.CpuDevice)


def test_backward_function_uses_and_consumes_output_grads():
    x = kusari.Variable(numpy.array([1.0, 2.0], numpy.float32))
    h = x * 2.0
    y0, y1 = h * 3.0, h * 4.0
    y0.grad = numpy.array([1.0, 10.0], numpy.float32)
    y1.grad = numpy.array([100.0, 1000.0], numpy.float32)
    kusari.backward([y0, y1])
    numpy.testing.assert_allclose(x.grad, [806.0, 8060.0])
    assert y0.grad is None and y1.grad is None
    x.cleargrad()
    z = x * 2.0
    with pytest.warns(RuntimeWarning, match='without grad'):
        kusari.backward([z])          # no default gradient of 1, as in Chainer
    assert x.grad is None
    with pytest.raises(TypeError):
        kusari.backward(z)


def test_type_check_message_shows_numpy_types_as_chainer_does():
    class F(kusari.FunctionNode):
        def check_type_forward(self, in_types):
            type_check.expect(in_types[0].dtype == numpy.float32)

        def forward(self, inputs):
            return inputs

    with pytest.raises(type_check.InvalidType) as e:
        F().apply((numpy.zeros(2),))
    assert "Expect: in_types[0].dtype == <class 'numpy.float32'>" in str(e.value)
    assert "Actual: float64 != <class 'numpy.float32'>" in str(e.value)
