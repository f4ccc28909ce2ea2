"""The fused Cython kernels of kusari.optimizers._kernels, called directly.

Each kernel runs several steps from the rule's initial state and is compared, bit for
bit, with the same formula written with NumPy operations in the array's dtype (the
kernels round every operation as NumPy does).  Then the protocol: a kernel refuses
(returns ``False`` and writes nothing) the arrays that are not exact, aligned,
C-contiguous, native float32/float64 ndarrays of one dtype and one shape, with a
writeable parameter and state, and :func:`_kernels.rejection` says why.
"""
import re

import numpy
import pytest

from kusari.optimizers import _kernels

SHAPE = (3, 5)
N_STEPS = 4


# ------------------------------------------------------------- NumPy formulas
# Every scalar is converted to the arrays' dtype first, as the kernels do; the
# operations are those of the kernels, in the same order.

def _sgd(p, g, s, c, lr):
    p -= c(lr) * g


def _momentum_sgd(p, g, s, c, lr, momentum):
    v, = s
    v[...] = v * c(momentum) - c(lr) * g
    p += v


def _corrected_momentum_sgd(p, g, s, c, lr, momentum):
    v, = s
    v[...] = v * c(momentum) - g
    p += c(lr) * v


def _nesterov_ag(p, g, s, c, lr, momentum):
    v, = s
    v[...] = v * c(momentum) - c(lr) * g
    p += c(momentum * momentum) * v - c((1.0 + momentum) * lr) * g


def _ada_grad(p, g, s, c, lr, eps):
    h, = s
    h += g * g
    p -= c(lr) * g / (numpy.sqrt(h) + c(eps))


def _ada_delta(p, g, s, c, rho, eps):
    msg, msdx = s
    omr = c(1.0 - rho)
    msg[...] = msg * c(rho) + omr * g * g
    dx = numpy.sqrt((msdx + c(eps)) / (msg + c(eps))) * g
    msdx[...] = msdx * c(rho) + omr * dx * dx
    p -= dx


def _rmsprop(p, g, s, c, lr, alpha, eps, eps_inside_sqrt):
    ms, = s
    ms[...] = ms * c(alpha) + c(1.0 - alpha) * g * g
    denom = numpy.sqrt(ms + c(eps)) if eps_inside_sqrt else numpy.sqrt(ms) + c(eps)
    p -= c(lr) * g / denom


def _rmsprop_graves(p, grad, s, c, lr, alpha, momentum, eps):
    n, g, delta = s
    oma = c(1.0 - alpha)
    n[...] = n * c(alpha) + oma * grad * grad
    g[...] = g * c(alpha) + oma * grad
    delta[...] = delta * c(momentum) - c(lr) * grad / numpy.sqrt(n - g * g + c(eps))
    p += delta


def _adam(p, g, s, c, alpha_t, beta1, beta2, eps, eta, weight_decay_rate, amsgrad,
          adabound, lower, upper):
    m, v, vhat = s
    m += c(1.0 - beta1) * (g - m)
    v += c(1.0 - beta2) * (g * g - v)
    if amsgrad:
        numpy.maximum(vhat, v, out=vhat)
        vv = vhat
    else:
        vv = v
    step = c(alpha_t) / (numpy.sqrt(vv) + c(eps))
    if adabound:
        step = numpy.maximum(numpy.minimum(step, c(upper)), c(lower))
    p -= c(eta) * (step * m + c(weight_decay_rate) * p)


def _smorms3(p, grad, s, c, lr, eps):
    # The kernel's literal 1 is a C double: for float32, r, g, g2 and mem are computed
    # in float64 and rounded to float32 when stored.
    mem, g, g2 = s
    f64 = numpy.float64
    r = (1.0 / (mem.astype(f64) + 1.0)).astype(p.dtype)
    omr = 1.0 - r.astype(f64)
    g[...] = omr * g + r * grad
    g2[...] = omr * g2 + r * grad * grad
    x = g * g / (g2 + c(eps))
    p -= grad * numpy.minimum(x, c(lr)) / (numpy.sqrt(g2) + c(eps))
    mem[...] = 1.0 + mem.astype(f64) * (1.0 - x.astype(f64))


