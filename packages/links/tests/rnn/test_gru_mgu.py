"""StatelessGRU, StatefulGRU, GRU, StatelessMGU, StatefulMGU."""
import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari.utils import type_check

import _links_testing as lt


def _sig(x):
    return 1 / (1 + numpy.exp(-x))


def _lin(l, x):
    return x @ l.W.array.T + l.b.array


GRU_NAMES = ['/U/W', '/U/b', '/U_r/W', '/U_r/b', '/U_z/W', '/U_z/b',
             '/W/W', '/W/b', '/W_r/W', '/W_r/b', '/W_z/W', '/W_z/b']


def test_gru_params():
    for cls in (L.StatelessGRU, L.StatefulGRU, L.GRU):
        link = cls(3, 2)
        assert sorted(n for n, _ in link.namedparams()) == GRU_NAMES
        assert link.W_r.W.shape == (2, 3) and link.U_r.W.shape == (2, 2)
        assert (link.W.b.array == 0).all()
    assert issubclass(L.GRU, L.StatefulGRU)
    link = L.StatefulGRU(3, 2, init=0.5, inner_init=0.25, bias_init=1.0)
    numpy.testing.assert_array_equal(link.W_z.W.array, 0.5)
    numpy.testing.assert_array_equal(link.U_z.W.array, 0.25)
    numpy.testing.assert_array_equal(link.U.b.array, 1.0)


def _gru_ref(link, h, x):
    r = _sig(_lin(link.W_r, x) + _lin(link.U_r, h))
    z = _sig(_lin(link.W_z, x) + _lin(link.U_z, h))
    hb = numpy.tanh(_lin(link.W, x) + _lin(link.U, r * h))
    return (1 - z) * h + z * hb


def test_stateless_gru():
    lt.require_F('linear', 'sigmoid', 'tanh', 'linear_interpolate')
    rng = numpy.random.RandomState(0)
    link = L.StatelessGRU(None, 2)
    h = rng.uniform(-1, 1, (2, 2)).astype(numpy.float32)
    x = rng.uniform(-1, 1, (2, 3)).astype(numpy.float32)
    y = link(h, x)
    numpy.testing.assert_allclose(y.array, _gru_ref(link, h, x), rtol=1e-5, atol=1e-6)
    with kusari.using_config('dtype', numpy.float64):
        l64 = L.StatelessGRU(3, 2)
    gradient_check.check_backward(l64, (h.astype(numpy.float64), x.astype(numpy.float64)),
                                  rng.uniform(-1, 1, (2, 2)),
                                  params=tuple(l64.params()), atol=1e-5, rtol=1e-4)
    lt.check_common(lambda: L.StatelessGRU(3, 2), [h, x])


@pytest.mark.parametrize('cls', [L.StatefulGRU, L.GRU])
def test_stateful_gru(cls):
    lt.require_F('linear', 'sigmoid', 'tanh', 'linear_interpolate')
    rng = numpy.random.RandomState(1)
    link = cls(3, 2)
    x1, x2 = rng.uniform(-1, 1, (2, 2, 3)).astype(numpy.float32)
    y1 = link(x1)
    ref1 = _sig(_lin(link.W_z, x1)) * numpy.tanh(_lin(link.W, x1))
    numpy.testing.assert_allclose(y1.array, ref1, rtol=1e-5, atol=1e-6)
    y2 = link(x2)
    numpy.testing.assert_allclose(y2.array, _gru_ref(link, ref1, x2), rtol=1e-5,
                                  atol=1e-6)
    link.reset_state()
    assert link.h is None
    link.set_state(kusari.Variable(ref1.astype(numpy.float32)))
    numpy.testing.assert_allclose(link(x2).array, y2.array, rtol=1e-5, atol=1e-6)

    def call(l, x1, x2):
        l.reset_state()
        l(x1)
        return l(x2)
    lt.check_common(lambda: cls(3, 2), [x1, x2], call=call)


def test_gru_alias_rejects_two_arguments():
    link = L.GRU(3, 2)
    x = numpy.zeros((1, 3), numpy.float32)
    with pytest.raises(ValueError, match='StatelessGRU'):
        link(x, x)
    with pytest.raises(ValueError):
        link()


def _mgu_ref(link, h, x):
    f = _sig(_lin(link.W_f, numpy.concatenate([h, x], 1)))
    hb = numpy.tanh(_lin(link.W_h, numpy.concatenate([f * h, x], 1)))
    return (1 - f) * h + f * hb


def test_mgu():
    lt.require_F('linear', 'sigmoid', 'tanh', 'linear_interpolate', 'concat')
    rng = numpy.random.RandomState(2)
    link = L.StatelessMGU(3, 2)
    assert sorted(n for n, _ in link.namedparams()) == [
        '/W_f/W', '/W_f/b', '/W_h/W', '/W_h/b']
    assert link.W_f.W.shape == (2, 5)
    h = rng.uniform(-1, 1, (2, 2)).astype(numpy.float32)
    x = rng.uniform(-1, 1, (2, 3)).astype(numpy.float32)
    numpy.testing.assert_allclose(link(h, x).array, _mgu_ref(link, h, x), rtol=1e-5,
                                  atol=1e-6)
    lt.check_common(lambda: L.StatelessMGU(3, 2), [h, x])
    sf = L.StatefulMGU(3, 2)
    y1 = sf(x)
    r1 = _mgu_ref(sf, numpy.zeros((2, 2)), x)
    numpy.testing.assert_allclose(y1.array, r1, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(sf(x).array, _mgu_ref(sf, r1, x), rtol=1e-5,
                                  atol=1e-6)
    sf.reset_state()
    assert sf.h is None

    def call(l, x):
        l.reset_state()
        return l(x)
    lt.check_common(lambda: L.StatefulMGU(3, 2), [x], call=call)


def test_wrong_input_shape():
    lt.require_F('sigmoid')
    with pytest.raises(type_check.InvalidType) as e:
        L.StatelessGRU(3, 2)(numpy.ones((1, 2), numpy.float32),
                             numpy.ones((1, 4), numpy.float32))
    lt.assert_invalid(e, 'Linear')


@pytest.mark.gpu
def test_gpu():
    rng = numpy.random.RandomState(3)
    h = rng.uniform(-1, 1, (2, 2)).astype(numpy.float32)
    x = rng.uniform(-1, 1, (2, 3)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.StatelessGRU(3, 2), [h, x])
    lt.check_gpu_round_trip(lambda: L.StatelessMGU(3, 2), [h, x])
