"""LSTM, StatelessLSTM, StatefulPeepholeLSTM, StatefulZoneoutLSTM."""
import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari.utils import type_check

import _links_testing as lt


def _sig(x):
    return 1 / (1 + numpy.exp(-x))


def _lstm_ref(c, g):
    # g: (N, 4n) interleaved per unit (a, i, f, o)
    r = g.reshape(len(g), -1, 4)
    a, i, f, o = numpy.tanh(r[..., 0]), _sig(r[..., 1]), _sig(r[..., 2]), _sig(r[..., 3])
    c = a * i + f * c
    return c, o * numpy.tanh(c)


def _lin(l, x):
    y = x @ l.W.array.T
    return y + l.b.array if l.b is not None else y


def test_lstm_params_and_initialization():
    link = L.LSTM(3, 2)
    assert sorted(n for n, _ in link.namedparams()) == [
        '/lateral/W', '/upward/W', '/upward/b']
    assert link.upward.W.shape == (8, 3) and link.lateral.W.shape == (8, 2)
    gates = link.upward.b.array.reshape(2, 4)
    numpy.testing.assert_array_equal(gates[:, [0, 1, 3]], 0)
    numpy.testing.assert_array_equal(gates[:, 2], 1)
    assert (link.upward.W.array != 0).all() and (link.lateral.W.array != 0).all()
    l2 = L.LSTM(3, 2, bias_init=0.5, forget_bias_init=2.0, upward_init=0.25)
    numpy.testing.assert_array_equal(l2.upward.b.array.reshape(2, 4)[:, 2], 2)
    numpy.testing.assert_array_equal(l2.upward.b.array.reshape(2, 4)[:, 0], 0.5)
    numpy.testing.assert_array_equal(l2.upward.W.array, 0.25)
    assert link.c is None and link.h is None and link.state_size == 2


def test_lstm_forward_states_and_shrinking_batch():
    lt.require_F('linear', 'lstm', 'concat')
    rng = numpy.random.RandomState(0)
    link = L.LSTM(3, 2)
    xs = [rng.uniform(-1, 1, (n, 3)).astype(numpy.float32) for n in (3, 3, 2)]
    c = numpy.zeros((3, 2))
    h = None
    for x in xs:
        y = link(x)
        g = _lin(link.upward, x)
        if h is not None:
            g = g + _lin(link.lateral, h[:len(x)])
        c_new, y_ref = _lstm_ref(c[:len(x)], g)
        c = numpy.concatenate([c_new, c[len(x):]])
        h = y_ref if h is None else numpy.concatenate([y_ref, h[len(x):]])
        numpy.testing.assert_allclose(y.array, y_ref, rtol=1e-5, atol=1e-6)
        numpy.testing.assert_allclose(link.h.array, h, rtol=1e-5, atol=1e-6)
    with pytest.raises(TypeError, match='LSTM'):
        link(numpy.zeros((4, 3), numpy.float32))
    link.reset_state()
    assert link.c is None and link.h is None
    link.set_state(kusari.Variable(numpy.zeros((1, 2), numpy.float32)),
                   kusari.Variable(numpy.ones((1, 2), numpy.float32)))
    y = link(xs[0][:1])
    g = _lin(link.upward, xs[0][:1]) + _lin(link.lateral, numpy.ones((1, 2)))
    numpy.testing.assert_allclose(y.array, _lstm_ref(numpy.zeros((1, 2)), g)[1],
                                  rtol=1e-5, atol=1e-6)
    with pytest.raises(TypeError, match='LSTM'):
        link.set_state(numpy.zeros((1, 2)), numpy.zeros((1, 2)))


@pytest.mark.parametrize('args', [(2,), (None, 2)])
def test_lstm_lazy(args):
    lt.require_F('linear', 'lstm')
    link = L.LSTM(*args)
    assert link.upward.W.array is None
    link(numpy.ones((1, 5), numpy.float32))
    assert link.upward.W.shape == (8, 5)
    numpy.testing.assert_array_equal(link.upward.b.array.reshape(2, 4)[:, 2], 1)


def test_lstm_backward_and_common():
    lt.require_F('linear', 'lstm')
    rng = numpy.random.RandomState(1)
    with kusari.using_config('dtype', numpy.float64):
        link = L.LSTM(3, 2)
    x1, x2 = rng.uniform(-1, 1, (2, 2, 3))

    def two_steps(x1, x2):
        link.reset_state()
        link(x1)
        return link(x2)
    gradient_check.check_backward(two_steps, (x1, x2), rng.uniform(-1, 1, (2, 2)),
                                  params=tuple(link.params()), atol=1e-5, rtol=1e-4)

    def call(l, x1, x2):
        l.reset_state()
        l(x1)
        return l(x2)
    lt.check_common(lambda: L.LSTM(3, 2), [x1.astype(numpy.float32),
                                           x2.astype(numpy.float32)], call=call)


