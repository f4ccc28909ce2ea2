import numpy
import pytest

import kusari
from kusari import gradient_check
from kusari import testing


# ------------------------------------------------------------ in-test functions

class _Cube(kusari.FunctionNode):
    """y = x ** 3, with a configurable (possibly wrong) backward."""

    def __init__(self, mode='correct'):
        self.mode = mode

    def forward(self, inputs):
        x, = inputs
        self.retain_inputs((0,))
        return x * x * x,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        if self.mode == 'correct':
            return 3 * x * x * gy,
        if self.mode == 'wrong':
            return 2 * x * x * gy,
        if self.mode == 'detached':
            # right first order, but the graph does not depend on x
            return kusari.Variable(3 * x.array * x.array) * gy,
        raise ValueError(self.mode)


def cube(x, mode='correct'):
    return _Cube(mode).apply((x,))[0]


class _MulAdd(kusari.FunctionNode):
    """(a * b, a + b): two inputs, two outputs."""

    def forward(self, inputs):
        a, b = inputs
        self.retain_inputs((0, 1))
        return a * b, a + b

    def backward(self, indexes, grad_outputs):
        a, b = self.get_retained_inputs()
        g_mul, g_add = grad_outputs
        ga = gb = None
        parts_a, parts_b = [], []
        if g_mul is not None:
            parts_a.append(g_mul * b)
            parts_b.append(g_mul * a)
        if g_add is not None:
            parts_a.append(g_add)
            parts_b.append(g_add)
        for p in parts_a:
            ga = p if ga is None else ga + p
        for p in parts_b:
            gb = p if gb is None else gb + p
        return ga, gb


class _Take(kusari.FunctionNode):
    """y = x[idx] with an integer index input (not differentiable w.r.t. idx)."""

    def forward(self, inputs):
        x, idx = inputs
        self.retain_inputs((1,))
        self._shape = x.shape
        self._dtype = x.dtype
        return x[idx],

    def backward(self, indexes, grad_outputs):
        idx, = self.get_retained_inputs()
        idx = idx.array
        gy, = grad_outputs
        gx = numpy.zeros(self._shape, self._dtype)
        numpy.add.at(gx, idx, gy.array)
        return kusari.Variable(gx), None


class _Sum(kusari.FunctionNode):
    def forward(self, inputs):
        x, = inputs
        self._shape = x.shape
        return numpy.asarray(x.sum(), dtype=x.dtype),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        ones = kusari.Variable(numpy.ones(self._shape, gy.dtype))
        return ones * gy,


def _sum(x):
    return _Sum().apply((x,))[0]


# ------------------------------------------------------------ numerical_grad

def test_numerical_grad_matches_analytic():
    x = numpy.random.uniform(-1, 1, (3, 4))
    gy = numpy.random.uniform(-1, 1, (3, 4))

    def f():
        return x ** 3,

    gx, = gradient_check.numerical_grad(f, (x,), (gy,), eps=1e-3)
    testing.assert_allclose(gx, 3 * x ** 2 * gy, atol=1e-5, rtol=1e-4)


def test_numerical_grad_multiple_inputs_outputs_and_none():
    a = numpy.random.uniform(-1, 1, (2,))
    b = numpy.random.uniform(-1, 1, (2,))
    g1 = numpy.random.uniform(-1, 1, (2,))

    def f():
        return a * b, a + b

    ga, gb = gradient_check.numerical_grad(f, (a, b), (g1, None))
    testing.assert_allclose(ga, g1 * b)
    testing.assert_allclose(gb, g1 * a)
    ga, gb = gradient_check.numerical_grad(f, [a, b], (None, 2.0))
    testing.assert_allclose(ga, [2., 2.])
    testing.assert_allclose(gb, [2., 2.])


def test_numerical_grad_restores_inputs_and_keeps_dtype():
    x = numpy.array([0.5, -0.25], numpy.float32)
    orig = x.copy()
    gx, = gradient_check.numerical_grad(lambda: (x * 2,), (x,),
                                        (numpy.ones(2, numpy.float32),),
                                        eps=1e-2)
    numpy.testing.assert_array_equal(x, orig)
    assert gx.dtype == numpy.float32
    testing.assert_allclose(gx, [2., 2.], atol=1e-3)


def test_numerical_grad_higher_order_with_detect():
    x = numpy.array([0.3, 0.7])
    gx, = gradient_check.numerical_grad(lambda: (numpy.exp(x),), (x,),
                                        (numpy.ones(2),), eps=1e-2,
                                        detect_nondifferentiable=True)
    # the 5-point stencil is accurate to O(eps^4)
    testing.assert_allclose(gx, numpy.exp(x), atol=1e-8, rtol=1e-8)


def test_numerical_grad_detects_kink():
    x = numpy.array([0.0, 1.0])
    with pytest.raises(gradient_check.NondifferentiableError,
                       match='non-differentiable'):
        gradient_check.numerical_grad(lambda: (numpy.abs(x),), (x,),
                                      (numpy.ones(2),),
                                      detect_nondifferentiable=True)
    y = numpy.array([0.5, 1.0])
    gradient_check.numerical_grad(lambda: (numpy.abs(y),), (y,),
                                  (numpy.ones(2),), detect_nondifferentiable=True)


