import warnings

import numpy
import pytest

import kusari
from kusari import optimizer as optimizer_module
from kusari import serializer as serializer_module
from kusari import testing


# ------------------------------------------------------------------ helpers

class _DictSerializer(serializer_module.Serializer):

    def __init__(self, target=None, path=''):
        self.target = {} if target is None else target
        self.path = path

    def __getitem__(self, key):
        return _DictSerializer(self.target, self.path + key.strip('/') + '/')

    def __call__(self, key, value):
        self.target[self.path + key] = (
            value.copy() if isinstance(value, numpy.ndarray) else value)
        return value


class _DictDeserializer(serializer_module.Deserializer):

    def __init__(self, target, path=''):
        self.target = target
        self.path = path

    def __getitem__(self, key):
        return _DictDeserializer(self.target, self.path + key.strip('/') + '/')

    def __call__(self, key, value):
        loaded = self.target[self.path + key]
        if value is None:
            return loaded
        if isinstance(value, numpy.ndarray):
            numpy.copyto(value, loaded)
            return value
        return type(value)(loaded)


class _SGDRule(kusari.UpdateRule):
    """param -= lr * grad."""

    def update_core_cpu(self, param):
        param.array -= self.hyperparam.lr * param.grad


class _MomentumRule(kusari.UpdateRule):
    """v = momentum * v - lr * grad; param += v  (has a state)."""

    def init_state(self, param):
        self.state['v'] = numpy.zeros_like(param.array)

    def update_core_cpu(self, param):
        v = self.state['v']
        v *= self.hyperparam.momentum
        v -= self.hyperparam.lr * param.grad
        param.array += v


class _SGD(kusari.GradientMethod):
    lr = optimizer_module.HyperparameterProxy('lr')

    def __init__(self, lr=0.1):
        super().__init__()
        self.hyperparam.lr = lr

    def create_update_rule(self):
        return _SGDRule(self.hyperparam)


class _Momentum(kusari.GradientMethod):
    lr = optimizer_module.HyperparameterProxy('lr')
    momentum = optimizer_module.HyperparameterProxy('momentum')

    def __init__(self, lr=0.1, momentum=0.9):
        super().__init__()
        self.hyperparam.lr = lr
        self.hyperparam.momentum = momentum

    def create_update_rule(self):
        return _MomentumRule(self.hyperparam)


class _Affine(kusari.Link):
    def __init__(self, n, dtype=numpy.float32):
        super().__init__()
        with self.init_scope():
            self.W = kusari.Parameter(numpy.linspace(0.5, 1.5, n).astype(dtype))
            self.b = kusari.Parameter(numpy.zeros(n, dtype))

    def forward(self, x):
        return x * self.W + self.b


class _Model(kusari.Chain):
    def __init__(self, dtype=numpy.float32):
        super().__init__()
        with self.init_scope():
            self.l1 = _Affine(3, dtype)
            self.l2 = _Affine(3, dtype)

    def forward(self, x):
        return self.l2(self.l1(x))


def _loss(model, x):
    y = model(x)
    yy = y * y
    return yy[0] + yy[1] + yy[2]


def _param(values, dtype=numpy.float32, grad=None):
    p = kusari.Parameter(numpy.array(values, dtype))
    if grad is not None:
        p.grad = numpy.array(grad, dtype)
    return p


# ------------------------------------------------------------------ Hyperparameter

def test_hyperparameter_parent_lookup_and_override():
    parent = optimizer_module.Hyperparameter()
    parent.lr = 0.1
    parent.momentum = 0.9
    child = optimizer_module.Hyperparameter(parent)
    assert child.parent is parent
    assert child.lr == 0.1
    parent.lr = 0.01
    assert child.lr == 0.01
    child.lr = 0.5
    assert child.lr == 0.5 and parent.lr == 0.01
    assert child.get_dict() == {'lr': 0.5, 'momentum': 0.9}
    assert parent.get_dict() == {'lr': 0.01, 'momentum': 0.9}
    assert repr(child) == 'Hyperparameter(lr=0.5, momentum=0.9)'


def test_hyperparameter_missing_attribute():
    hp = optimizer_module.Hyperparameter(optimizer_module.Hyperparameter())
    with pytest.raises(AttributeError, match='eps'):
        hp.eps
    assert not hasattr(hp, 'eps')


