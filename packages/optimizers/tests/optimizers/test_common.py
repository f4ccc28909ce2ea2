"""Behaviour shared by every optimizer of kusari.optimizers, checked for each of them.

Each case runs several update steps on fixed gradients and compares with the
independent NumPy references of ``conftest.py``: through the fused Cython kernels
(contiguous float32/float64), the NumPy fallback (float16, non-contiguous), the fp32
master copy, loss scaling, hyperparameter changes, serialization and resumption, and
a least-squares problem that every optimizer must solve.
"""
import numpy
import pytest

import kusari
from kusari import optimizers
from kusari.utils import type_check

# (id, optimizer class name, constructor kwargs, reference name)
CASES = [
    ('SGD', 'SGD', {'lr': 0.1}, 'SGD'),
    ('MomentumSGD', 'MomentumSGD', {'lr': 0.1, 'momentum': 0.8}, 'MomentumSGD'),
    ('NesterovAG', 'NesterovAG', {'lr': 0.1, 'momentum': 0.8}, 'NesterovAG'),
    ('CorrectedMomentumSGD', 'CorrectedMomentumSGD', {'lr': 0.1, 'momentum': 0.8},
     'CorrectedMomentumSGD'),
    ('AdaGrad', 'AdaGrad', {'lr': 0.1, 'eps': 1e-6}, 'AdaGrad'),
    ('AdaDelta', 'AdaDelta', {'rho': 0.9, 'eps': 1e-3}, 'AdaDelta'),
    ('RMSprop', 'RMSprop', {'lr': 0.05, 'alpha': 0.9, 'eps': 1e-6}, 'RMSprop'),
    ('RMSprop-inside', 'RMSprop',
     {'lr': 0.05, 'alpha': 0.9, 'eps': 1e-3, 'eps_inside_sqrt': True}, 'RMSprop'),
    ('RMSpropGraves', 'RMSpropGraves',
     {'lr': 0.01, 'alpha': 0.9, 'momentum': 0.8, 'eps': 1e-3}, 'RMSpropGraves'),
    ('Adam', 'Adam', {'alpha': 0.05}, 'Adam'),
    ('Adam-decay', 'Adam', {'alpha': 0.05, 'eta': 0.5, 'weight_decay_rate': 0.1},
     'Adam'),
    ('AdamW', 'AdamW', {'alpha': 0.05, 'weight_decay_rate': 0.1}, 'Adam'),
    ('AMSGrad', 'AMSGrad', {'alpha': 0.05, 'beta2': 0.9}, 'Adam'),
    ('AdaBound', 'AdaBound', {'alpha': 0.05, 'final_lr': 0.1, 'gamma': 0.1}, 'Adam'),
    ('AMSBound', 'AMSBound',
     {'alpha': 0.05, 'beta2': 0.9, 'final_lr': 0.1, 'gamma': 0.1}, 'Adam'),
    ('SMORMS3', 'SMORMS3', {'lr': 0.05}, 'SMORMS3'),
    ('MSVAG', 'MSVAG', {'lr': 0.1, 'beta': 0.8, 'eta': 0.5, 'weight_decay_rate': 0.1},
     'MSVAG'),
]
CASE_IDS = [c[0] for c in CASES]

# the state arrays each optimizer keeps per parameter (Chainer's names)
STATE_NAMES = {
    'SGD': [], 'MomentumSGD': ['v'], 'NesterovAG': ['v'], 'CorrectedMomentumSGD': ['v'],
    'AdaGrad': ['h'], 'AdaDelta': ['msdx', 'msg'], 'RMSprop': ['ms'],
    'RMSpropGraves': ['delta', 'g', 'n'], 'Adam': ['m', 'v'], 'AdamW': ['m', 'v'],
    'AMSGrad': ['m', 'v', 'vhat'], 'AdaBound': ['m', 'v'],
    'AMSBound': ['m', 'v', 'vhat'], 'SMORMS3': ['g', 'g2', 'mem'], 'MSVAG': ['m', 'v'],
}

