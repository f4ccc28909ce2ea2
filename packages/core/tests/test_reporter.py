import threading
import warnings

import numpy
import pytest

import kusari
from kusari import reporter as reporter_module
from kusari import serializer as serializer_module
from kusari import testing


class _DictSerializer(serializer_module.Serializer):
    """Records values into a flat dict under '/'-joined paths."""

    def __init__(self, target=None, path=''):
        self.target = {} if target is None else target
        self.path = path

    def __getitem__(self, key):
        return _DictSerializer(self.target, self.path + key.strip('/') + '/')

    def __call__(self, key, value):
        v = value
        if isinstance(v, numpy.ndarray):
            v = v.copy()
        self.target[self.path + key] = v
        return value


class _DictDeserializer(serializer_module.Deserializer):
    """Reads values from a flat dict (KeyError for missing keys)."""

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


# ---------------------------------------------------------------- Reporter

def test_report_with_observer_in_scope():
    r = kusari.Reporter()
    observer = object()
    r.add_observer('my', observer)
    observation = {}
    with r.scope(observation):
        r.report({'x': 1}, observer)
        kusari.report({'y': 2}, observer)
        kusari.report({'z': 3})
    assert observation == {'my/x': 1, 'my/y': 2, 'z': 3}


def test_report_without_current_reporter_is_noop():
    kusari.report({'x': 1})  # nothing happens, no error
    with pytest.raises(IndexError):
        kusari.get_current_reporter()


def test_unregistered_observer_raises():
    r = kusari.Reporter()
    with r.scope({}):
        with pytest.raises(KeyError, match='not registered'):
            kusari.report({'x': 1}, object())


def test_add_observers_with_prefix():
    r = kusari.Reporter()
    a, b = object(), object()
    r.add_observers('main/', [('a', a), ('b', b)])
    obs = {}
    with r.scope(obs):
        r.report({'loss': 0.5}, a)
        r.report({'loss': 0.25}, b)
    assert obs == {'main/a/loss': 0.5, 'main/b/loss': 0.25}


def test_enter_exit_current_reporter_and_nesting():
    r1, r2 = kusari.Reporter(), kusari.Reporter()
    with r1 as entered:
        assert entered is r1
        assert kusari.get_current_reporter() is r1
        with r2:
            assert kusari.get_current_reporter() is r2
            kusari.report({'a': 1})
        assert kusari.get_current_reporter() is r1
        kusari.report({'b': 2})
    assert r2.observation == {'a': 1}
    assert r1.observation == {'b': 2}


def test_scope_restores_on_exception():
    r = kusari.Reporter()
    old = r.observation
    with pytest.raises(RuntimeError):
        with r.scope({}):
            raise RuntimeError
    assert r.observation is old
    with pytest.raises(IndexError):
        kusari.get_current_reporter()


def test_report_scope_redirects_current():
    r = kusari.Reporter()
    outer, inner = {}, {}
    with r.scope(outer):
        with kusari.report_scope(inner):
            kusari.report({'x': 1})
        kusari.report({'y': 2})
    assert inner == {'x': 1}
    assert outer == {'y': 2}


def test_report_scope_needs_current_reporter():
    with pytest.raises(IndexError):
        with kusari.report_scope({}):
            pass


def test_reported_variable_is_cut_from_graph():
    x = kusari.Variable(numpy.array([1., 2.], numpy.float32))
    y = x * x
    assert y.creator_node is not None
    r = kusari.Reporter()
    obs = {}
    with r.scope(obs):
        kusari.report({'y': y})
    reported = obs['y']
    assert isinstance(reported, kusari.Variable)
    assert reported is not y
    assert reported.creator_node is None
    assert reported.array is y.array


def test_keep_graph_on_report():
    x = kusari.Variable(numpy.array(3., numpy.float32))
    y = x * x
    obs = {}
    with kusari.using_config('keep_graph_on_report', True):
        with kusari.Reporter().scope(obs):
            kusari.report({'y': y})
    assert obs['y'] is y


def test_reporters_are_thread_local():
    r = kusari.Reporter()
    seen = []

    def worker():
        try:
            kusari.get_current_reporter()
            seen.append('has reporter')
        except IndexError:
            seen.append('none')

    with r:
        t = threading.Thread(target=worker)
        t.start()
        t.join()
    assert seen == ['none']