def test_hyperparameter_copy():
    import copy
    parent = optimizer_module.Hyperparameter()
    parent.lr = 1
    hp = optimizer_module.Hyperparameter(parent)
    hp2 = copy.deepcopy(hp)
    assert hp2.lr == 1


def _chain():
    root = optimizer_module.Hyperparameter()
    root.lr, root.eps, root.beta = 0.1, 1e-8, 0.9
    middle = optimizer_module.Hyperparameter(root)
    middle.eps = 1e-6
    leaf = optimizer_module.Hyperparameter(middle)
    leaf.beta = 0.5
    return root, middle, leaf


def test_get_hyperparameter_follows_the_parents():
    root, middle, leaf = _chain()
    get = optimizer_module.get_hyperparameter
    for hp in (root, middle, leaf):
        for name in ('lr', 'eps', 'beta'):
            assert get(hp, name) == getattr(hp, name)
    assert (get(leaf, 'lr'), get(leaf, 'eps'), get(leaf, 'beta')) == (0.1, 1e-6, 0.5)
    root.lr = 0.2                      # a change of a parent reaches the children
    assert get(leaf, 'lr') == 0.2 and leaf.lr == 0.2
    leaf.lr = 0.3                      # an entry of the child overrides it
    assert get(leaf, 'lr') == 0.3 and get(middle, 'lr') == 0.2
    del leaf.lr
    assert get(leaf, 'lr') == 0.2
    with pytest.raises(AttributeError, match="'momentum' is not defined"):
        get(leaf, 'momentum')
    with pytest.raises(AttributeError, match="'momentum' is not defined"):
        leaf.momentum


def test_get_hyperparameters_in_order():
    root, middle, leaf = _chain()
    gets = optimizer_module.get_hyperparameters
    names = ('beta', 'lr', 'eps', 'lr')
    for hp in (root, middle, leaf):
        assert gets(hp, names) == [getattr(hp, n) for n in names]
    child = optimizer_module.Hyperparameter(root)   # the rules' case: one parent
    child.eps = 0.5
    assert gets(child, ('lr', 'eps', 'beta')) == [0.1, 0.5, 0.9]
    assert gets(child, ()) == []
    with pytest.raises(AttributeError, match="'gamma' is not defined"):
        gets(child, ('lr', 'gamma'))


def test_get_hyperparameter_on_copies():
    import copy
    import pickle
    root, _, leaf = _chain()
    for clone in (copy.deepcopy(leaf), pickle.loads(pickle.dumps(leaf))):
        assert optimizer_module.get_hyperparameters(clone, ('lr', 'eps', 'beta')) == [
            0.1, 1e-6, 0.5]
        clone.parent.parent.lr = 7.0   # the clone has its own parents
        assert optimizer_module.get_hyperparameter(clone, 'lr') == 7.0
    assert optimizer_module.get_hyperparameter(leaf, 'lr') == 0.1


# ------------------------------------------------------------------ UpdateRule

def test_update_rule_updates_and_counts():
    hp = optimizer_module.Hyperparameter()
    hp.lr = 0.5
    rule = _SGDRule(hp)
    p = _param([1., 2.], grad=[1., -2.])
    rule.update(p)
    testing.assert_allclose(p.array, [0.5, 3.0])
    assert rule.t == 1
    assert rule.state == {}


def test_update_rule_skips_none_grad_and_disabled():
    hp = optimizer_module.Hyperparameter()
    hp.lr = 1.0
    rule = _SGDRule(hp)
    p = _param([1., 2.])
    rule.update(p)
    assert rule.t == 0
    testing.assert_allclose(p.array, [1., 2.])
    p.grad = numpy.ones(2, numpy.float32)
    rule.enabled = False
    rule.update(p)
    assert rule.t == 0
    testing.assert_allclose(p.array, [1., 2.])


