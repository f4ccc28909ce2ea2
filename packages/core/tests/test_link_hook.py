"""Link hooks: kusari.link_hook.LinkHook, Link.add_hook/delete_hook/local_link_hooks."""
import threading

import numpy
import pytest

import kusari
from kusari import link_hook


class Recorder(link_hook.LinkHook):
    name = 'Recorder'

    def __init__(self, log=None):
        self.log = [] if log is None else log

    def added(self, link):
        self.log.append(('added', link))

    def deleted(self, link):
        self.log.append(('deleted', link))

    def forward_preprocess(self, args):
        assert isinstance(args, link_hook._ForwardPreprocessCallbackArgs)
        assert isinstance(repr(args), str)
        self.log.append(('pre', args.link, args.forward_name, args.args, args.kwargs))

    def forward_postprocess(self, args):
        assert isinstance(args, link_hook._ForwardPostprocessCallbackArgs)
        assert isinstance(repr(args), str)
        self.log.append(('post', args.link, args.args, args.kwargs, args.out))


class Scale(kusari.Link):
    def __init__(self, w):
        super().__init__()
        with self.init_scope():
            self.w = kusari.Parameter(numpy.asarray(w, numpy.float32))

    def forward(self, x):
        return x * self.w


class Model(kusari.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.inner = Scale(2.)

    def forward(self, x, test1, test2=None):
        return self.inner(x) + 1


def _x():
    return kusari.Variable(numpy.ones((2,), numpy.float32))


def test_global_hook_order_and_arguments():
    model = Model()
    hook = Recorder()
    x = _x()
    with hook as h:
        assert h is hook
        y = model(x, 'foo', test2='bar')
    kinds = [(e[0], e[1]) for e in hook.log]
    assert kinds == [('added', None), ('pre', model), ('pre', model.inner),
                     ('post', model.inner), ('post', model), ('deleted', None)]
    pre = hook.log[1]
    assert pre[2] == 'forward' and pre[3][0] is x and pre[3][1] == 'foo'
    assert pre[4] == {'test2': 'bar'}
    assert hook.log[4][4] is y
    numpy.testing.assert_array_equal(y.array, [3., 3.])
    # after the block the hook is gone
    model(x, 'foo')
    assert len(hook.log) == 6


def test_local_hook_named_and_unnamed():
    for add_name, del_name in (('myhook', 'myhook'), (None, 'Recorder')):
        model = Model()
        hook = Recorder()
        assert model.add_hook(hook, add_name) is model
        assert list(model.local_link_hooks) == [del_name]
        model(_x(), 'foo')
        model.delete_hook(del_name)
        model(_x(), 'foo')
        assert [e[0] for e in hook.log] == ['added', 'pre', 'post', 'deleted']
        assert hook.log[0][1] is model and hook.log[-1][1] is model
        assert hook.log[1][1] is model   # not called for the child link
        assert len(model.local_link_hooks) == 0


def test_local_hook_errors():
    model = Model()
    with pytest.raises(TypeError, match='add_hook'):
        model.add_hook(object())
    model.add_hook(Recorder())
    with pytest.raises(KeyError, match='already exists'):
        model.add_hook(Recorder())
    with pytest.raises(KeyError, match='does not exist'):
        model.delete_hook('nothing')
    model.delete_hook('Recorder')


def test_global_hook_name_clash():
    with Recorder():
        with pytest.raises(KeyError, match='already exists'):
            with Recorder():
                pass


def test_global_and_local_hooks_together():
    log = []
    model = Model()
    local = Recorder(log)
    local.name = 'local'
    model.add_hook(local)
    with Recorder(log):
        model(_x(), 'a')
    model.delete_hook('local')
    pres = [e[1] for e in log if e[0] == 'pre']
    assert pres == [model, model, model.inner]   # global then local; child global only


def test_hooks_are_per_thread():
    model = Model()
    hook = Recorder()
    seen = []

    def other():
        model(_x(), 'b')
        seen.append(len(hook.log))

    with hook:
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert seen == [1]   # only 'added': the other thread's call was not hooked


def test_hook_count_and_fast_path_flag():
    # hooks added to links elsewhere in the session (never deleted) may still count
    from kusari import link
    n0 = link_hook._n_hooks
    assert link._link_hooks_active is (n0 > 0)
    model = Model()
    model.add_hook(Recorder())
    assert link_hook._n_hooks == n0 + 1 and link._link_hooks_active is True
    model.delete_hook('Recorder')
    assert link_hook._n_hooks == n0
    with Recorder():
        assert link_hook._n_hooks == n0 + 1 and link._link_hooks_active is True
    assert link_hook._n_hooks == n0 and link._link_hooks_active is (n0 > 0)


def test_base_hook_does_nothing():
    hook = kusari.link_hook.LinkHook()
    assert hook.name == 'LinkHook'
    model = Model()
    model.add_hook(hook)
    y = model(_x(), 'c')
    numpy.testing.assert_array_equal(y.array, [3., 3.])
    model.delete_hook('LinkHook')
