import math
import os
import warnings

import numpy
import pytest

from kusari import optimizers

FIXTURES = os.environ.get('KUSARI_CHAINER_FIXTURES') or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), *(['..'] * 5), 'shared', 'fixtures',
    'chainer')  # ../shared beside the checkout


def _one_param(make_link, p0, opt):
    link = make_link({'w': p0})
    opt.setup(link)
    return link.w


def test_alpha_t_and_deprecated_lr(make_link):
    opt = optimizers.Adam(alpha=0.1, beta1=0.8, beta2=0.9)
    w = _one_param(make_link, numpy.zeros(3), opt)
    with pytest.raises(RuntimeError, match='learning rate of Adam'):
        opt.alpha_t
    for t in (1, 2, 3):
        w.grad = numpy.ones(3)
        opt.update()
        expected = 0.1 * math.sqrt(1 - 0.9 ** t) / (1 - 0.8 ** t)
        assert opt.alpha_t == pytest.approx(expected)
        assert w.update_rule.alpha_t == pytest.approx(expected)
        with pytest.warns(DeprecationWarning, match='alpha_t'):
            assert opt.lr == pytest.approx(expected)
        with pytest.warns(DeprecationWarning, match='alpha_t'):
            assert w.update_rule.lr == pytest.approx(expected)


def test_adabound_bounds(make_link):
    opt = optimizers.AdaBound(alpha=0.01, final_lr=0.5, gamma=0.1)
    w = _one_param(make_link, numpy.zeros(3), opt)
    rule = w.update_rule
    with pytest.raises(RuntimeError, match='bounds of AdaBound'):
        rule.bounds
    w.grad = numpy.ones(3)
    opt.update()
    lower, upper = rule.bounds
    assert lower == pytest.approx(0.5 * (1 - 1 / 1.1))
    assert upper == pytest.approx(0.5 * (1 + 1 / 0.1))
    # changing alpha rescales final_lr (schedules of alpha apply to it)
    opt.alpha = 0.02
    assert rule.bounds[0] == pytest.approx(2 * lower)


def test_adabound_clipping_is_active(make_link, references):
    # in this setting the lower bound lifts the step: plain Adam differs
    hp = optimizers.AdaBound(alpha=0.001, final_lr=0.5, gamma=0.1).hyperparam.get_dict()
    rng = numpy.random.RandomState(0)
    p0 = rng.uniform(-1, 1, 5)
    grads = [rng.uniform(-1, 1, 5) for _ in range(3)]
    outs = []
    for adabound in (True, False):
        opt = optimizers.Adam(alpha=0.001, final_lr=0.5, gamma=0.1, adabound=adabound)
        w = _one_param(make_link, p0.copy(), opt)
        for g in grads:
            w.grad = g.copy()
            opt.update()
        outs.append(w.array.copy())
    ref = references['Adam']
    p, s = p0.copy(), ref.init(5)
    for t, g in enumerate(grads, 1):
        p = ref.step(p, g, s, t, hp)
    numpy.testing.assert_allclose(outs[0], p, rtol=1e-10)
    assert not numpy.allclose(outs[0], outs[1])


def test_decoupled_weight_decay_with_eta(make_link):
    # param -= eta * (alpha_t * m / (sqrt(v) + eps) + weight_decay_rate * param)
    opt = optimizers.Adam(alpha=0.1, eta=0.5, weight_decay_rate=0.2, eps=0.0)
    w = _one_param(make_link, numpy.array([2.0, -1.0]), opt)
    w.grad = numpy.array([1.0, -4.0])
    opt.update()
    # first step: alpha_t * m / sqrt(v) = 0.1 * sign(g)
    numpy.testing.assert_allclose(
        w.array, [2.0 - 0.5 * (0.1 + 0.4), -1.0 - 0.5 * (-0.1 - 0.2)])


def test_amsgrad_keeps_maximum(make_link):
    opt = optimizers.AMSGrad(alpha=0.1, beta2=0.5)
    w = _one_param(make_link, numpy.zeros(1), opt)
    for g in (4.0, 0.0, 0.0):
        w.grad = numpy.array([g])
        opt.update()
    state = w.update_rule.state
    assert state['vhat'][0] == pytest.approx(8.0)  # (1 - 0.5) * 16, never decays
    assert state['v'][0] == pytest.approx(2.0)