def _msvag(p, g, s, c, lr, beta, eta, weight_decay_rate, beta_power, rho):
    m, v = s
    omb = c(1.0 - beta)
    m += omb * (g - m)
    v += omb * (g * g - v)
    mt = m / c(1.0 - beta_power)
    vt = v / c(1.0 - beta_power)
    mt2 = mt * mt
    var = (vt - mt2) / c(1.0 - rho)
    with numpy.errstate(divide='ignore', invalid='ignore'):
        factor = mt2 / (mt2 + c(rho) * var)
    factor = numpy.where(numpy.isnan(factor), c(0),
                         numpy.minimum(numpy.maximum(factor, c(0)), c(1)))
    p -= c(eta) * (c(lr) * mt * factor + c(weight_decay_rate) * p)


# (id, kernel, formula, initial value of each state, scalar arguments)
CASES = [
    ('sgd', 'sgd', _sgd, (), (0.1,)),
    ('momentum_sgd', 'momentum_sgd', _momentum_sgd, (0,), (0.1, 0.8)),
    ('corrected_momentum_sgd', 'corrected_momentum_sgd', _corrected_momentum_sgd, (0,),
     (0.1, 0.8)),
    ('nesterov_ag', 'nesterov_ag', _nesterov_ag, (0,), (0.1, 0.8)),
    ('ada_grad', 'ada_grad', _ada_grad, (0,), (0.1, 1e-6)),
    ('ada_delta', 'ada_delta', _ada_delta, (0, 0), (0.9, 1e-3)),
    ('rmsprop', 'rmsprop', _rmsprop, (0,), (0.05, 0.9, 1e-6, False)),
    ('rmsprop-inside', 'rmsprop', _rmsprop, (0,), (0.05, 0.9, 1e-3, True)),
    ('rmsprop_graves', 'rmsprop_graves', _rmsprop_graves, (0, 0, 0),
     (0.01, 0.9, 0.8, 1e-3)),
    ('adam', 'adam', _adam, (0, 0, 0),
     (0.03, 0.9, 0.999, 1e-8, 1.0, 0.0, False, False, 0.0, 0.0)),
    ('adamw', 'adam', _adam, (0, 0, 0),
     (0.03, 0.9, 0.999, 1e-8, 0.5, 0.1, False, False, 0.0, 0.0)),
    ('amsgrad', 'adam', _adam, (0, 0, 0),
     (0.03, 0.9, 0.9, 1e-8, 1.0, 0.0, True, False, 0.0, 0.0)),
    ('adabound', 'adam', _adam, (0, 0, 0),
     (0.03, 0.9, 0.999, 1e-8, 1.0, 0.0, False, True, 0.02, 0.2)),
    ('amsbound', 'adam', _adam, (0, 0, 0),
     (0.03, 0.9, 0.9, 1e-8, 1.0, 0.0, True, True, 0.02, 0.2)),
    ('smorms3', 'smorms3', _smorms3, (1, 0, 0), (0.05, 1e-16)),
    ('msvag', 'msvag', _msvag, (0, 0), (0.1, 0.8, 0.5, 0.1, 0.8 ** 2, 0.3)),
]
CASE_IDS = [c[0] for c in CASES]


def _arrays(dtype, shape, seed=0):
    rng = numpy.random.RandomState(seed)
    p = rng.uniform(-1, 1, shape).astype(dtype)
    grads = [rng.uniform(-1, 1, shape).astype(dtype) for _ in range(N_STEPS)]
    if p.size > 1:
        for g in grads:
            g.reshape(-1)[:1] = 0  # sqrt(0), 0 / 0 guards
    return p, grads


def _call(kernel, p, g, states, args):
    return getattr(_kernels, kernel)(p, g, *states, *args)


@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape', [SHAPE, (), (0, 4), (_kernels.NOGIL_MIN_SIZE + 7,)],
                         ids=['2d', '0d', 'empty', 'large'])
