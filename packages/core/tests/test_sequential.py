"""Tests of kusari.Sequential."""
import functools
import pickle

import numpy
import pytest

import kusari
from kusari import initializers


class Affine(kusari.Link):
    """y = x W^T + b on plain arrays (keeps these tests independent of functions)."""

    def __init__(self, n_in, n_out):
        super().__init__()
        with self.init_scope():
            self.W = kusari.Parameter(initializers.Normal(1.0), (n_out, n_in))
            self.b = kusari.Parameter(0, (n_out,))

    def forward(self, x):
        return x @ self.W.array.T + self.b.array


def relu(x):
    return numpy.maximum(x, 0)


def split(x):
    return x[:, :1], x[:, 1:]


def join(a, b):
    return numpy.concatenate([b, a], axis=1)


@pytest.fixture(autouse=True)
def _seed():
    numpy.random.seed(0)


def test_forward():
    l1, l2 = Affine(3, 4), Affine(4, 2)
    model = kusari.Sequential(l1, relu, l2)
    x = numpy.random.randn(5, 3).astype(numpy.float32)
    numpy.testing.assert_allclose(model(x), l2(relu(l1(x))))
    numpy.testing.assert_allclose(model.forward(x), model(x))


def test_forward_unpacks_tuples():
    model = kusari.Sequential(split, join)
    x = numpy.arange(6.0).reshape(2, 3)
    numpy.testing.assert_array_equal(model(x), numpy.concatenate([x[:, 1:], x[:, :1]], 1))
    add = kusari.Sequential(lambda a, b: a + b)
    assert add(2, 3) == 5


def test_empty_forward_raises():
    with pytest.raises(RuntimeError, match='does not have any layer'):
        kusari.Sequential()(numpy.zeros(1))


def test_children_skip_functions():
    model = kusari.Sequential(Affine(3, 4), relu, Affine(4, 2), relu)
    assert len(model) == 4
    assert [c.name for c in model.children()] == ['0', '1']
    assert [n for n, _ in model.namedparams()] == ['/0/W', '/0/b', '/1/W', '/1/b']
    assert model[2].W.shape == (2, 4)
    assert model[1] is relu
    assert model[1:3] == [relu, model[2]]


def test_list_api():
    a, b, c = Affine(1, 1), Affine(1, 1), Affine(1, 1)
    model = kusari.Sequential(a, relu)
    model.append(b)
    model.insert(0, c)
    assert list(model) == [c, a, relu, b]
    assert [link.name for link in (c, a, b)] == ['0', '1', '2']
    model.insert(2, relu)
    assert list(model) == [c, a, relu, relu, b]
    assert model.count(relu) == 2
    assert model.index(relu) == 2 and model.index(relu, 3) == 3
    assert relu in model and a in model and split not in model
    model.remove(relu)
    assert list(model) == [c, a, relu, b]
    assert model.pop() is b
    assert model.pop(0) is c
    assert list(model) == [a, relu]
    assert a.name == '0'
    model.extend([b, split])
    assert list(model) == [a, relu, b, split]
    assert b.name == '1'
    model[1] = c
    assert list(model) == [a, c, b, split]
    assert [a.name, c.name, b.name] == ['0', '1', '2']
    del model[0]
    assert [c.name, b.name] == ['0', '1']
    del model[:2]
    assert list(model) == [split] and list(model.children()) == []
    model[0:1] = [a, relu]
    assert list(model) == [a, relu] and a.name == '0'
    assert list(reversed(model)) == [relu, a]
    model.clear()
    assert len(model) == 0 and list(model.params()) == []


def test_list_api_errors():
    model = kusari.Sequential(relu)
    with pytest.raises(ValueError, match='callable'):
        model.append(3)
    with pytest.raises(ValueError, match='callable'):
        kusari.Sequential(relu, 'relu')
    with pytest.raises(ValueError, match='out of range'):
        model[5] = relu
    with pytest.raises(ValueError, match='no layer'):
        model.remove(split)
    with pytest.raises(ValueError, match='Sequential'):
        model + [relu]


