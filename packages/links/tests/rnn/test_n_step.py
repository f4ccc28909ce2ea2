"""The NStep* links."""
import numpy
import pytest

import kusari.links as L
from kusari.utils import type_check

import _links_testing as lt

CASES = [
    (L.NStepRNNTanh, 2, False), (L.NStepRNNReLU, 2, False),
    (L.NStepBiRNNTanh, 2, True), (L.NStepBiRNNReLU, 2, True),
    (L.NStepGRU, 6, False), (L.NStepBiGRU, 6, True),
    (L.NStepLSTM, 8, False), (L.NStepBiLSTM, 8, True),
]
FUNCS = {L.NStepRNNTanh: 'n_step_rnn', L.NStepRNNReLU: 'n_step_rnn',
         L.NStepBiRNNTanh: 'n_step_birnn', L.NStepBiRNNReLU: 'n_step_birnn',
         L.NStepGRU: 'n_step_gru', L.NStepBiGRU: 'n_step_bigru',
         L.NStepLSTM: 'n_step_lstm', L.NStepBiLSTM: 'n_step_bilstm'}


def _sig(x):
    return 1 / (1 + numpy.exp(-x))


@pytest.mark.parametrize('cls,n_weights,bi', CASES)
def test_params(cls, n_weights, bi):
    link = cls(2, 3, 4, 0.0)
    d = 2 if bi else 1
    assert len(link) == 2 * d
    names = sorted(n for n, _ in link.namedparams())
    expected = sorted('/%d/%s%d' % (k, p, j) for k in range(2 * d)
                      for p in 'wb' for j in range(n_weights))
    assert names == expected
    for k, child in enumerate(link):
        for j in range(n_weights):
            w_in = (3 if k < d else 4 * d) if j < n_weights // 2 else 4
            w = getattr(child, 'w%d' % j)
            assert w.shape == (4, w_in)
            assert (getattr(child, 'b%d' % j).array == 0).all()
    assert link.ws[1][0] is link[1].w0 and link.bs[0][1] is link[0].b1
    assert link.n_layers == 2 and link.direction == d and link.out_size == 4
    copied = link.copy('copy')
    assert copied.ws[0][0] is copied[0].w0


def _lstm_ref(link, xs):
    # One layer, unidirectional: per sequence, the Chainer n_step_lstm equations.
    w = [getattr(link[0], 'w%d' % j).array for j in range(8)]
    b = [getattr(link[0], 'b%d' % j).array for j in range(8)]
    hs, cs, ys = [], [], []
    for x in xs:
        h = numpy.zeros(link.out_size)
        c = numpy.zeros(link.out_size)
        out = []
        for t in range(len(x)):
            g = [x[t] @ w[k].T + h @ w[k + 4].T + b[k] + b[k + 4] for k in range(4)]
            # Chainer's (and cuDNN's) weight order: i, f, a (cell input), o
            i, f, a, o = _sig(g[0]), _sig(g[1]), numpy.tanh(g[2]), _sig(g[3])
            c = f * c + i * a
            h = o * numpy.tanh(c)
            out.append(h)
        hs.append(h)
        cs.append(c)
        ys.append(numpy.array(out))
    return numpy.array(hs)[None], numpy.array(cs)[None], ys


def test_nstep_lstm_forward_unsorted_lengths():
    lt.require_F('n_step_lstm', 'transpose_sequence')
    rng = numpy.random.RandomState(0)
    link = L.NStepLSTM(1, 3, 2, 0.0)
    for child in link:
        for _, p in child.namedparams():
            p.array[...] = rng.uniform(-1, 1, p.shape)
    xs = [rng.uniform(-1, 1, (n, 3)).astype(numpy.float32) for n in (2, 4, 3)]
    hy, cy, ys = link(None, None, xs)
    h_ref, c_ref, ys_ref = _lstm_ref(link, xs)
    numpy.testing.assert_allclose(hy.array, h_ref, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(cy.array, c_ref, rtol=1e-5, atol=1e-6)
    for y, r in zip(ys, ys_ref):
        numpy.testing.assert_allclose(y.array, r, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('cls,n_weights,bi', CASES)
def test_forward_shapes_and_common(cls, n_weights, bi):
    lt.require_F(FUNCS[cls], 'transpose_sequence')
    rng = numpy.random.RandomState(1)
    d = 2 if bi else 1
    xs = [rng.uniform(-1, 1, (n, 3)).astype(numpy.float32) for n in (2, 3)]
    hx = rng.uniform(-1, 1, (2 * d, 2, 4)).astype(numpy.float32)
    link = cls(2, 3, 4, 0.0)
    if n_weights == 8:
        hy, cy, ys = link(hx, hx, xs)
        assert cy.shape == hx.shape

        def call(l, hx, x0, x1):
            return l(hx, hx, [x0, x1])
    else:
        hy, ys = link(hx, xs)

        def call(l, hx, x0, x1):
            return l(hx, [x0, x1])
    assert hy.shape == hx.shape
    assert [y.shape for y in ys] == [(2, 4 * d), (3, 4 * d)]
    lt.check_common(lambda: cls(2, 3, 4, 0.0), [hx] + xs, call=call)


def test_bad_input():
    link = L.NStepGRU(1, 3, 2, 0.0)
    with pytest.raises(type_check.InvalidType) as e:
        link(None, [numpy.ones((2, 4), numpy.float32)])
    lt.assert_invalid(e, 'NStepGRU')
    with pytest.raises(type_check.InvalidType) as e:
        link(numpy.zeros((1, 2, 2), numpy.float32), [numpy.ones((2, 3), numpy.float32)])
    lt.assert_invalid(e, 'NStepGRU')
    with pytest.raises(ValueError):
        L.NStepLSTM(1, 3, 2, 0.0, use_cudnn=True)
    with pytest.raises(ValueError):
        link(None, [numpy.ones((2, 3), numpy.float32)], train=True)


@pytest.mark.gpu
def test_gpu():
    rng = numpy.random.RandomState(2)
    xs = [rng.uniform(-1, 1, (n, 3)).astype(numpy.float32) for n in (2, 3)]
    hx = numpy.zeros((1, 2, 4), numpy.float32)
    lt.check_gpu_round_trip(lambda: L.NStepGRU(1, 3, 4, 0.0), [hx] + xs,
                            call=lambda l, hx, a, b: l(hx, [a, b]))