def test_update_rule_lazy_state():
    hp = optimizer_module.Hyperparameter()
    hp.lr = 1.0
    hp.momentum = 0.5
    rule = _MomentumRule(hp)
    assert rule.state is None
    p = _param([0., 0.], grad=[1., 1.])
    rule.update(p)
    assert set(rule.state) == {'v'}
    testing.assert_allclose(rule.state['v'], [-1., -1.])
    rule.update(p)
    testing.assert_allclose(rule.state['v'], [-1.5, -1.5])
    testing.assert_allclose(p.array, [-2.5, -2.5])


def test_update_rule_hooks_pre_post_and_order():
    hp = optimizer_module.Hyperparameter()
    hp.lr = 1.0
    rule = _SGDRule(hp)
    calls = []

    def pre1(r, param):
        calls.append(('pre1', float(param.array[0])))

    def pre2(r, param):
        calls.append(('pre2', float(param.array[0])))

    class Post:
        timing = 'post'
        name = 'post_hook'

        def __call__(self, r, param):
            calls.append(('post', float(param.array[0])))

    rule.add_hook(pre1)
    rule.add_hook(Post())
    rule.add_hook(pre2, name='second')
    p = _param([1.], grad=[1.])
    rule.update(p)
    assert calls == [('pre1', 1.0), ('pre2', 1.0), ('post', 0.0)]

    with pytest.raises(ValueError, match='already exists'):
        rule.add_hook(pre1)
    with pytest.raises(ValueError, match='timing'):
        rule.add_hook(lambda r, p: None, name='x', timing='middle')
    with pytest.raises(TypeError):
        rule.add_hook(3, name='y')

    rule.remove_hook('pre1')
    rule.remove_hook('post_hook')
    with pytest.raises(KeyError):
        rule.remove_hook('nothing')
    calls.clear()
    rule.update(p)
    assert calls == [('pre2', 0.0)]


def test_update_rule_explicit_timing_overrides_attribute():
    rule = _SGDRule(optimizer_module.Hyperparameter())
    rule.hyperparam.lr = 1.0
    seen = []

    class Hook:
        timing = 'pre'
        name = 'h'

        def __call__(self, r, param):
            seen.append(float(param.array[0]))

    rule.add_hook(Hook(), timing='post')
    rule.update(_param([2.], grad=[1.]))
    assert seen == [1.0]


def test_update_rule_hook_that_modifies_grad():
    rule = _SGDRule(optimizer_module.Hyperparameter())
    rule.hyperparam.lr = 1.0

    def clip(r, param):
        numpy.clip(param.grad, -0.1, 0.1, out=param.grad)

    rule.add_hook(clip)
    p = _param([0., 0.], grad=[5., -5.])
    rule.update(p)
    testing.assert_allclose(p.array, [-0.1, 0.1])


def test_update_rule_not_implemented():
    rule = kusari.UpdateRule()
    with pytest.raises(NotImplementedError):
        rule.update(_param([1.], grad=[1.]))


def test_update_rule_serialize_roundtrip():
    hp = optimizer_module.Hyperparameter()
    hp.lr = 1.0
    hp.momentum = 0.5
    rule = _MomentumRule(hp)
    p = _param([0., 0.], grad=[1., 2.])
    rule.update(p)
    rule.update(p)
    store = {}
    rule.serialize(_DictSerializer(store))
    assert set(store) == {'t', 'v'}
    assert store['t'] == 2

    rule2 = _MomentumRule(hp)
    assert rule2.state is None
    rule2.serialize(_DictDeserializer(store))
    assert rule2.t == 2
    testing.assert_allclose(rule2.state['v'], rule.state['v'])

    # loading into an initialized state copies in place
    rule3 = _MomentumRule(hp)
    rule3.update(_param([0., 0.], grad=[0., 0.]))
    v_obj = rule3.state['v']
    rule3.serialize(_DictDeserializer(store))
    assert rule3.state['v'] is v_obj
    testing.assert_allclose(v_obj, rule.state['v'])


def test_update_rule_deserialize_missing_state_keys():
    hp = optimizer_module.Hyperparameter()
    rule = _MomentumRule(hp)
    with pytest.raises(KeyError):
        rule.serialize(_DictDeserializer({'t': 3}))
    rule = _MomentumRule(hp)
    rule.enabled = False
    rule.serialize(_DictDeserializer({'t': 3}))
    assert rule.t == 3
    assert rule.state is None