def test_kernel_matches_numpy_formula(case, dtype, shape):
    _, kernel, formula, init, args = case
    p, grads = _arrays(dtype, shape)
    states = [numpy.full(shape, value, dtype) for value in init]
    p_ref = p.copy()
    states_ref = [s.copy() for s in states]
    c = numpy.dtype(dtype).type
    for g in grads:
        assert _call(kernel, p, g, states, args) is True
        formula(p_ref, g, states_ref, c, *args)
        numpy.testing.assert_array_equal(p, p_ref)
        for s, s_ref in zip(states, states_ref):
            numpy.testing.assert_array_equal(s, s_ref)
    if p.size:
        assert not numpy.array_equal(p, _arrays(dtype, shape)[0])  # it moved


def test_adam_without_amsgrad_ignores_vhat():
    p, grads = _arrays(numpy.float32, SHAPE)
    m, v = numpy.zeros_like(p), numpy.zeros_like(p)
    args = (0.03, 0.9, 0.999, 1e-8, 1.0, 0.0, False, False, 0.0, 0.0)
    assert _kernels.adam(p, grads[0], m, v, None, *args) is True
    # with AMSGrad the vhat array is required
    amsgrad = args[:6] + (True,) + args[7:]
    before = p.copy()
    assert _kernels.adam(p, grads[1], m, v, None, *amsgrad) is False
    numpy.testing.assert_array_equal(p, before)


def test_read_only_gradient_is_accepted():
    p, grads = _arrays(numpy.float64, SHAPE)
    g = grads[0]
    g.flags.writeable = False
    expected = p - 0.5 * g
    assert _kernels.sgd(p, g, 0.5) is True
    numpy.testing.assert_array_equal(p, expected)
    assert _kernels.rejection(p, g) is None


def test_gradient_may_be_the_parameter():
    # elementwise: each element is read before it is written
    p = numpy.arange(4, dtype=numpy.float32)
    assert _kernels.sgd(p, p, 0.5) is True
    numpy.testing.assert_array_equal(p, [0, 0.5, 1, 1.5])


# ------------------------------------------------------------- refused arrays

class _Sub(numpy.ndarray):
    pass


def _f32(shape=SHAPE):
    return numpy.ones(shape, numpy.float32)


def _read_only(a):
    a.flags.writeable = False
    return a


def _misaligned():
    buf = numpy.zeros(SHAPE[0] * SHAPE[1] * 4 + 1, numpy.uint8)
    a = buf[1:].view(numpy.float32).reshape(SHAPE)
    assert not a.flags.aligned and a.flags.c_contiguous
    return a


# (id, param, grad, state, expected rejection message)
BAD = [
    ('param-list', lambda: [1.0, 2.0], _f32, _f32,
     'param is a list, expected a numpy.ndarray'),
    ('param-subclass', lambda: _f32().view(_Sub), _f32, _f32,
     'param is a _Sub, expected a numpy.ndarray'),
    ('param-float16', lambda: _f32().astype(numpy.float16),
     lambda: _f32().astype(numpy.float16), lambda: _f32().astype(numpy.float16),
     'param has dtype <f2, expected float32 or float64 in native byte order'),
    ('param-int32', lambda: numpy.ones(SHAPE, numpy.int32),
     lambda: numpy.ones(SHAPE, numpy.int32), lambda: numpy.ones(SHAPE, numpy.int32),
     'param has dtype <i4, expected float32 or float64'),
    ('param-byteswapped', lambda: _f32().astype('>f4'), lambda: _f32().astype('>f4'),
     lambda: _f32().astype('>f4'), 'param has dtype >f4, expected float32 or float64 '
     'in native byte order'),
    ('param-non-contiguous', lambda: _f32(SHAPE[::-1]).T, _f32, _f32,
     'param is not C-contiguous and aligned'),
    ('param-misaligned', _misaligned, _f32, _f32, 'param is not C-contiguous and aligned'),
    ('param-read-only', lambda: _read_only(_f32()), _f32, _f32, 'param is read-only'),
    ('grad-float64', _f32, lambda: numpy.ones(SHAPE), _f32,
     r'grad has dtype <f8, expected <f4 \(the dtype of param\)'),
    ('grad-byteswapped', _f32, lambda: _f32().astype('>f4'), _f32,
     'grad has dtype >f4, expected <f4'),
    ('grad-size', _f32, lambda: _f32((3, 4)), _f32,
     r'grad has shape \(3, 4\), expected \(3, 5\) \(the shape of param\)'),
    ('grad-shape', _f32, lambda: _f32((5, 3)), _f32,
     r'grad has shape \(5, 3\), expected \(3, 5\)'),
    ('grad-non-contiguous', _f32, lambda: _f32((3, 10))[:, ::2], _f32,
     'grad is not C-contiguous and aligned'),
    ('grad-none', _f32, lambda: None, _f32, 'grad is a NoneType, expected a numpy.ndarray'),
    ('state-float64', _f32, _f32, lambda: numpy.ones(SHAPE),
     r'state 0 has dtype <f8, expected <f4 \(the dtype of param\)'),
    ('state-shape', _f32, _f32, lambda: _f32((15,)),
     r'state 0 has shape \(15,\), expected \(3, 5\)'),
    ('state-non-contiguous', _f32, _f32, lambda: _f32(SHAPE[::-1]).T,
     'state 0 is not C-contiguous and aligned'),
    ('state-read-only', _f32, _f32, lambda: _read_only(_f32()), 'state 0 is read-only'),
    ('state-missing', _f32, _f32, lambda: None,
     'state 0 is a NoneType, expected a numpy.ndarray'),
]
BAD_IDS = [b[0] for b in BAD]