def test_lstm_to_device_moves_state():
    lt.require_F('linear', 'lstm')
    link = L.LSTM(3, 2)
    link(numpy.ones((1, 3), numpy.float32))
    link.to_device('@numpy')
    assert isinstance(link.h.array, numpy.ndarray)
    assert isinstance(link.c.array, numpy.ndarray)


def test_stateless_lstm():
    lt.require_F('linear', 'lstm')
    rng = numpy.random.RandomState(2)
    link = L.StatelessLSTM(None, 2)
    x = rng.uniform(-1, 1, (2, 3)).astype(numpy.float32)
    c0 = rng.uniform(-1, 1, (2, 2)).astype(numpy.float32)
    h0 = rng.uniform(-1, 1, (2, 2)).astype(numpy.float32)
    c, h = link(c0, h0, x)
    assert link.upward.W.shape == (8, 3)
    c_ref, h_ref = _lstm_ref(c0, _lin(link.upward, x) + _lin(link.lateral, h0))
    numpy.testing.assert_allclose(c.array, c_ref, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(h.array, h_ref, rtol=1e-5, atol=1e-6)
    c, h = link(None, None, x)
    c_ref, h_ref = _lstm_ref(numpy.zeros((2, 2)), _lin(link.upward, x))
    numpy.testing.assert_allclose(h.array, h_ref, rtol=1e-5, atol=1e-6)
    lt.check_common(lambda: L.StatelessLSTM(3, 2), [c0, h0, x])


def test_peephole():
    lt.require_F('linear', 'sigmoid', 'tanh')
    rng = numpy.random.RandomState(3)
    link = L.StatefulPeepholeLSTM(3, 2)
    assert sorted(n for n, _ in link.namedparams()) == [
        '/lateral/W', '/peep_f/W', '/peep_i/W', '/peep_o/W', '/upward/W', '/upward/b']
    xs = rng.uniform(-1, 1, (2, 2, 3)).astype(numpy.float32)
    c = numpy.zeros((2, 2))
    h = None
    for x in xs:
        y = link(x)
        g = _lin(link.upward, x) + (0 if h is None else _lin(link.lateral, h))
        r = g.reshape(2, 2, 4)
        a = numpy.tanh(r[..., 0])
        i = _sig(r[..., 1] + _lin(link.peep_i, c))
        f = _sig(r[..., 2] + _lin(link.peep_f, c))
        c = a * i + f * c
        o = _sig(r[..., 3] + _lin(link.peep_o, c))
        h = o * numpy.tanh(c)
        numpy.testing.assert_allclose(y.array, h, rtol=1e-5, atol=1e-6)

    def call(l, x1, x2):
        l.reset_state()
        l(x1)
        return l(x2)
    lt.check_common(lambda: L.StatefulPeepholeLSTM(3, 2), list(xs), call=call)


def test_zoneout_lstm_test_mode_is_lstm():
    lt.require_F('linear', 'sigmoid', 'tanh', 'zoneout')
    rng = numpy.random.RandomState(4)
    link = L.StatefulZoneoutLSTM(3, 2, c_ratio=0.3, h_ratio=0.7)
    assert sorted(n for n, _ in link.namedparams()) == [
        '/lateral/W', '/upward/W', '/upward/b']
    xs = rng.uniform(-1, 1, (2, 2, 3)).astype(numpy.float32)
    c, h = numpy.zeros((2, 2)), numpy.zeros((2, 2))
    with kusari.using_config('train', False):
        for x in xs:
            y = link(x)
            c, h = _lstm_ref(c, _lin(link.upward, x) + _lin(link.lateral, h))
            numpy.testing.assert_allclose(y.array, h, rtol=1e-5, atol=1e-6)
    # in training, every unit is either the new or the previous value
    link.reset_state()
    with kusari.using_config('train', True):
        h1 = link(xs[0]).array.copy()
        c1 = link.c.array.copy()
        h2 = link(xs[1]).array
    c_new, h_new = _lstm_ref(c1, _lin(link.upward, xs[1]) + _lin(link.lateral, h1))
    ok = numpy.isclose(h2, h_new, atol=1e-5) | numpy.isclose(h2, h1, atol=1e-6)
    assert ok.all()


def test_wrong_input_shape():
    with pytest.raises(type_check.InvalidType) as e:
        L.LSTM(3, 2)(numpy.ones((2, 4), numpy.float32))
    lt.assert_invalid(e, 'Linear')
    with pytest.raises(type_check.InvalidType) as e:
        L.LSTM(2)(numpy.ones((4,), numpy.float32))
    lt.assert_invalid(e, 'LSTM')


@pytest.mark.gpu
def test_gpu():
    x = numpy.random.RandomState(5).uniform(-1, 1, (2, 3)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.LSTM(3, 2), [x])