def test_update_rule_fp32_update_accumulates_small_steps():
    hp = optimizer_module.Hyperparameter()
    hp.lr = 1e-4
    p16 = _param([1.0], dtype=numpy.float16)
    plain = _param([1.0], dtype=numpy.float16)
    rule = _SGDRule(hp)
    rule.use_fp32_update()
    rule_plain = _SGDRule(hp)
    for _ in range(10):
        p16.grad = numpy.ones(1, numpy.float16)
        plain.grad = numpy.ones(1, numpy.float16)
        rule.update(p16)
        rule_plain.update(plain)
    assert p16.dtype == numpy.float16
    # 1 - 10 * 1e-4 = 0.999 in fp32, rounds to fp16 0.999 (not 1.0)
    assert float(p16.array[0]) < 1.0
    assert float(plain.array[0]) == 1.0  # each fp16 step is rounded away
    testing.assert_allclose(rule._fp32_param.array, [0.999], atol=1e-6)
    assert rule._fp32_param.dtype == numpy.float32


def test_update_rule_divides_loss_scaled_grad():
    hp = optimizer_module.Hyperparameter()
    hp.lr = 1.0
    rule = _SGDRule(hp)
    p = _param([1., 2.])
    loss = (p * p)[0] + (p * p)[1]
    loss.backward(loss_scale=8.0)
    testing.assert_allclose(p.grad, [16., 32.])
    rule.update(p)
    # grad was unscaled to [2, 4] before the step
    testing.assert_allclose(p.grad, [2., 4.])
    testing.assert_allclose(p.array, [-1., -2.])


# ------------------------------------------------------- Optimizer / GradientMethod

def test_setup_returns_self_and_assigns_rules():
    model = _Model()
    opt = _SGD(lr=0.1)
    assert opt.setup(model) is opt
    assert opt.target is model
    assert opt.t == 0 and opt.epoch == 0
    rules = [p.update_rule for p in model.params()]
    assert len(rules) == 4
    assert all(isinstance(r, _SGDRule) for r in rules)
    assert len({id(r) for r in rules}) == 4


def test_setup_requires_link():
    with pytest.raises(TypeError, match='link'):
        _SGD().setup(object())


def test_hyperparameter_reaches_rules():
    model = _Model()
    opt = _SGD(lr=0.1).setup(model)
    opt.lr = 0.25
    assert opt.hyperparam.lr == 0.25
    for p in model.params():
        assert p.update_rule.hyperparam.lr == 0.25
    model.l1.W.update_rule.hyperparam.lr = 0
    opt.lr = 0.5
    assert model.l1.W.update_rule.hyperparam.lr == 0
    assert model.l1.b.update_rule.hyperparam.lr == 0.5


def test_update_from_computed_grads():
    model = _Model()
    opt = _SGD(lr=0.1).setup(model)
    params = {name: p.array.copy() for name, p in model.namedparams()}
    for p in model.params():
        p.grad = numpy.ones_like(p.array)
    opt.update()
    assert opt.t == 1
    for name, p in model.namedparams():
        testing.assert_allclose(p.array, params[name] - 0.1)


def test_update_with_lossfun_clears_and_backprops():
    model = _Model()
    opt = _SGD(lr=0.01).setup(model)
    x = kusari.Variable(numpy.array([1., 2., 3.], numpy.float32))
    # stale gradients must be cleared by update(lossfun)
    for p in model.params():
        p.grad = numpy.full_like(p.array, 100.)
    W1 = model.l1.W.array.copy()
    W2 = model.l2.W.array.copy()
    opt.update(_loss, model, x)
    # y = W2 * (W1 * x) (biases are 0); dL/dW1 = 2 y W2 x
    y = W2 * W1 * x.array
    expected_gW1 = 2 * y * W2 * x.array
    testing.assert_allclose(model.l1.W.grad, expected_gW1, rtol=1e-5)
    testing.assert_allclose(model.l1.W.array, W1 - 0.01 * expected_gW1, rtol=1e-5)
    assert opt.t == 1


def test_update_reallocates_cleared_grads():
    model = _Model()
    opt = _SGD(lr=1.0).setup(model)
    model.cleargrads()
    before = model.l1.W.array.copy()
    opt.update()
    for p in model.params():
        assert p.grad is not None
        testing.assert_allclose(p.grad, numpy.zeros_like(p.array))
    testing.assert_allclose(model.l1.W.array, before)