def test_add_and_iadd():
    a, b = Affine(1, 2), Affine(2, 1)
    s1 = kusari.Sequential(a, relu)
    s2 = kusari.Sequential(b)
    s3 = s1 + s2
    assert list(s3) == [a, relu, b]
    assert list(s1) == [a, relu]
    s1 += s2
    assert list(s1) == [a, relu, b]


def test_layer_type_queries_and_flatten():
    inner = kusari.Sequential(Affine(1, 1), relu)
    model = kusari.Sequential(Affine(1, 1), relu, inner)
    assert model.count_by_layer_type('relu') == 1
    assert model.count_by_layer_type('Affine') == 1
    flat = model.flatten()
    assert len(flat) == 4
    assert flat.count_by_layer_type('relu') == 2
    assert [n for n, _ in flat.namedparams()] == ['/0/W', '/0/b', '/1/W', '/1/b']
    flat.remove_by_layer_type('relu')
    assert len(flat) == 2 and flat.count_by_layer_type('Affine') == 2


@pytest.mark.parametrize('mode', ['share', 'copy', 'init'])
def test_copy(mode):
    model = kusari.Sequential(Affine(2, 3), relu, Affine(3, 1))
    c = model.copy(mode)
    assert isinstance(c, kusari.Sequential) and len(c) == 3
    assert c[1] is relu
    assert c[0] is not model[0] and c[0].name == '0' and c[2].name == '1'
    assert [n for n, _ in c.namedparams()] == [n for n, _ in model.namedparams()]
    same = c[0].W.array is model[0].W.array
    equal = numpy.array_equal(c[0].W.array, model[0].W.array)
    assert same == (mode == 'share')
    assert equal == (mode != 'init')


def test_copyparams_and_addgrads():
    a = kusari.Sequential(Affine(2, 3), relu, Affine(3, 1))
    b = kusari.Sequential(Affine(2, 3), relu, Affine(3, 1))
    a.copyparams(b)
    for p, q in zip(a.params(), b.params()):
        numpy.testing.assert_array_equal(p.array, q.array)
        p.grad = numpy.ones_like(p.array)
        q.grad = numpy.ones_like(q.array)
    a.addgrads(b)
    assert all((p.grad == 2).all() for p in a.params())
    with pytest.raises(ValueError, match='Sequential'):
        a.copyparams(kusari.ChainList())


def test_str():
    model = kusari.Sequential(kusari.Sequential(Affine(1, 1)), relu)
    lines = str(model).splitlines()
    assert lines[0] == 'Sequential('
    assert lines[1] == '  (0): Sequential('
    assert lines[2] == '    (0): Affine(),'
    assert lines[3] == '  ),'
    assert lines[4].startswith('  (1): <function relu')
    assert lines[5] == ')'
    assert str(kusari.Sequential()) == 'Sequential()'
    lam = kusari.Sequential(lambda x: x + 1)
    assert 'lambda x: x + 1' in str(lam)


def test_pickle():
    clip = functools.partial(numpy.clip, a_min=0, a_max=1)
    model = kusari.Sequential(Affine(2, 2), relu, clip)
    clone = pickle.loads(pickle.dumps(model))
    x = numpy.random.randn(3, 2)
    numpy.testing.assert_allclose(clone(x), model(x))
    with pytest.raises(ValueError, match='lambda'):
        pickle.dumps(kusari.Sequential(lambda x: x))


def test_deepcopy_with_lambda():
    import copy
    model = kusari.Sequential(Affine(2, 2), lambda x: x * 2)
    clone = copy.deepcopy(model)
    assert clone[0].W.array is not model[0].W.array
    x = numpy.ones((1, 2))
    numpy.testing.assert_allclose(clone(x), model(x))


def test_serialize_uses_link_indices():
    model = kusari.Sequential(Affine(2, 2), relu, Affine(2, 1))
    keys = []

    class Recorder(kusari.Serializer):
        def __init__(self, prefix=''):
            self.prefix = prefix

        def __getitem__(self, key):
            return Recorder(self.prefix + key + '/')

        def __call__(self, key, value):
            keys.append(self.prefix + key)
            return value

    Recorder().save(model)
    assert keys == ['0/W', '0/b', '1/W', '1/b']