def test_numerical_grad_detects_finiteness_change():
    x = numpy.array([0.0])
    with numpy.errstate(divide='ignore', invalid='ignore'):
        with pytest.raises(gradient_check.NondifferentiableError):
            gradient_check.numerical_grad(
                lambda: (numpy.log(x),), (x,), (numpy.ones(1),),
                detect_nondifferentiable=True)


def test_numerical_grad_rejects_bad_input():
    with pytest.raises(RuntimeError, match='float'):
        gradient_check.numerical_grad(lambda: (numpy.zeros(1),),
                                      (numpy.zeros(1, numpy.int32),),
                                      (numpy.ones(1),))
    with pytest.raises(ValueError):
        gradient_check.numerical_grad(lambda: (numpy.zeros(1),),
                                      (numpy.zeros(1),), (numpy.ones(1),), eps=0)


# ------------------------------------------------------------ check_backward

@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_check_backward_passes_on_correct_backward(dtype):
    x = numpy.random.uniform(-1, 1, (3, 2)).astype(dtype)
    gy = numpy.random.uniform(-1, 1, (3, 2)).astype(dtype)
    kw = {} if dtype == numpy.float64 else {'atol': 1e-3, 'rtol': 1e-3}
    gradient_check.check_backward(cube, x, gy, **kw)


@testing.fix_random()
def test_check_backward_fails_on_wrong_backward():
    x = numpy.random.uniform(0.5, 1, (3, 2))
    gy = numpy.random.uniform(0.5, 1, (3, 2))
    with pytest.raises(AssertionError) as e:
        gradient_check.check_backward(lambda x: cube(x, 'wrong'), x, gy)
    msg = str(e.value)
    assert 'check_backward failed' in msg
    assert 'numeric' in msg and 'backward' in msg
    assert 'directions[0]' in msg


@testing.fix_random()
def test_check_backward_float16_with_float64_numerics():
    x = numpy.random.uniform(0.5, 1, (4,)).astype(numpy.float16)
    gy = numpy.random.uniform(0.5, 1, (4,)).astype(numpy.float16)
    gradient_check.check_backward(cube, x, gy, dtype=numpy.float64,
                                  atol=1e-2, rtol=1e-2)
    with pytest.raises(AssertionError):
        gradient_check.check_backward(lambda x: cube(x, 'wrong'), x, gy,
                                      dtype=numpy.float64, atol=1e-2, rtol=1e-2)


def test_check_backward_loss_function_needs_no_y_grad():
    x = numpy.random.uniform(-1, 1, (5,))
    gradient_check.check_backward(lambda x: _sum(cube(x)), x, None)


def test_check_backward_y_grad_required_for_non_loss():
    x = numpy.random.uniform(-1, 1, (5,))
    with pytest.raises(ValueError, match='y_grad'):
        gradient_check.check_backward(cube, x, None)


def test_check_backward_y_grad_mismatch():
    x = numpy.random.uniform(-1, 1, (5,))
    with pytest.raises(ValueError, match='do not match'):
        gradient_check.check_backward(cube, x, numpy.ones(4))
    with pytest.raises(ValueError, match='do not match'):
        gradient_check.check_backward(cube, x, numpy.ones(5, numpy.float32))
    with pytest.raises(ValueError, match='as many'):
        gradient_check.check_backward(cube, x, (numpy.ones(5), numpy.ones(5)))


def test_check_backward_multiple_inputs_and_outputs():
    a = numpy.random.uniform(-1, 1, (3,))
    b = numpy.random.uniform(-1, 1, (3,))
    g1 = numpy.random.uniform(-1, 1, (3,))
    g2 = numpy.random.uniform(-1, 1, (3,))

    def f(a, b):
        return _MulAdd().apply((a, b))

    gradient_check.check_backward(f, (a, b), (g1, g2))
    gradient_check.check_backward(f, [a, b], (g1, None))


def test_check_backward_integer_input_is_skipped():
    x = numpy.random.uniform(-1, 1, (5,))
    idx = numpy.array([0, 2, 2, 4], numpy.int32)
    gy = numpy.random.uniform(-1, 1, (4,))
    gradient_check.check_backward(lambda x, i: _Take().apply((x, i))[0],
                                  (x, idx), gy)


def test_check_backward_no_grads_flag():
    a = numpy.random.uniform(-1, 1, (3,))
    b = numpy.random.uniform(-1, 1, (3,))
    g = numpy.random.uniform(-1, 1, (3,))

    def f(a, b):
        return a * b.array  # b is used as a constant

    gradient_check.check_backward(f, (a, b), g, no_grads=[False, True])
    with pytest.raises(RuntimeError, match='must be None'):
        gradient_check.check_backward(lambda a, b: a * b, (a, b), g,
                                      no_grads=[False, True])
    with pytest.raises(ValueError, match='no_grads'):
        gradient_check.check_backward(f, (a, b), g, no_grads=[False])


