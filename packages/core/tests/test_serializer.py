"""Tests of the serializer protocol (kusari.serializer) and Link.serialize."""
import numpy
import pytest

import kusari
from kusari import initializers


class DictSerializer(kusari.Serializer):
    """Saves values into a flat dict with '/'-joined keys."""

    def __init__(self, target=None, path=''):
        self.target = {} if target is None else target
        self.path = path

    def __getitem__(self, key):
        return DictSerializer(self.target, self.path + key + '/')

    def __call__(self, key, value):
        if isinstance(value, numpy.ndarray):
            self.target[self.path + key] = value.copy()
        else:
            self.target[self.path + key] = value
        return value


class DictDeserializer(kusari.Deserializer):
    """Loads values from a flat dict; records the values it was called with."""

    def __init__(self, source, path='', calls=None):
        self.source = source
        self.path = path
        self.calls = [] if calls is None else calls

    def __getitem__(self, key):
        return DictDeserializer(self.source, self.path + key + '/', self.calls)

    def __call__(self, key, value):
        full = self.path + key
        self.calls.append((full, value))
        loaded = self.source[full]
        if value is None:
            return numpy.array(loaded) if isinstance(loaded, numpy.ndarray) else loaded
        if isinstance(value, numpy.ndarray):
            numpy.copyto(value, loaded)
            return value
        return type(value)(loaded)


class Block(kusari.Link):
    def __init__(self, n=3, lazy=False):
        super().__init__()
        with self.init_scope():
            self.W = kusari.Parameter(
                initializers.Normal(1.0), None if lazy else (n, 2))
            self.b = kusari.Parameter(0, (n,))
        self.add_persistent('steps', 0)
        self.add_persistent('mean', numpy.zeros(n, numpy.float32))


def make_model(lazy=False):
    model = kusari.Chain(
        enc=Block(lazy=lazy), dec=kusari.ChainList(Block(lazy=lazy), Block(4)))
    model.add_persistent('epoch', 0)
    return model


@pytest.fixture(autouse=True)
def _seed():
    numpy.random.seed(0)


def test_abstract_serializer():
    s = kusari.AbstractSerializer()
    with pytest.raises(NotImplementedError):
        s['x']
    with pytest.raises(NotImplementedError):
        s('x', 1)
    assert issubclass(kusari.Serializer, kusari.AbstractSerializer)
    assert issubclass(kusari.Deserializer, kusari.AbstractSerializer)


def test_save_and_load_call_serialize():
    seen = []

    class Obj:
        def serialize(self, serializer):
            seen.append(serializer)

    s, d = DictSerializer(), DictDeserializer({})
    s.save(Obj())
    d.load(Obj())
    assert seen == [s, d]


def test_keys():
    model = make_model()
    saver = DictSerializer()
    saver.save(model)
    assert sorted(saver.target) == sorted([
        'epoch',
        'enc/W', 'enc/b', 'enc/steps', 'enc/mean',
        'dec/0/W', 'dec/0/b', 'dec/0/steps', 'dec/0/mean',
        'dec/1/W', 'dec/1/b', 'dec/1/steps', 'dec/1/mean',
    ])
    numpy.testing.assert_array_equal(saver.target['dec/1/W'], model.dec[1].W.array)


def test_round_trip():
    src = make_model()
    src.epoch = 7
    src.enc.steps = 11
    src.dec[0].mean[...] = 2.5
    saver = DictSerializer()
    saver.save(src)

    dst = make_model()
    mean = dst.dec[0].mean
    w = dst.enc.W.array
    DictDeserializer(saver.target).load(dst)
    for (n1, p1), (n2, p2) in zip(src.namedparams(), dst.namedparams()):
        assert n1 == n2
        numpy.testing.assert_array_equal(p1.array, p2.array)
    assert dst.enc.W.array is w            # loaded in place
    assert dst.epoch == 7 and dst.enc.steps == 11
    assert dst.dec[0].mean is mean
    numpy.testing.assert_array_equal(mean, numpy.full(3, 2.5))


def test_lazy_parameters_take_their_shape_from_the_deserializer():
    src = make_model()
    saver = DictSerializer()
    saver.save(src)

    dst = make_model(lazy=True)
    assert dst.enc.W.array is None
    loader = DictDeserializer(saver.target)
    loader.load(dst)
    calls = dict(loader.calls)
    assert calls['enc/W'] is None and calls['dec/0/W'] is None
    assert isinstance(calls['enc/b'], numpy.ndarray)
    assert dst.enc.W.shape == (3, 2) and dst.enc.W.dtype == numpy.float32
    numpy.testing.assert_array_equal(dst.enc.W.array, src.enc.W.array)
    numpy.testing.assert_array_equal(dst.dec[0].W.array, src.dec[0].W.array)


def test_uninitialized_parameter_saved_as_none():
    model = kusari.Chain(block=Block(lazy=True))
    saver = DictSerializer()
    saver.save(model)
    assert saver.target['block/W'] is None
    # loading None leaves the parameter uninitialized
    DictDeserializer(saver.target).load(model)
    assert model.block.W.array is None


def test_lazy_load_casts_to_parameter_dtype():
    class Half(kusari.Link):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.W = kusari.Parameter(initializers.Zero(numpy.float16))

    link = Half()
    DictDeserializer({'W': numpy.arange(6.0).reshape(2, 3)}).load(link)
    assert link.W.dtype == numpy.float16 and link.W.shape == (2, 3)
    numpy.testing.assert_array_equal(link.W.array, numpy.arange(6).reshape(2, 3))