# ---------------------------------------------------------------- Summary

def test_summary_mean_and_std():
    values = [1.0, 2.0, 4.0, 7.0]
    s = kusari.Summary()
    for v in values:
        s.add(v)
    testing.assert_allclose(s.compute_mean(), numpy.mean(values))
    mean, std = s.make_statistics()
    testing.assert_allclose(mean, numpy.mean(values))
    testing.assert_allclose(std, numpy.std(values))


def test_summary_weighted_and_arrays_and_variables():
    s = kusari.Summary()
    s.add(numpy.array(1.0, numpy.float32), weight=3)
    s.add(kusari.Variable(numpy.array(5.0, numpy.float32)), weight=1)
    s.add(numpy.float64(2.0), weight=numpy.array(2.0))
    mean = (3 * 1. + 5. + 2 * 2.) / 6.
    testing.assert_allclose(s.compute_mean(), mean)
    _, std = s.make_statistics()
    var = (3 * 1. + 25. + 2 * 4.) / 6. - mean ** 2
    testing.assert_allclose(std, numpy.sqrt(var), rtol=1e-5)


def test_summary_constant_values_std_not_nan():
    s = kusari.Summary()
    for _ in range(3):
        s.add(0.1)
    _, std = s.make_statistics()
    assert numpy.isfinite(std) and std >= 0


def test_summary_serialize_roundtrip():
    s = kusari.Summary()
    s.add(1.0)
    s.add(3.0)
    store = {}
    s.serialize(_DictSerializer(store))
    assert set(store) == {'_x', '_x2', '_n'}
    s2 = kusari.Summary()
    s2.serialize(_DictDeserializer(store))
    assert s2.compute_mean() == 2.0


def test_summary_deserialize_missing_warns():
    s = kusari.Summary()
    s.add(2.0)
    with pytest.warns(UserWarning, match='not saved'):
        s.serialize(_DictDeserializer({}))
    assert s.compute_mean() == 2.0


# ---------------------------------------------------------------- DictSummary

def test_dict_summary_mean_and_statistics():
    d = kusari.DictSummary()
    d.add({'a': 1.0, 'b': numpy.array(2.0)})
    d.add({'a': 3.0, 'b': kusari.Variable(numpy.array(4.0, numpy.float32))})
    d.add({'a': 5.0})
    mean = d.compute_mean()
    assert set(mean) == {'a', 'b'}
    testing.assert_allclose(mean['a'], 3.0)
    testing.assert_allclose(mean['b'], 3.0)
    stats = d.make_statistics()
    assert set(stats) == {'a', 'a.std', 'b', 'b.std'}
    testing.assert_allclose(stats['a.std'], numpy.std([1., 3., 5.]))
    testing.assert_allclose(stats['b.std'], 1.0)


def test_dict_summary_ignores_non_scalars_and_weights():
    d = kusari.DictSummary()
    d.add({'v': numpy.zeros(3), 's': 'text', 'w': (2.0, 3)})
    d.add({'w': (kusari.Variable(numpy.array(6.0)), kusari.Variable(numpy.array(1.)))})
    mean = d.compute_mean()
    assert set(mean) == {'w'}
    testing.assert_allclose(mean['w'], (2. * 3 + 6.) / 4)
    with pytest.raises(ValueError, match='not scalar'):
        d.add({'w': (1.0, numpy.ones(2))})


def test_dict_summary_serialize_roundtrip():
    d = kusari.DictSummary()
    d.add({'loss': 1.0, 'acc': 0.5})
    d.add({'loss': 3.0})
    store = {}
    d.serialize(_DictSerializer(store))
    assert '_names' in store
    assert '_summaries/0/_x' in store
    d2 = kusari.DictSummary()
    d2.add({'stale': 1.0})
    d2.serialize(_DictDeserializer(store))
    assert d2.compute_mean() == d.compute_mean()


def test_dict_summary_deserialize_missing_names_warns():
    d = kusari.DictSummary()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        d.serialize(_DictDeserializer({}))
    assert any('not saved' in str(x.message) for x in w)
    assert d.compute_mean() == {}


def test_module_exports():
    assert reporter_module.Reporter is kusari.Reporter
    assert reporter_module.report is kusari.report