# every kernel, with arguments for its scalars (its states are all the same array kind)
KERNEL_ARGS = {
    'sgd': (0, (0.1,)),
    'momentum_sgd': (1, (0.1, 0.9)),
    'corrected_momentum_sgd': (1, (0.1, 0.9)),
    'nesterov_ag': (1, (0.1, 0.9)),
    'ada_grad': (1, (0.1, 1e-8)),
    'ada_delta': (2, (0.95, 1e-6)),
    'rmsprop': (1, (0.1, 0.99, 1e-8, False)),
    'rmsprop_graves': (3, (0.1, 0.95, 0.9, 1e-4)),
    'adam': (3, (0.1, 0.9, 0.999, 1e-8, 1.0, 0.0, True, True, 0.0, 1.0)),
    'smorms3': (3, (0.1, 1e-16)),
    'msvag': (2, (0.1, 0.9, 1.0, 0.0, 0.9, 0.5)),
}


def _snapshot(*arrays):
    return [numpy.array(a, copy=True) if isinstance(a, numpy.ndarray) else a
            for a in arrays]


@pytest.mark.parametrize('kernel', sorted(KERNEL_ARGS))
@pytest.mark.parametrize('bad', BAD, ids=BAD_IDS)
def test_kernel_refuses_bad_arrays(kernel, bad):
    _, make_param, make_grad, make_state, message = bad
    n_states, args = KERNEL_ARGS[kernel]
    if bad[0].startswith('state') and n_states == 0:
        pytest.skip('no state')
    param, grad = make_param(), make_grad()
    # the bad state is the last one (the others are fine)
    states = [numpy.zeros_like(param) if isinstance(param, numpy.ndarray) else _f32()
              for _ in range(n_states - 1)] + [make_state()] * (n_states > 0)
    before = _snapshot(param, grad, *states)
    assert _call(kernel, param, grad, states, args) is False
    for a, b in zip([param, grad] + states, before):
        if isinstance(a, numpy.ndarray):
            numpy.testing.assert_array_equal(a, b)  # nothing was written
    # the reason names the failing array
    expected = message.replace('state 0', 'state %d' % (n_states - 1))
    reason = _kernels.rejection(param, grad, *states)
    assert reason is not None
    assert re.match(expected, reason), (expected, reason)


def test_rejection_of_good_arrays_is_none():
    p = _f32()
    assert _kernels.rejection(p, p.copy(), p.copy(), p.copy()) is None
    assert _kernels.rejection(numpy.ones(3), numpy.ones(3)) is None


def test_bad_scalar_raises_type_error_and_writes_nothing():
    p, grads = _arrays(numpy.float32, SHAPE)
    before = p.copy()
    with pytest.raises(TypeError):
        _kernels.sgd(p, grads[0], None)
    with pytest.raises(TypeError):
        _kernels.momentum_sgd(p, grads[0], numpy.zeros_like(p), 0.1, 'a')
    numpy.testing.assert_array_equal(p, before)