def test_amsgrad_switched_on_later(make_link):
    opt = optimizers.Adam(alpha=0.1)
    w = _one_param(make_link, numpy.zeros(2), opt)
    w.grad = numpy.ones(2)
    opt.update()
    assert 'vhat' not in w.update_rule.state
    opt.amsgrad = True
    w.grad = numpy.ones(2)
    opt.update()
    numpy.testing.assert_allclose(w.update_rule.state['vhat'], w.update_rule.state['v'])


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_eps_too_small(dtype, make_link):
    opt = optimizers.Adam(eps=1e-60)
    w = _one_param(make_link, numpy.zeros(2, dtype), opt)
    w.grad = numpy.ones(2, dtype)
    if dtype == numpy.float32:
        with pytest.raises(ValueError, match='eps of Adam optimizer is too small for '
                                             'float32'):
            opt.update()
        numpy.testing.assert_array_equal(w.array, 0)
    else:
        opt.update()


def test_float16_uses_float32_arithmetic(make_link):
    # eps = 1e-8 is zero in float16 but not in float32, where Adam computes
    opt = optimizers.Adam(alpha=0.01)
    w = _one_param(make_link, numpy.zeros(3, numpy.float16), opt)
    w.grad = numpy.array([1.0, 0.0, -1.0], numpy.float16)
    opt.update()
    assert w.array.dtype == numpy.float16
    assert not numpy.isnan(w.array).any()
    numpy.testing.assert_allclose(w.array, [-0.01, 0.0, 0.01], rtol=1e-3)


class _NpzDeserializer:
    """Reads Chainer's ``save_npz`` layout (``path/key``) from a loaded npz."""

    def __init__(self, npz, path=''):
        self.npz = npz
        self.path = path

    def __getitem__(self, key):
        return type(self)(self.npz, self.path + key.strip('/') + '/')

    def __call__(self, key, value):
        loaded = self.npz[self.path + key]
        if value is None:
            return numpy.array(loaded)
        if isinstance(value, numpy.ndarray):
            numpy.copyto(value, loaded)
            return value
        return type(value)(loaded)


@pytest.mark.skipif(not os.path.exists(os.path.join(FIXTURES, 'mlp_adam.npz')),
                    reason='Chainer fixtures not available')
def test_loads_chainer_adam_snapshot(make_link, dict_io, references):
    from kusari import serializer as serializer_module
    model = dict(numpy.load(os.path.join(FIXTURES, 'mlp.npz')))
    snapshot = dict(numpy.load(os.path.join(FIXTURES, 'mlp_adam.npz')))
    names = ['l1/W', 'l1/b', 'bn/gamma', 'bn/beta', 'l2/W', 'l2/b']
    link = make_link({n: model[n] for n in names})
    opt = optimizers.Adam(alpha=0.01).setup(link)

    class Deserializer(_NpzDeserializer, serializer_module.Deserializer):
        pass
    opt.serialize(Deserializer(snapshot))
    assert opt.t == 2 and opt.epoch == 0
    for name, param in link.namedparams():
        name = name.lstrip('/')
        rule = param.update_rule
        assert rule.t == 2
        for key in ('m', 'v'):
            numpy.testing.assert_array_equal(rule.state[key], snapshot[name + '/' + key])
            assert rule.state[key].dtype == numpy.float32

    # saving gives back Chainer's layout, key for key
    saved = {}
    opt.serialize(dict_io.Serializer(saved))
    assert set(saved) == set(snapshot)
    for key in snapshot:
        numpy.testing.assert_array_equal(saved[key], snapshot[key])

    # the third step continues from Chainer's state (t = 3 in the bias correction)
    rng = numpy.random.RandomState(0)
    grads = {n: rng.uniform(-1, 1, model[n].shape).astype(numpy.float32) for n in names}
    for name, param in link.namedparams():
        param.grad = grads[name.lstrip('/')].copy()
    opt.update()
    hp = opt.hyperparam.get_dict()
    for name, param in link.namedparams():
        name = name.lstrip('/')
        state = {'m': snapshot[name + '/m'].astype(numpy.float64),
                 'v': snapshot[name + '/v'].astype(numpy.float64), 'vhat': None}
        expected = references['Adam'].step(model[name].astype(numpy.float64),
                                           grads[name].astype(numpy.float64), state, 3, hp)
        numpy.testing.assert_allclose(param.array, expected, rtol=1e-5, atol=1e-7)


def test_variants_are_adam():
    for cls in (optimizers.AdamW, optimizers.AMSGrad, optimizers.AdaBound,
                optimizers.AMSBound):
        opt = cls()
        assert isinstance(opt, optimizers.Adam)
        assert isinstance(opt.create_update_rule(), optimizers.AdamRule)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        optimizers.AdamW(alpha=0.1, weight_decay_rate=0.01)