# the hyperparameter that scales the step of each optimizer
RATE_NAME = {'AdaDelta': 'rho', 'Adam': 'alpha', 'AdamW': 'alpha', 'AMSGrad': 'alpha',
             'AdaBound': 'alpha', 'AMSBound': 'alpha'}

SHAPE = (3, 4)
N_STEPS = 4


def _data(dtype=numpy.float64, seed=0):
    rng = numpy.random.RandomState(seed)
    p0 = rng.uniform(-1, 1, SHAPE)
    grads = [rng.uniform(-1, 1, SHAPE) for _ in range(N_STEPS)]
    # a zero entry exercises 0 / 0 guards (MSVAG) and sqrt(0) (Adam, RMSprop, ...)
    for g in grads:
        g[0, 0] = 0.0
    return p0.astype(dtype), [g.astype(dtype) for g in grads]


def _make(case):
    _, cls_name, kwargs, _ = case
    return getattr(optimizers, cls_name)(**kwargs)


def _hp(opt):
    hp = opt.hyperparam.get_dict()
    return hp


def _reference(references, case, p0, grads, hp=None, opt=None):
    ref = references[case[3]]
    hp = _hp(opt) if hp is None else hp
    p = p0.astype(numpy.float64)
    state = ref.init(p.shape)
    out = []
    for t, g in enumerate(grads, 1):
        p = ref.step(p, g.astype(numpy.float64), state, t, hp)
        out.append(p)
    return out


def _one_param_link(make_link, array):
    link = make_link({'w': array})
    return link, link.w


def _tol(dtype):
    if dtype == numpy.float16:
        return {'atol': 3e-2, 'rtol': 3e-2}
    if dtype == numpy.float32:
        return {'atol': 1e-5, 'rtol': 1e-4}
    return {'atol': 1e-12, 'rtol': 1e-10}


# ------------------------------------------------------------------ update vs reference

@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_steps_match_reference_fused(case, dtype, make_link, references, monkeypatch):
    p0, grads = _data(dtype)
    link, w = _one_param_link(make_link, p0)
    opt = _make(case).setup(link)
    rule_type = type(w.update_rule)

    def no_numpy(self, *args):
        raise AssertionError('the NumPy fallback ran instead of the fused kernel')
    monkeypatch.setattr(rule_type, '_update_numpy', no_numpy)

    expected = _reference(references, case, p0, grads, opt=opt)
    array_id = id(w.array)
    for g, e in zip(grads, expected):
        w.grad = g.copy()
        opt.update()
        assert w.array.dtype == dtype
        numpy.testing.assert_allclose(w.array, e, **_tol(dtype))
    assert id(w.array) == array_id  # updated in place
    assert opt.t == N_STEPS and w.update_rule.t == N_STEPS


@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
def test_steps_match_reference_float16(case, make_link, references):
    p0, grads = _data(numpy.float16)
    link, w = _one_param_link(make_link, p0)
    opt = _make(case).setup(link)

    expected = _reference(references, case, p0, grads, opt=opt)
    for g, e in zip(grads, expected):
        w.grad = g.copy()
        opt.update()
    assert w.array.dtype == numpy.float16
    for value in w.update_rule.state.values():
        assert value.dtype == numpy.float16
    numpy.testing.assert_allclose(w.array.astype(numpy.float64), expected[-1],
                                  **_tol(numpy.float16))


@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_non_contiguous(case, dtype, make_link, references, monkeypatch):
    p0, grads = _data(dtype)
    link, w = _one_param_link(make_link, p0)
    base = numpy.zeros((SHAPE[1], SHAPE[0]), dtype=dtype)
    base[...] = p0.T
    w.array = base.T  # a Fortran-ordered view: not C-contiguous
    assert not w.array.flags.c_contiguous
    opt = _make(case).setup(link)
    calls = []
    rule_type = type(w.update_rule)
    original = rule_type._update_numpy

    def spy(self, *args):
        calls.append(1)
        return original(self, *args)
    monkeypatch.setattr(rule_type, '_update_numpy', spy)

    expected = _reference(references, case, p0, grads, opt=opt)
    for g, e in zip(grads, expected):
        gbase = numpy.asfortranarray(g)
        w.grad = gbase
        opt.update()
        numpy.testing.assert_allclose(w.array, e, **_tol(dtype))
    assert len(calls) == N_STEPS
    assert numpy.shares_memory(w.array, base)  # still the same (strided) array