def test_update_skips_uninitialized_params():
    model = kusari.Link()
    with model.init_scope():
        model.W = kusari.Parameter()
        model.b = kusari.Parameter(numpy.zeros(2, numpy.float32))
    opt = _SGD().setup(model)
    model.b.grad = numpy.ones(2, numpy.float32)
    opt.update()
    assert model.W.array is None
    testing.assert_allclose(model.b.array, [-0.1, -0.1])


def test_optimizer_hooks_timing_and_call_for_each_param():
    model = _Model()
    opt = _SGD(lr=1.0).setup(model)
    log = []

    def pre(o):
        log.append(('pre', o.t))

    class Post:
        name = 'post'
        timing = 'post'

        def __call__(self, o):
            log.append(('post', o.t))

    class EachParam:
        name = 'each'
        timing = 'pre'
        call_for_each_param = True

        def __call__(self, rule, param):
            log.append(('each', param.name))
            param.grad *= 0

    opt.add_hook(pre, name='pre', timing='pre')
    opt.add_hook(Post())
    opt.add_hook(EachParam())
    for p in model.params():
        p.grad = numpy.ones_like(p.array)
    before = model.l1.W.array.copy()
    opt.update()
    assert log[0] == ('pre', 0)
    assert [e for e in log if e[0] == 'each'] and len(log) == 6
    assert log[-1] == ('post', 1)
    testing.assert_allclose(model.l1.W.array, before)  # grads zeroed by the hook

    opt.remove_hook('post')
    opt.remove_hook('each')
    with pytest.raises(KeyError):
        opt.remove_hook('post')
    log.clear()
    opt.update()
    assert log == [('pre', 1)]


def test_optimizer_add_hook_errors():
    opt = _SGD()
    with pytest.raises(RuntimeError, match='setup'):
        opt.add_hook(lambda o: None, name='x')
    opt.setup(_Model())
    with pytest.raises(TypeError):
        opt.add_hook(1, name='x')
    opt.add_hook(lambda o: None, name='x', timing='pre')
    with pytest.raises(KeyError, match='already exists'):
        opt.add_hook(lambda o: None, name='x', timing='post')
    with pytest.raises(ValueError, match='timing'):
        opt.add_hook(lambda o: None, name='y', timing='whenever')
    with pytest.warns(UserWarning, match='timing'):
        opt.add_hook(lambda o: None, name='z')
    with pytest.raises(ValueError):
        opt.call_hooks('middle')


def test_call_hooks_explicitly():
    opt = _SGD().setup(_Model())
    log = []
    opt.add_hook(lambda o: log.append('a'), name='a', timing='pre')
    opt.add_hook(lambda o: log.append('b'), name='b', timing='post')
    opt.call_hooks()
    opt.call_hooks('post')
    assert log == ['a', 'b']


def test_new_epoch():
    opt = _SGD().setup(_Model())
    opt.new_epoch()
    assert opt.epoch == 1
    with pytest.raises(RuntimeError, match='auto=True'):
        opt.new_epoch(auto=True)
    opt.use_auto_new_epoch = True
    opt.new_epoch(auto=True)
    assert opt.epoch == 2
    with pytest.raises(RuntimeError, match='duplicated'):
        opt.new_epoch()


def test_base_optimizer_update_not_implemented():
    opt = kusari.Optimizer()
    with pytest.raises(NotImplementedError):
        opt.update()
    with pytest.raises(NotImplementedError):
        kusari.GradientMethod().create_update_rule()


def test_optimizer_serialize_roundtrip():
    model = _Model()
    opt = _Momentum(lr=0.1, momentum=0.9).setup(model)
    for _ in range(2):
        for p in model.params():
            p.grad = numpy.ones_like(p.array)
        opt.update()
    opt.new_epoch()
    store = {}
    opt.serialize(_DictSerializer(store))
    assert store['t'] == 2
    assert store['epoch'] == 1
    for key in ('l1/W/v', 'l1/W/t', 'l1/b/v', 'l2/W/v', 'l2/b/v'):
        assert key in store, sorted(store)

    model2 = _Model()
    opt2 = _Momentum(lr=0.1, momentum=0.9).setup(model2)
    opt2.serialize(_DictDeserializer(store))
    assert opt2.t == 2 and opt2.epoch == 1
    testing.assert_allclose(model2.l1.W.update_rule.state['v'],
                            model.l1.W.update_rule.state['v'])
    assert model2.l2.b.update_rule.t == 2