@testing.fix_random()
def test_check_backward_with_params():
    W = kusari.Variable(numpy.random.uniform(-1, 1, (3,)))
    x = numpy.random.uniform(-1, 1, (3,))
    gy = numpy.random.uniform(-1, 1, (3,))
    W_before = W.array.copy()

    def f(x):
        return cube(x) * W

    gradient_check.check_backward(f, x, gy, params=W)
    gradient_check.check_backward(f, x, gy, params=(W,), dtype=numpy.float64)
    numpy.testing.assert_array_equal(W.array, W_before)

    def wrong(x):
        # W's array is used, but through a constant: its gradient is lost
        return cube(x) * kusari.Variable(W.array)

    with pytest.raises(AssertionError):
        gradient_check.check_backward(wrong, x, gy, params=(W,))


def test_check_backward_bad_dtype_argument():
    x = numpy.random.uniform(-1, 1, (3,))
    with pytest.raises(ValueError, match='float'):
        gradient_check.check_backward(cube, x, numpy.ones(3), dtype=numpy.int32)


def test_check_backward_detect_nondifferentiable():
    class _Abs(kusari.FunctionNode):
        def forward(self, inputs):
            x, = inputs
            self.retain_inputs((0,))
            return numpy.abs(x),

        def backward(self, indexes, grad_outputs):
            x, = self.get_retained_inputs()
            return kusari.Variable(numpy.sign(x.array)) * grad_outputs[0],

    f = lambda x: _Abs().apply((x,))[0]  # NOQA
    x = numpy.array([0.0, 0.5])
    with pytest.raises(gradient_check.NondifferentiableError):
        gradient_check.check_backward(f, x, numpy.ones(2),
                                      detect_nondifferentiable=True)
    gradient_check.check_backward(f, numpy.array([-0.5, 0.5]), numpy.ones(2),
                                  detect_nondifferentiable=True)


def test_check_backward_func_must_return_variables():
    x = numpy.random.uniform(-1, 1, (3,))
    with pytest.raises(TypeError, match='Variables'):
        gradient_check.check_backward(lambda x: x.array, x, numpy.ones(3))


# ------------------------------------------------------------ check_double_backward

def test_check_double_backward_passes():
    x = numpy.random.uniform(-1, 1, (3,))
    gy = numpy.random.uniform(-1, 1, (3,))
    ggx = numpy.random.uniform(-1, 1, (3,))
    gradient_check.check_double_backward(cube, x, gy, ggx)


@testing.fix_random()
def test_check_double_backward_fails_on_non_differentiable_backward():
    x = numpy.random.uniform(0.5, 1, (3,))
    gy = numpy.random.uniform(0.5, 1, (3,))
    ggx = numpy.random.uniform(0.5, 1, (3,))
    # the first order is right ...
    gradient_check.check_backward(lambda x: cube(x, 'detached'), x, gy)
    # ... but its backward ignores the dependence on x
    with pytest.raises(AssertionError) as e:
        gradient_check.check_double_backward(lambda x: cube(x, 'detached'),
                                             x, gy, ggx)
    msg = str(e.value)
    assert 'check_double_backward failed' in msg
    assert 'grad_grad_input[0]' in msg


def test_check_double_backward_with_params():
    W = kusari.Variable(numpy.random.uniform(-1, 1, (3,)))
    x = numpy.random.uniform(-1, 1, (3,))
    gy = numpy.random.uniform(-1, 1, (3,))
    ggx = numpy.random.uniform(-1, 1, (3,))
    ggW = numpy.random.uniform(-1, 1, (3,))

    def f(x):
        return cube(x) * W * W

    gradient_check.check_double_backward(f, x, gy, ggx, params=W,
                                         params_grad_grad=ggW)


def test_check_double_backward_loss():
    x = numpy.random.uniform(-1, 1, (4,))
    gy = numpy.array(1.5)
    ggx = numpy.random.uniform(-1, 1, (4,))
    gradient_check.check_double_backward(lambda x: _sum(cube(x)), x, gy, ggx)


def test_deprecated_assert_allclose_alias():
    with pytest.warns(DeprecationWarning):
        gradient_check.assert_allclose(numpy.ones(2), numpy.ones(2))


def test_check_backward_link_parameters():
    class Scale(kusari.Link):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.W = kusari.Parameter(numpy.random.uniform(-1, 1, (3,)))
                self.b = kusari.Parameter(numpy.random.uniform(-1, 1, (3,)))

        def forward(self, x):
            return cube(x) * self.W + self.b

    link = Scale()
    x = numpy.random.uniform(-1, 1, (3,))
    gy = numpy.random.uniform(-1, 1, (3,))
    gradient_check.check_backward(link, x, gy, params=(link.W, link.b))
    assert link.W.array.dtype == numpy.float64
