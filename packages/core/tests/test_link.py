"""Tests of kusari.Link, kusari.Chain and kusari.ChainList."""
import copy
import pickle
import warnings

import numpy
import pytest

import kusari
from kusari import initializers


class Dense(kusari.Link):
    """A tiny link with W (out, in) and b (out,) and a persistent counter."""

    def __init__(self, n_in, n_out):
        super().__init__()
        with self.init_scope():
            self.W = kusari.Parameter(initializers.Normal(1.0), (n_out, n_in))
            self.b = kusari.Parameter(0, (n_out,))
        self.add_persistent('count', 0)

    def forward(self, x):
        return x @ self.W.array.T + self.b.array


class Lazy(kusari.Link):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.W = kusari.Parameter(initializers.Normal(1.0))


class MLP(kusari.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = Dense(3, 4)
            self.l2 = Dense(4, 2)
            self.scale = kusari.Parameter(1.0, (1,))

    def forward(self, x):
        return self.l2(self.l1(x)) * self.scale.array


@pytest.fixture(autouse=True)
def _seed():
    numpy.random.seed(0)


# -- registration -------------------------------------------------------------------------


def test_init_scope_registers_parameters():
    link = Dense(3, 4)
    assert isinstance(link.W, kusari.Parameter)
    assert link.W.name == 'W' and link.b.name == 'b'
    assert link.W.shape == (4, 3) and link.W.dtype == numpy.float32
    assert [p.name for p in link.params()] == ['W', 'b']
    assert not link.within_init_scope
    with link.init_scope():
        assert link.within_init_scope
        with link.init_scope():
            assert link.within_init_scope
        assert link.within_init_scope
    assert not link.within_init_scope


def test_assignment_outside_init_scope_does_not_register():
    link = kusari.Link()
    link.p = kusari.Parameter(numpy.zeros(3, numpy.float32))
    assert list(link.params()) == []


def test_old_style_params():
    link = kusari.Link(W=(3, 4), b=((2,), numpy.float16), s=5)
    params = dict(link.namedparams())
    assert set(params) == {'/W', '/b', '/s'}
    assert link.W.shape == (3, 4) and link.W.dtype == numpy.float32
    assert numpy.isnan(link.W.array).all()
    assert link.b.shape == (2,) and link.b.dtype == numpy.float16
    assert link.s.shape == (5,)
    lazy = kusari.Link(x=None)
    assert lazy.x.array is None
    assert kusari.Link(e=(0, 3)).e.shape == (0, 3)
    with pytest.raises(TypeError, match='shape or a \\(shape, dtype\\) pair'):
        kusari.Link(W='abc')


def test_add_param():
    link = kusari.Link()
    link.add_param('W', (2, 3))
    assert link.W.shape == (2, 3) and numpy.isnan(link.W.array).all()
    # with an initializer, dtype is ignored (the initializer's dtype counts)
    link.add_param('v', 4, dtype=numpy.float64, initializer=initializers.One())
    assert link.v.dtype == numpy.float32 and (link.v.array == 1).all()
    link.add_param('h', 4, initializer=initializers.One(numpy.float16))
    assert link.h.dtype == numpy.float16
    link.add_param('u')
    assert link.u.array is None
    with pytest.raises(AttributeError, match="add_param.*'W'.*exists"):
        link.add_param('W', (1,))


def test_persistent():
    link = kusari.Link()
    link.add_persistent('mean', numpy.zeros(3, numpy.float32))
    link.other = 5
    link.register_persistent('other')
    assert link._persistent == {'mean', 'other'}
    with pytest.raises(AttributeError, match="add_persistent.*'mean'"):
        link.add_persistent('mean', 1)
    with pytest.raises(AttributeError, match="register_persistent.*'nothing'"):
        link.register_persistent('nothing')


def test_register_persistent_turns_parameter_into_persistent():
    link = Dense(2, 2)
    link.register_persistent('b')
    assert [name for name, _ in link.namedparams()] == ['/W']
    assert 'b' in link._persistent


def test_delattr_unregisters():
    model = MLP()
    del model.l1
    del model.scale
    assert [name for name, _ in model.namedparams()] == ['/l2/W', '/l2/b']
    link = Dense(2, 2)
    del link.count
    assert link._persistent == set()


def test_init_not_called():
    class Bad(kusari.Link):
        def __init__(self):
            pass

    bad = Bad()
    with pytest.raises(RuntimeError, match='Bad.*__init__'):
        with bad.init_scope():
            pass


# -- chains ---------------------------------------------------------------------------------


def test_chain_names():
    model = MLP()
    assert model.l1.name == 'l1'
    assert [name for name, _ in model.namedparams()] == [
        '/scale', '/l1/W', '/l1/b', '/l2/W', '/l2/b']
    assert [p.name for p in model.params()] == ['scale', 'W', 'b', 'W', 'b']
    assert [name for name, _ in model.namedlinks()] == ['/', '/l1', '/l2']
    assert [name for name, _ in model.namedlinks(skipself=True)] == ['/l1', '/l2']
    assert list(model.links()) == [model, model.l1, model.l2]
    assert list(model.links(skipself=True)) == [model.l1, model.l2]
    assert list(model.children()) == [model.l1, model.l2]
    assert list(model.l1.children()) == []
    assert model['l1'] is model.l1
    assert 'l1' in model and model.l2 in model
    assert 'scale' not in model and Dense(1, 1) not in model


def test_nested_namedparams():
    outer = kusari.Chain(inner=MLP(), head=Dense(2, 1))
    names = [name for name, _ in outer.namedparams()]
    assert names == ['/head/W', '/head/b', '/inner/scale', '/inner/l1/W',
                     '/inner/l1/b', '/inner/l2/W', '/inner/l2/b']
    assert '/inner/l1' in dict(outer.namedlinks())


def test_chain_kwargs_and_add_link():
    a, b = Dense(1, 2), Dense(2, 3)
    chain = kusari.Chain(embed=a, layer1=b)
    assert chain.embed is a and a.name == 'embed'
    assert set(dict(chain.namedlinks(skipself=True))) == {'/embed', '/layer1'}
    with pytest.raises(AttributeError, match="'embed'.*exists"):
        chain.add_link('embed', Dense(1, 1))
    with pytest.raises(TypeError, match='non-link'):
        chain.add_link('x', numpy.zeros(3))
    with pytest.raises(AttributeError, match="'embed'.*exists"):
        with chain.init_scope():
            chain.embed = Dense(1, 1)


def test_include_uninit():
    chain = kusari.Chain(lazy=Lazy(), dense=Dense(2, 2))
    assert len(list(chain.params())) == 3
    assert [n for n, _ in chain.namedparams(include_uninit=False)] == [
        '/dense/W', '/dense/b']


def test_chainlist():
    cl = kusari.ChainList(Dense(1, 2), Dense(2, 3))
    assert len(cl) == 2
    assert cl[0].name == '0' and cl[1].name == '1'
    assert [name for name, _ in cl.namedparams()] == ['/0/W', '/0/b', '/1/W', '/1/b']
    cl.append(Dense(3, 4))
    cl.add_link(Dense(4, 5))
    assert [link.name for link in cl] == ['0', '1', '2', '3']
    assert cl[-1].W.shape == (5, 4)
    first = cl[0]
    del cl[0]
    assert [link.name for link in cl] == ['0', '1', '2']
    assert first not in cl
    cl.insert(0, first)
    assert cl[0] is first and [link.name for link in cl] == ['0', '1', '2', '3']
    new = Dense(9, 9)
    cl[-1] = new
    assert cl[3] is new and new.name == '3'
    assert cl[1:3] == [cl[1], cl[2]]
    assert [n for n, _ in cl.namedlinks()][:3] == ['/', '/0', '/1']
    assert list(cl.children()) == list(cl)
    a, b = Dense(1, 1), Dense(1, 1)
    cl[1:3] = [a, b]
    assert cl[1] is a and cl[2] is b and (a.name, b.name) == ('1', '2')
    with pytest.raises(TypeError, match='ChainList'):
        cl.append(lambda x: x)
    with pytest.raises(TypeError, match='indices'):
        cl['x'] = Dense(1, 1)
    with pytest.raises(TypeError, match='init_scope'):
        with cl.init_scope():
            cl.x = Dense(1, 1)
    with cl.init_scope():
        cl.p = kusari.Parameter(numpy.zeros(2, numpy.float32))
    assert next(iter(cl.namedparams()))[0] == '/p'


# -- copy -----------------------------------------------------------------------------------


def test_copy_share():
    model = MLP()
    model.l1.W.grad = numpy.ones((4, 3), numpy.float32)
    c = model.copy()
    assert c.name is None
    assert c is not model and c.l1 is not model.l1
    assert c.l1.name == 'l1'
    assert c.l1.W is not model.l1.W
    assert c.l1.W.array is model.l1.W.array
    assert c.scale.array is model.scale.array
    assert c.l1.W.grad is None
    assert model.l1.W.grad is not None
    model.l1.W.array[...] = 3
    assert (c.l1.W.array == 3).all()
    assert [n for n, _ in c.namedparams()] == [n for n, _ in model.namedparams()]


@pytest.mark.parametrize('cls', [MLP, lambda: kusari.ChainList(Dense(2, 3), Dense(3, 1))])
def test_copy_copy(cls):
    model = cls()
    c = model.copy(mode='copy')
    for (n1, p1), (n2, p2) in zip(model.namedparams(), c.namedparams()):
        assert n1 == n2 and p1 is not p2
        assert p1.array is not p2.array
        numpy.testing.assert_array_equal(p1.array, p2.array)
    for p in model.params():
        p.array[...] = 7
    assert not any((p.array == 7).all() for p in c.params())


def test_copy_init():
    model = MLP()
    c = model.copy(mode='init')
    assert c.l1.W.shape == model.l1.W.shape
    assert not numpy.array_equal(c.l1.W.array, model.l1.W.array)
    assert c.l1.W.array is not model.l1.W.array
    # constant initializers give the same values again
    numpy.testing.assert_array_equal(c.l1.b.array, model.l1.b.array)
    numpy.testing.assert_array_equal(c.scale.array, numpy.ones(1))
    assert c.scale.array is not model.scale.array


def test_copy_init_of_parameter_made_from_array():
    link = kusari.Link()
    with link.init_scope():
        link.p = kusari.Parameter(numpy.arange(3.0))
    c = link.copy('init')
    assert c.p.dtype == numpy.float64
    assert c.p.array is not link.p.array
    numpy.testing.assert_array_equal(c.p.array, [0, 1, 2])


def test_copy_bad_mode():
    with pytest.raises(ValueError, match="'init', 'copy', or 'share'"):
        MLP().copy(mode='deep')


def test_copy_plain_link_modes():
    link = Dense(2, 3)
    shared = link.copy()
    assert shared.W.array is link.W.array
    copied = link.copy('copy')
    assert copied.W.array is not link.W.array
    numpy.testing.assert_array_equal(copied.W.array, link.W.array)
    init = link.copy('init')
    assert not numpy.array_equal(init.W.array, link.W.array)


def test_deepcopy_and_pickle():
    model = MLP()
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert isinstance(clone.l1, Dense)
        assert [n for n, _ in clone.namedparams()] == [n for n, _ in model.namedparams()]
        numpy.testing.assert_array_equal(clone.l2.W.array, model.l2.W.array)
        assert clone.l2.W.array is not model.l2.W.array


# -- parameter utilities --------------------------------------------------------------------


def test_copyparams():
    src, dst = MLP(), MLP()
    src.l1.count = 5
    src.l2.add_persistent('stats', numpy.arange(3, dtype=numpy.float32))
    dst.l2.add_persistent('stats', numpy.zeros(3, numpy.float32))
    stats = dst.l2.stats
    dst.copyparams(src)
    for p1, p2 in zip(src.params(), dst.params()):
        numpy.testing.assert_array_equal(p1.array, p2.array)
        assert p1.array is not p2.array
    assert dst.l1.count == 5
    assert dst.l2.stats is stats
    numpy.testing.assert_array_equal(stats, [0, 1, 2])


def test_copyparams_without_persistent():
    src, dst = Dense(2, 2), Dense(2, 2)
    src.count = 9
    dst.copyparams(src, copy_persistent=False)
    assert dst.count == 0
    numpy.testing.assert_array_equal(dst.W.array, src.W.array)


def test_grads():
    a, b = MLP(), MLP()
    for p in a.params():
        p.grad = numpy.ones_like(p.array)
    for p in b.params():
        p.grad = numpy.full_like(p.array, 2)
    a.addgrads(b)
    assert all((p.grad == 3).all() for p in a.params())
    a.cleargrads()
    assert all(p.grad is None for p in a.params())
    with pytest.warns(DeprecationWarning, match='cleargrads'):
        a.zerograds()
    for p in a.params():
        assert p.grad.shape == p.shape and (p.grad == 0).all()


def test_chainlist_copyparams_addgrads():
    a = kusari.ChainList(Dense(2, 3), Dense(3, 1))
    b = kusari.ChainList(Dense(2, 3), Dense(3, 1))
    a.copyparams(b)
    for p1, p2 in zip(a.params(), b.params()):
        numpy.testing.assert_array_equal(p1.array, p2.array)
        p1.grad = numpy.ones_like(p1.array)
        p2.grad = numpy.ones_like(p2.array)
    a.addgrads(b)
    assert all((p.grad == 2).all() for p in a.params())


class _Rule:
    def __init__(self):
        self.enabled = True


def test_update_enabled():
    model = MLP()
    assert not model.update_enabled   # no update rules yet
    for p in model.params():
        p.update_rule = _Rule()
    assert model.update_enabled
    model.disable_update()
    assert not model.update_enabled
    assert not any(p.update_rule.enabled for p in model.params())
    model.l1.enable_update()
    assert model.update_enabled
    assert model.l1.W.update_rule.enabled and not model.l2.W.update_rule.enabled


def test_count_params():
    assert MLP().count_params() == 1 + 4 * 3 + 4 + 2 * 4 + 2
    chain = kusari.Chain(lazy=Lazy(), dense=Dense(2, 2))
    with pytest.warns(UserWarning, match="'/lazy/W' has not been initialized"):
        assert chain.count_params() == 6


# -- devices --------------------------------------------------------------------------------


def test_device_cpu_round_trip():
    model = MLP()
    model.l1.add_persistent('stats', numpy.ones(3, numpy.float32))
    assert model.xp is numpy
    assert model.device == kusari.get_device('@numpy')
    before = {n: p.array.copy() for n, p in model.namedparams()}
    assert model.to_device('@numpy') is model
    assert model.to_cpu() is model
    assert model.to_device(kusari.get_device(numpy)) is model
    for link in model.links():
        assert link.device == kusari.get_device('@numpy')
    for n, p in model.namedparams():
        assert isinstance(p.array, numpy.ndarray)
        numpy.testing.assert_array_equal(p.array, before[n])
    assert isinstance(model.l1.stats, numpy.ndarray)


def test_to_device_moves_uninitialized_params():
    chain = kusari.Chain(lazy=Lazy())
    chain.to_device('@numpy')
    chain.lazy.W.initialize((2, 3))
    assert isinstance(chain.lazy.W.array, numpy.ndarray)


def test_to_gpu_without_cuda_is_clear():
    try:
        import cupy  # noqa: F401
        pytest.skip('CuPy is installed')
    except ImportError:
        pass
    with pytest.raises(RuntimeError, match='MLP.to_gpu: CUDA is not available'):
        MLP().to_gpu()


@pytest.mark.gpu
def test_to_gpu_round_trip():
    import cupy
    model = MLP()
    model.l1.add_persistent('stats', numpy.ones(3, numpy.float32))
    values = {n: p.array.copy() for n, p in model.namedparams()}
    model.to_gpu()
    assert model.xp is cupy
    assert isinstance(model.l1.W.array, cupy.ndarray)
    assert isinstance(model.l1.stats, cupy.ndarray)
    c = model.copy('init')
    assert isinstance(c.l2.W.array, cupy.ndarray)
    model.to_device('@numpy')
    for n, p in model.namedparams():
        numpy.testing.assert_array_equal(p.array, values[n])
    assert isinstance(model.l1.stats, numpy.ndarray)


# -- calling and printing -------------------------------------------------------------------


def test_call_goes_to_forward():
    model = MLP()
    x = numpy.ones((5, 3), numpy.float32)
    y = model(x)
    assert y.shape == (5, 2)
    numpy.testing.assert_allclose(y, model.forward(x))


def test_call_prefers_mixin_call():
    class Mixin:
        def __call__(self, x):
            return 'mixin', x

    class WithMixin(kusari.Link, Mixin):
        def forward(self, x):
            return 'forward', x

    assert WithMixin()(1) == ('mixin', 1)


def test_call_without_forward():
    with pytest.raises(AttributeError, match='Link.*forward'):
        kusari.Link()(1)


def test_str():
    assert str(Dense(1, 1)) == 'Dense()'
    assert repr(kusari.Chain()) == 'Chain()'
    model = kusari.Chain(mlp=MLP(), cl=kusari.ChainList(Dense(1, 1)))
    expected = (
        'Chain(\n'
        '  (cl): ChainList(\n'
        '    (0): Dense(),\n'
        '  ),\n'
        '  (mlp): MLP(\n'
        '    (l1): Dense(),\n'
        '    (l2): Dense(),\n'
        '  ),\n'
        ')')
    assert str(model) == expected
    assert repr(model) == expected


def test_printable_specs():
    class WithSpecs(kusari.Link):
        @property
        def printable_specs(self):
            yield 'in_size', 3
            yield 'nobias', False

    assert str(WithSpecs()) == 'WithSpecs(in_size=3, nobias=False)'


def test_repeat():
    link = Dense(2, 2)
    seq = link.repeat(3)
    assert isinstance(seq, kusari.Sequential) and len(seq) == 3
    assert len({id(layer) for layer in seq}) == 3
    assert not numpy.array_equal(seq[0].W.array, seq[1].W.array)
    shared = link.repeat(2, mode='share')
    assert shared[0].W.array is link.W.array
    assert len(link.repeat(0)) == 0
    with pytest.raises(ValueError, match='mode'):
        link.repeat(2, mode='bad')


def test_public_names_have_docstrings():
    for cls in (kusari.Link, kusari.Chain, kusari.ChainList):
        for name in dir(cls):
            if name.startswith('_'):
                continue
            assert getattr(cls, name).__doc__, '{}.{}'.format(cls.__name__, name)


def test_no_warning_on_normal_use():
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        model = MLP()
        model.copy()
        model.copy('init')
        list(model.namedparams())


def test_plain_values_set_on_a_chain_are_not_registered():
    # the per-step fast path of __setattr__ (None and plain Variables)
    class Net(kusari.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.fc = kusari.Link()
                with self.fc.init_scope():
                    self.fc.W = kusari.Parameter(numpy.ones(2, numpy.float32))
                self.out = None
                self.h = kusari.Variable(numpy.zeros(2, numpy.float32))

    net = Net()
    net.y = kusari.Variable(numpy.ones(3, numpy.float32))
    net.fc.z = None
    assert [name for name, _ in net.namedparams()] == ['/fc/W']
    assert [name for name, _ in net.namedlinks(skipself=True)] == ['/fc']
    assert net.out is None and net.h.shape == (2,) and net.y.shape == (3,)
    # a Parameter (a Variable subclass) set inside init_scope is still registered
    with net.fc.init_scope():
        net.fc.b = kusari.Parameter(numpy.zeros(2, numpy.float32))
    assert sorted(name for name, _ in net.namedparams()) == ['/fc/W', '/fc/b']


def test_params_honours_a_child_overriding_params():
    # Chain.params collects children's parameters into one list; a child whose class
    # overrides params() is still asked through its override
    import kusari

    class Frozen(kusari.Link):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.w = kusari.Parameter(numpy.zeros(2, numpy.float32))
                self.v = kusari.Parameter(numpy.zeros(3, numpy.float32))

        def params(self, include_uninit=True):
            yield self.v          # only v is exposed

    class Net(kusari.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.a = Frozen()
                self.b = kusari.Link()
                with self.b.init_scope():
                    self.b.p = kusari.Parameter(numpy.zeros(1, numpy.float32))
                    self.b.q = kusari.Parameter()   # uninitialized

    net = Net()
    got = list(net.params())
    assert [None if p.array is None else p.shape for p in got] == [(3,), (1,), None]
    assert [p.name for p in net.params(include_uninit=False)] == ['v', 'p']
    lst = kusari.ChainList(Net(), kusari.Link())
    assert len(list(lst.params())) == 3
    it = net.params()
    assert next(it) is net.a.v      # an iterator, as Chainer's generator