def test_gradient_method_use_fp32_update():
    model = _Model(dtype=numpy.float16)
    opt = _SGD(lr=1e-4)
    opt.use_fp32_update()
    opt.setup(model)
    assert all(p.update_rule._use_fp32_update for p in model.params())
    for _ in range(5):
        for p in model.params():
            p.grad = numpy.ones_like(p.array)
        opt.update()
    assert float(model.l1.b.array[0]) < 0
    opt.use_fp32_update(False)
    assert not any(p.update_rule._use_fp32_update for p in model.params())


def test_static_loss_scaling():
    model = _Model()
    opt = _SGD(lr=0.01).setup(model)
    ref_model = _Model()
    ref = _SGD(lr=0.01).setup(ref_model)
    opt.set_loss_scale(128.0)
    assert opt._loss_scale == 128.0
    x = kusari.Variable(numpy.array([1., 2., 3.], numpy.float32))
    opt.update(_loss, model, x)
    ref.update(_loss, ref_model, x)
    testing.assert_allclose(model.l1.W.array, ref_model.l1.W.array, rtol=1e-5)
    testing.assert_allclose(model.l2.W.grad, ref_model.l2.W.grad, rtol=1e-5)
    with pytest.raises(ValueError):
        opt.loss_scaling(scale=0)


def test_dynamic_loss_scaling_skips_non_finite_and_adapts():
    model = _Model()
    opt = _SGD(lr=0.01).setup(model)
    opt.loss_scaling(interval=2)
    assert opt._loss_scale == 1.0
    x = kusari.Variable(numpy.array([1., 2., 3.], numpy.float32))
    opt.update(_loss, model, x)
    assert opt._loss_scale == 2.0     # doubles while no overflow was ever seen

    before = model.l1.W.array.copy()
    for p in model.params():
        p.grad = numpy.ones_like(p.array)
    model.l1.W.grad[0] = numpy.inf
    with pytest.warns(UserWarning, match='Non finite'):
        opt.update()
    assert not opt.is_safe_to_update()
    testing.assert_allclose(model.l1.W.array, before)  # update skipped
    assert opt._loss_scale == 1.0     # halved
    assert opt.t == 2

    for p in model.params():
        p.grad = numpy.zeros_like(p.array)
    opt.update()
    assert opt.is_safe_to_update()
    testing.assert_allclose(opt._loss_scale, 2 ** 0.5)  # 2 ** (1 / interval)
    with pytest.raises(ValueError):
        opt.loss_scaling(interval=0)


def test_loss_scale_is_capped():
    opt = _SGD().setup(_Model())
    opt.loss_scaling()
    opt._loss_scale = 60000.
    for p in opt.target.params():
        p.grad = numpy.zeros_like(p.array)
    opt.update()
    assert opt._loss_scale == 65504


def test_use_cleargrads_is_deprecated():
    opt = _SGD().setup(_Model())
    with pytest.warns(DeprecationWarning):
        opt.use_cleargrads(False)
    x = kusari.Variable(numpy.array([1., 2., 3.], numpy.float32))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)  # Link.zerograds
        opt.update(_loss, opt.target, x)
    assert opt.t == 1


def test_hyperparameter_proxy_on_class():
    assert isinstance(_SGD.lr, optimizer_module.HyperparameterProxy)
    assert 'lr' in _SGD.lr.__doc__


def test_deprecated_hook_alias_lookup():
    with pytest.raises(AttributeError):
        optimizer_module.NoSuchThing
    try:
        import kusari.optimizer_hooks  # NOQA
    except ImportError:
        with pytest.raises(ImportError, match='kusari-optimizers'):
            optimizer_module.WeightDecay
    else:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            optimizer_module.WeightDecay(0.1)
        assert any(issubclass(x.category, DeprecationWarning) for x in w)