@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
def test_fused_and_numpy_paths_agree(case, make_link):
    p0, grads = _data(numpy.float64, seed=3)
    results = []
    for fused in (True, False):
        link, w = _one_param_link(make_link, p0.copy())
        opt = _make(case).setup(link)
        rule = w.update_rule
        if not fused:  # the kernel refuses every array: the NumPy path runs
            rule._update_kernel = lambda p, g, state: False
        for g in grads:
            w.grad = g.copy()
            opt.update()
        results.append((w.array.copy(), {k: v.copy() for k, v in rule.state.items()}))
    numpy.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12, atol=1e-14)
    for k in results[0][1]:
        numpy.testing.assert_allclose(results[0][1][k], results[1][1][k],
                                      rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
def test_state_names_and_dtype(case, make_link):
    p0, grads = _data(numpy.float32)
    link, w = _one_param_link(make_link, p0)
    opt = _make(case).setup(link)
    assert w.update_rule.state is None
    w.grad = grads[0]
    opt.update()
    state = w.update_rule.state
    assert sorted(state) == STATE_NAMES[case[1]]
    for value in state.values():
        assert value.shape == SHAPE and value.dtype == numpy.float32


# ---------------------------------------------------------------- hyperparameters

@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
def test_hyperparameter_change_reaches_every_rule(case, make_link, references):
    p0, grads = _data(numpy.float64)
    link = make_link({'a': p0.copy(), 'b': p0.copy(), 'c/d': p0.copy()})
    opt = _make(case).setup(link)
    name = RATE_NAME.get(case[1], 'lr')
    new_value = getattr(opt, name) * 0.5
    setattr(opt, name, new_value)
    assert getattr(opt.hyperparam, name) == new_value
    for param in link.params():
        assert getattr(param.update_rule.hyperparam, name) == new_value
    hp = _hp(opt)
    if 'initial_alpha' not in hp and case[1] in RATE_NAME and name == 'alpha':
        hp['initial_alpha'] = new_value / 0.5  # AdaBound scales final_lr by alpha
    expected = _reference(references, case, p0, grads, hp=hp)
    for g in grads:
        for param in link.params():
            param.grad = g.copy()
        opt.update()
    for param in link.params():
        numpy.testing.assert_allclose(param.array, expected[-1], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
def test_rule_can_override_a_hyperparameter(case, make_link):
    p0, grads = _data(numpy.float64)
    link = make_link({'a': p0.copy(), 'b': p0.copy()})
    opt = _make(case).setup(link)
    name = RATE_NAME.get(case[1], 'lr')
    override = 0.5 if name == 'rho' else 0.0
    setattr(link.b.update_rule.hyperparam, name, override)
    for g in grads:
        link.a.grad = g.copy()
        link.b.grad = g.copy()
        opt.update()
    assert getattr(link.a.update_rule.hyperparam, name) == getattr(opt, name)
    assert getattr(link.b.update_rule.hyperparam, name) == override
    assert not numpy.allclose(link.a.array, p0)
    assert not numpy.allclose(link.a.array, link.b.array)
    moves_anyway = (name == 'rho' or 'Bound' in case[1] or case[1] == 'MSVAG'
                    or 'weight_decay_rate' in case[2])
    if not moves_anyway:  # a zero step size freezes b
        numpy.testing.assert_array_equal(link.b.array, p0)


@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
def test_hyperparameter_changes_between_steps(case, make_link, references):
    # The rules read their hyperparameters at every step (the per-step fast path too):
    # the optimizer's value changed during training reaches every rule, a rule's own
    # value overrides it, and deleting that value makes the rule follow again.
    p0, grads = _data(numpy.float64)
    grads = grads + [g[::-1].copy() for g in grads]
    link = make_link({'a': p0.copy(), 'b': p0.copy()})
    opt = _make(case).setup(link)
    name = RATE_NAME.get(case[1], 'lr')
    base = getattr(opt, name)
    # per step: (the optimizer's value, b's own value or None), set before the step
    plan = [(base, None), (base, None), (base * 0.5, None), (base * 0.25, None),
            (base * 0.25, base * 0.75), (base * 0.5, base * 0.75), (base * 0.5, None),
            (base, None)]
    ref = references[case[3]]
    hp = _hp(opt)
    hp.setdefault('initial_alpha', base)  # AdaBound scales final_lr by alpha / initial
    expected = {'a': p0.copy(), 'b': p0.copy()}
    ref_states = {k: ref.init(p0.shape) for k in expected}
    for t, (g, (opt_value, b_value)) in enumerate(zip(grads, plan), 1):
        if t % 2:
            setattr(opt, name, opt_value)  # through the optimizer's proxy property
        else:
            setattr(opt.hyperparam, name, opt_value)
        b_hp = link.b.update_rule.hyperparam
        if b_value is not None:
            setattr(b_hp, name, b_value)
        elif name in b_hp.__dict__:
            delattr(b_hp, name)
        link.a.grad = g.copy()
        link.b.grad = g.copy()
        opt.update()
        for key, value in (('a', opt_value), ('b', b_value or opt_value)):
            expected[key] = ref.step(expected[key], g, ref_states[key], t,
                                     dict(hp, **{name: value}))
        numpy.testing.assert_allclose(link.a.array, expected['a'], rtol=1e-10, atol=1e-12)
        numpy.testing.assert_allclose(link.b.array, expected['b'], rtol=1e-10, atol=1e-12)
    assert link.a.update_rule.t == len(plan) and link.b.update_rule.t == len(plan)


def test_sgd_learning_rate_change_is_exact(make_link):
    # float32 SGD is exact arithmetic (p - float32(lr) * g): compare bit for bit
    p0 = numpy.linspace(-1, 1, 6, dtype=numpy.float32)
    g = numpy.linspace(0.5, -0.25, 6, dtype=numpy.float32)
    link = make_link({'a': p0.copy(), 'b': p0.copy()})
    opt = optimizers.SGD(lr=0.1).setup(link)
    expected_a, expected_b = p0.copy(), p0.copy()
    for lr, b_lr in ((0.1, None), (0.1, None), (0.3, None), (0.3, 0.7), (0.05, 0.7)):
        opt.lr = lr
        if b_lr is not None:
            link.b.update_rule.hyperparam.lr = b_lr
        link.a.grad = g.copy()
        link.b.grad = g.copy()
        opt.update()
        expected_a -= numpy.float32(lr) * g
        expected_b -= numpy.float32(b_lr or lr) * g
        numpy.testing.assert_array_equal(link.a.array, expected_a)
        numpy.testing.assert_array_equal(link.b.array, expected_b)


@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
def test_refused_fast_path_counts_each_step_once(case, make_link, references):
    # Once its state exists, a rule tries its kernel first; a non-contiguous parameter
    # is refused there and takes the general path, which must not count the step twice
    # (Adam's and M-SVAG's steps depend on t).
    p0, grads = _data(numpy.float64)
    link, w = _one_param_link(make_link, p0)
    w.array = numpy.asfortranarray(p0)
    opt = _make(case).setup(link)
    expected = _reference(references, case, p0, grads, opt=opt)
    for t, (g, e) in enumerate(zip(grads, expected), 1):
        w.grad = numpy.asfortranarray(g)
        opt.update()
        assert w.update_rule.t == t
        numpy.testing.assert_allclose(w.array, e, **_tol(numpy.float64))


def test_fast_path_calls_only_the_kernel(make_link, monkeypatch):
    # the common step does not run the rule's checks (the kernel checks the arrays)
    p0, grads = _data(numpy.float32)
    link, w = _one_param_link(make_link, p0)
    opt = optimizers.Adam().setup(link)
    w.grad = grads[0]
    opt.update()  # creates the state (general path)
    rule_type = type(w.update_rule)

    def fail(*args):
        raise AssertionError('the general path ran')
    monkeypatch.setattr(rule_type, '_check', fail)
    monkeypatch.setattr(rule_type, 'update_core', fail)
    before = w.array.copy()
    w.grad = grads[1]
    opt.update()
    assert not numpy.array_equal(w.array, before)
    assert w.update_rule.t == 2


@pytest.mark.parametrize('cls_name,expected', [
    ('SGD', {'lr': 0.01}),
    ('MomentumSGD', {'lr': 0.01, 'momentum': 0.9}),
    ('NesterovAG', {'lr': 0.01, 'momentum': 0.9}),
    ('CorrectedMomentumSGD', {'lr': 0.01, 'momentum': 0.9}),
    ('AdaGrad', {'lr': 0.001, 'eps': 1e-8}),
    ('AdaDelta', {'rho': 0.95, 'eps': 1e-6}),
    ('RMSprop', {'lr': 0.01, 'alpha': 0.99, 'eps': 1e-8, 'eps_inside_sqrt': False}),
    ('RMSpropGraves', {'lr': 1e-4, 'alpha': 0.95, 'momentum': 0.9, 'eps': 1e-4}),
    ('Adam', {'alpha': 0.001, 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-8, 'eta': 1.0,
              'weight_decay_rate': 0, 'amsgrad': False, 'adabound': False,
              'final_lr': 0.1, 'gamma': 1e-3}),
    ('AdamW', {'alpha': 0.001, 'weight_decay_rate': 0, 'amsgrad': False,
               'adabound': False, 'eta': 1.0}),
    ('AMSGrad', {'alpha': 0.001, 'amsgrad': True, 'adabound': False}),
    ('AdaBound', {'alpha': 0.001, 'amsgrad': False, 'adabound': True,
                  'final_lr': 0.1, 'gamma': 1e-3}),
    ('AMSBound', {'amsgrad': True, 'adabound': True}),
    ('SMORMS3', {'lr': 0.001, 'eps': 1e-16}),
    ('MSVAG', {'lr': 0.1, 'beta': 0.9, 'eta': 1.0, 'weight_decay_rate': 0}),
])
def test_default_hyperparameters(cls_name, expected):
    opt = getattr(optimizers, cls_name)()
    hp = opt.hyperparam.get_dict()
    for key, value in expected.items():
        assert hp[key] == value, key
        assert getattr(opt, key) == value, key
    # a rule created without a parent falls back to the same defaults
    rule = opt.create_update_rule().__class__()
    for key, value in expected.items():
        if cls_name in ('AMSGrad', 'AdaBound', 'AMSBound') and key in (
                'amsgrad', 'adabound'):
            continue  # the variants set these on the optimizer, not as defaults
        assert getattr(rule.hyperparam, key) == value, key


# ---------------------------------------------------------------- serialization

@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
def test_serialize_and_resume(case, make_link, dict_io):
    p0, grads = _data(numpy.float32)
    grads = grads + [g[::-1].copy() for g in grads]
    link = make_link({'l1/W': p0.copy(), 'l1/b': p0[0].copy()})
    opt = _make(case).setup(link)
    for g in grads[:3]:
        link.l1.W.grad = g.copy()
        link.l1.b.grad = g[1].copy()
        opt.update()
    opt.new_epoch()

    saved_link, saved_opt = {}, {}
    link.serialize(dict_io.Serializer(saved_link))
    opt.serialize(dict_io.Serializer(saved_opt))
    states = STATE_NAMES[case[1]]
    expected_keys = {'t', 'epoch'}
    for p in ('l1/W', 'l1/b'):
        expected_keys |= {p + '/t'} | {p + '/' + s for s in states}
    assert set(saved_opt) == expected_keys
    assert saved_opt['t'] == 3 and saved_opt['epoch'] == 1 and saved_opt['l1/W/t'] == 3

    # a fresh model and optimizer resume from the snapshot
    link2 = make_link({'l1/W': numpy.zeros_like(p0), 'l1/b': numpy.zeros_like(p0[0])})
    link2.serialize(dict_io.Deserializer(saved_link))
    opt2 = _make(case).setup(link2)
    opt2.serialize(dict_io.Deserializer(saved_opt))
    assert opt2.t == 3 and opt2.epoch == 1 and link2.l1.W.update_rule.t == 3
    for g in grads[3:]:
        for lk in (link, link2):
            lk.l1.W.grad = g.copy()
            lk.l1.b.grad = g[1].copy()
        opt.update()
        opt2.update()
    numpy.testing.assert_array_equal(link2.l1.W.array, link.l1.W.array)
    numpy.testing.assert_array_equal(link2.l1.b.array, link.l1.b.array)
    for name in states:
        numpy.testing.assert_array_equal(link2.l1.W.update_rule.state[name],
                                         link.l1.W.update_rule.state[name])


@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
@pytest.mark.parametrize('how', ['deepcopy', 'pickle'])
def test_copied_optimizer_continues_and_follows_its_own_hyperparameters(case, how,
                                                                        make_link):
    import copy
    import pickle
    p0, grads = _data(numpy.float32)
    link = make_link({'w': p0.copy()})
    opt = _make(case).setup(link)
    for g in grads[:2]:
        link.w.grad = g.copy()
        opt.update()
    if how == 'deepcopy':
        link2, opt2 = copy.deepcopy((link, opt))
    else:
        link2, opt2 = pickle.loads(pickle.dumps((link, opt)))
    assert link2.w.update_rule.hyperparam.parent is opt2.hyperparam
    for g in grads[2:]:
        for lk, op in ((link, opt), (link2, opt2)):
            lk.w.grad = g.copy()
            op.update()
    numpy.testing.assert_array_equal(link2.w.array, link.w.array)
    # the copy's rules follow the copy's optimizer, not the original's
    name = RATE_NAME.get(case[1], 'lr')
    setattr(opt2, name, getattr(opt, name) * 0.5)
    for lk in (link, link2):
        lk.w.grad = grads[0].copy()
    opt.update()
    opt2.update()
    assert not numpy.array_equal(link2.w.array, link.w.array)


@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
def test_serialize_into_initialized_state(case, make_link, dict_io):
    # loading into rules whose state exists already copies in place
    p0, grads = _data(numpy.float64)
    link = make_link({'w': p0.copy()})
    opt = _make(case).setup(link)
    link.w.grad = grads[0].copy()
    opt.update()
    saved = {}
    opt.serialize(dict_io.Serializer(saved))
    link.w.grad = grads[1].copy()
    opt.update()
    state_before = {k: v for k, v in link.w.update_rule.state.items()}
    opt.serialize(dict_io.Deserializer(saved))
    assert opt.t == 1 and link.w.update_rule.t == 1
    for k, v in link.w.update_rule.state.items():
        assert v is state_before[k]
        numpy.testing.assert_array_equal(v, saved['w/' + k])


# ---------------------------------------------------------------- toy problem

_TOY = {  # constructor kwargs, number of steps, loss factor
    'SGD': ({'lr': 0.2}, 200, 1.0),
    'MomentumSGD': ({'lr': 0.05}, 200, 1.0),
    'NesterovAG': ({'lr': 0.05}, 200, 1.0),
    'CorrectedMomentumSGD': ({'lr': 0.05}, 200, 1.0),
    'AdaGrad': ({'lr': 0.5}, 300, 1.0),
    # near the optimum ADADELTA is gradient descent with step 1: the Hessian's largest
    # eigenvalue (2.36) must be scaled below 2
    'AdaDelta': ({'rho': 0.9, 'eps': 1e-2}, 300, 0.3),
    'RMSprop': ({'lr': 0.01, 'alpha': 0.9}, 400, 1.0),
    'RMSpropGraves': ({'lr': 0.005}, 400, 1.0),
    'Adam': ({'alpha': 0.05}, 400, 1.0),
    'AdamW': ({'alpha': 0.05}, 400, 1.0),
    'AMSGrad': ({'alpha': 0.05}, 400, 1.0),
    'AdaBound': ({'alpha': 0.05, 'final_lr': 0.1}, 400, 1.0),
    'AMSBound': ({'alpha': 0.05, 'final_lr': 0.1}, 400, 1.0),
    'SMORMS3': ({'lr': 0.05}, 400, 1.0),
    'MSVAG': ({'lr': 0.1}, 300, 1.0),
}


@pytest.mark.parametrize('cls_name', sorted(_TOY))
def test_solves_least_squares(cls_name, make_link):
    rng = numpy.random.RandomState(1)
    a = rng.uniform(-1, 1, (8, 3))
    a[:3] += 2 * numpy.eye(3)  # well conditioned
    w_true = numpy.array([[1.0], [-2.0], [0.5]])
    b = a @ w_true
    link = make_link({'w': numpy.zeros((3, 1))})
    kwargs, steps, factor = _TOY[cls_name]
    opt = getattr(optimizers, cls_name)(**kwargs).setup(link)
    av = kusari.Variable(a)

    def lossfun():
        r = av @ link.w - b
        return (r.T @ r).reshape(()) * (factor / len(a))

    first = float(lossfun().array)
    for _ in range(steps):
        opt.update(lossfun)
    last = float(lossfun().array)
    assert last < 1e-3 * first, (first, last)
    numpy.testing.assert_allclose(link.w.array, w_true, atol=0.02)


# ---------------------------------------------------------------- update(lossfun), epochs

def test_update_with_lossfun_and_new_epoch(make_link):
    link = make_link({'w': numpy.array([1.0, 2.0])})
    opt = optimizers.SGD(lr=0.25).setup(link)
    calls = []

    def lossfun(x, scale=1.0):
        calls.append((x, scale))
        return ((link.w * link.w).reshape((1, 2)) @ kusari.Variable(
            numpy.full((2, 1), scale))).reshape(()) * x

    link.w.grad = numpy.array([100.0, 100.0])  # stale gradient: cleared by update
    opt.update(lossfun, 1.0, scale=0.5)
    assert calls == [(1.0, 0.5)]
    # d/dw (0.5 * w.w) = w
    numpy.testing.assert_allclose(link.w.array, [0.75, 1.5])
    assert opt.t == 1
    assert opt.epoch == 0
    opt.new_epoch()
    assert opt.epoch == 1
    opt.use_auto_new_epoch = True
    opt.new_epoch(auto=True)
    assert opt.epoch == 2
    with pytest.raises(RuntimeError):
        opt.new_epoch()


def test_update_skips_parameter_without_grad_rule_disabled(make_link):
    link = make_link({'a': numpy.ones(2), 'b': numpy.ones(2)})
    opt = optimizers.MomentumSGD(lr=0.5).setup(link)
    link.b.update_rule.enabled = False
    link.a.grad = numpy.ones(2)
    link.b.grad = numpy.ones(2)
    opt.update()
    numpy.testing.assert_allclose(link.a.array, [0.5, 0.5])
    numpy.testing.assert_array_equal(link.b.array, [1.0, 1.0])
    assert link.b.update_rule.state is None


# ---------------------------------------------------------------- float16

@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
def test_use_fp32_update(case, make_link, references):
    p0, grads = _data(numpy.float16)
    link, w = _one_param_link(make_link, p0)
    opt = _make(case).setup(link)
    opt.use_fp32_update()
    expected = _reference(references, case, p0, grads, opt=opt)
    for g in grads:
        w.grad = g.copy()
        opt.update()
    assert w.array.dtype == numpy.float16
    master = w.update_rule._fp32_param
    assert master.array.dtype == numpy.float32
    for value in w.update_rule.state.values():
        assert value.dtype == numpy.float32
    # float32 arithmetic (MSVAG's variance estimate cancels digits: atol 1e-4)
    numpy.testing.assert_allclose(master.array, expected[-1], rtol=1e-3, atol=1e-4)
    numpy.testing.assert_array_equal(w.array, master.array.astype(numpy.float16))


def test_fp32_update_accumulates_small_steps(make_link):
    for fp32, moved in ((False, False), (True, True)):
        link = make_link({'w': numpy.ones(4, dtype=numpy.float16)})
        opt = optimizers.SGD(lr=1e-4)
        if fp32:
            opt.use_fp32_update()
        opt.setup(link)
        for _ in range(20):
            link.w.grad = numpy.ones(4, dtype=numpy.float16)
            opt.update()
        # each step (1e-4) is below half the float16 spacing at 1 (4.9e-4)
        assert bool((link.w.array != 1).all()) is moved


# ---------------------------------------------------------------- loss scaling

@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
@pytest.mark.parametrize('dynamic', [False, True])
def test_loss_scaling(case, dynamic, make_link):
    p0, _ = _data(numpy.float64)
    results = []
    for scaled in (False, True):
        link = make_link({'w': p0.copy()})
        opt = _make(case).setup(link)
        if scaled:
            if dynamic:
                opt.loss_scaling()
            else:
                opt.loss_scaling(scale=1024.0)
        target = kusari.Variable(numpy.linspace(-1, 1, p0.size).reshape(p0.shape))

        def lossfun():
            d = (link.w - target).reshape((1, p0.size))
            return (d @ d.T).reshape(())

        for _ in range(3):
            opt.update(lossfun)
        results.append(link.w.array.copy())
        if scaled:
            assert link.w.grad is not None
            assert getattr(link.w, '_loss_scale', None) is None  # cleared by the rule
    numpy.testing.assert_allclose(results[1], results[0], rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
def test_state_of_wrong_shape_is_rejected(case, make_link, dict_io):
    if not STATE_NAMES[case[1]]:
        pytest.skip('no state')
    p0, grads = _data(numpy.float32)
    link = make_link({'w': p0.copy()})
    opt = _make(case).setup(link)
    link.w.grad = grads[0]
    opt.update()
    saved = {}
    opt.serialize(dict_io.Serializer(saved))
    # a snapshot of another model, loaded into a rule that has no state yet
    link2 = make_link({'w': numpy.zeros((5,), numpy.float32)})
    opt2 = _make(case).setup(link2)
    opt2.serialize(dict_io.Deserializer(saved))
    link2.w.grad = numpy.ones(5, numpy.float32)
    before = link2.w.array.copy()
    rule_name = type(link2.w.update_rule).__name__
    with pytest.raises(ValueError, match=rule_name + r'\.update.*state .*shape'):
        opt2.update()
    numpy.testing.assert_array_equal(link2.w.array, before)


@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
def test_integer_parameter_is_rejected(case, make_link):
    link = make_link({'w': numpy.arange(4, dtype=numpy.int32)})
    opt = _make(case).setup(link)
    link.w.grad = numpy.ones(4, dtype=numpy.int32)
    rule_name = type(link.w.update_rule).__name__
    with pytest.raises(type_check.InvalidType, match=rule_name + r'\.update.*int32'):
        opt.update()
    numpy.testing.assert_array_equal(link.w.array, numpy.arange(4))


def test_gradient_of_wrong_shape_is_rejected(make_link):
    # Variable.grad rejects it already; a rule called directly checks again
    link = make_link({'w': numpy.zeros((2, 3))})
    optimizers.Adam().setup(link)
    rule = link.w.update_rule

    class Fake:
        name = 'w'
        array = numpy.zeros((2, 3))
        grad = numpy.zeros((3, 2))
        dtype = array.dtype
    rule._state = {}
    rule.init_state(Fake)
    rule.t = 1
    with pytest.raises(ValueError, match=r'AdamRule\.update.*gradient has shape'):
        rule.update_core_cpu(Fake)


# ---------------------------------------------------------------- GPU

@pytest.mark.gpu
@pytest.mark.parametrize('case', CASES, ids=CASE_IDS)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_gpu_matches_cpu(case, dtype, make_link):
    import cupy
    p0, grads = _data(dtype)
    results = []
    for gpu in (False, True):
        link, w = _one_param_link(make_link, p0.copy())
        if gpu:
            link.to_gpu()
        opt = _make(case).setup(link)
        for g in grads:
            w.grad = cupy.asarray(g) if gpu else g.copy()
            opt.update()
        results.append(cupy.asnumpy(w.array))
        if gpu:
            for value in w.update_rule.state.values():
                assert isinstance(value, cupy.ndarray)
    tol = _tol(dtype) if dtype != numpy.float64 else {'rtol': 1e-9, 'atol': 1e-11}
    numpy.testing.assert_allclose(results[1].astype(numpy.float64),
                                  results[0].astype(numpy.float64), **tol)
