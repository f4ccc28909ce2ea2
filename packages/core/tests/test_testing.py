import random
import sys

import numpy
import pytest

import kusari
from kusari import testing
from kusari.testing import attr
from kusari.testing import condition


# ---------------------------------------------------------------- assert_allclose

def test_assert_allclose_passes_within_tolerance():
    x = numpy.array([1.0, 2.0, 3.0], numpy.float32)
    testing.assert_allclose(x, x + 1e-6)
    testing.assert_allclose(x, x * (1 + 5e-5), atol=0, rtol=1e-4)


def test_assert_allclose_fails_with_location_and_errors():
    x = numpy.array([[1.0, 2.0], [3.0, 4.0]])
    y = x.copy()
    y[1, 0] = 3.5
    with pytest.raises(AssertionError) as e:
        testing.assert_allclose(x, y, atol=1e-5, rtol=1e-4)
    msg = str(e.value)
    assert 'assert_allclose failed' in msg
    assert 'i: (1, 0)' in msg
    assert 'x[i]: 3.0' in msg
    assert 'y[i]: 3.5' in msg
    assert 'absolute error[i]: 0.5' in msg
    assert 'shape: (2, 2) (2, 2)' in msg
    assert 'dtype: float64 float64' in msg


def test_assert_allclose_reports_worst_element():
    x = numpy.zeros(5)
    y = numpy.array([0., 1e-3, 0., 2.0, 0.1])
    with pytest.raises(AssertionError) as e:
        testing.assert_allclose(x, y)
    assert 'i: (3,)' in str(e.value)


def test_assert_allclose_accepts_variables_and_mixes():
    a = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    v = kusari.Variable(a)
    testing.assert_allclose(v, a)
    testing.assert_allclose(a, v)
    testing.assert_allclose(v, kusari.Variable(a.copy()))
    with pytest.raises(AssertionError):
        testing.assert_allclose(v, a + 1)


def test_assert_allclose_scalars_lists_and_broadcast():
    testing.assert_allclose(1.0, 1.0 + 1e-7)
    testing.assert_allclose([1, 2], numpy.array([1., 2.]))
    testing.assert_allclose(numpy.full((2, 3), 2.0), 2.0)
    with pytest.raises(AssertionError) as e:
        testing.assert_allclose(numpy.float32(1.0), 2.0)
    assert 'i: ()' in str(e.value)


def test_assert_allclose_nan_and_inf():
    testing.assert_allclose(numpy.array([numpy.nan, 1.]),
                            numpy.array([numpy.nan, 1.]))
    testing.assert_allclose(numpy.array([numpy.inf]), numpy.array([numpy.inf]))
    with pytest.raises(AssertionError) as e:
        testing.assert_allclose(numpy.array([1., numpy.nan]), numpy.array([1., 2.]))
    assert 'i: (1,)' in str(e.value)


def test_assert_allclose_shape_mismatch():
    with pytest.raises(AssertionError) as e:
        testing.assert_allclose(numpy.zeros(3), numpy.zeros(4))
    assert 'shape: (3,) (4,)' in str(e.value)


def test_assert_allclose_verbose_flag():
    x = numpy.arange(3.)
    with pytest.raises(AssertionError) as e:
        testing.assert_allclose(x, x + 1, verbose=True)
    assert '\nx: ' in str(e.value)
    with pytest.raises(AssertionError) as e:
        testing.assert_allclose(x, x + 1, verbose=False)
    assert '\nx: ' not in str(e.value)


def test_assert_allclose_integer_arrays():
    testing.assert_allclose(numpy.array([1, 2, 3]), numpy.array([1, 2, 3]))
    with pytest.raises(AssertionError) as e:
        testing.assert_allclose(numpy.array([1, 2, 3], numpy.uint8),
                                numpy.array([1, 5, 3], numpy.uint8))
    assert 'absolute error[i]: 3.0' in str(e.value)


# ---------------------------------------------------------------- attr

def _marks(f):
    return [m.name for m in getattr(f, 'pytestmark', [])]


def test_attr_gpu_marks_and_skips_without_device():
    def f():
        pass
    g = attr.gpu(f)
    assert 'gpu' in _marks(g)
    if attr._gpu_count() == 0:
        assert 'skipif' in _marks(g)


def test_attr_slow_and_multi_gpu():
    def f():
        pass
    assert 'slow' in _marks(attr.slow(f))

    def h():
        pass
    h = attr.multi_gpu(1024)(h)
    assert 'gpu' in _marks(h)
    assert 'skipif' in _marks(h)


@attr.gpu
def test_attr_gpu_decorated_test_is_skipped_without_cupy():
    cupy = pytest.importorskip('cupy')
    assert cupy.cuda.runtime.getDeviceCount() > 0


# ---------------------------------------------------------------- parameterized

def test_product_of_dict():
    ps = testing.product({'a': [1, 2], 'b': ['x', 'y', 'z']})
    assert len(ps) == 6
    assert {'a': 2, 'b': 'y'} in ps
    assert all(set(p) == {'a', 'b'} for p in ps)


def test_product_dict_and_list_form():
    ps = testing.product_dict([{'a': 1}, {'a': 2}], [{'b': 3, 'c': 4}])
    assert ps == [{'a': 1, 'b': 3, 'c': 4}, {'a': 2, 'b': 3, 'c': 4}]
    assert testing.product([[{'a': 1}, {'a': 2}], [{'b': 3, 'c': 4}]]) == ps
    with pytest.raises(TypeError):
        testing.product(3)


_SEEN_PARAMS = []


@testing.parameterize(*testing.product({'dtype': [numpy.float16, numpy.float32],
                                        'n': [1, 2]}))
class TestParameterizeGenerates:

    def test_params_present(self):
        assert self.dtype in (numpy.float16, numpy.float32)
        assert self.n in (1, 2)
        _SEEN_PARAMS.append((self.dtype, self.n))


def test_parameterize_generated_classes():
    module = sys.modules[__name__]
    generated = [n for n in dir(module)
                 if n.startswith('TestParameterizeGenerates_param_')]
    assert len(generated) == 4
    # The decorated name holds a bundle, not a collectable class (as in Chainer).
    assert not isinstance(TestParameterizeGenerates, type)
    assert len(TestParameterizeGenerates.cases) == 4
    combos = {(getattr(module, n).dtype, getattr(module, n).n) for n in generated}
    assert combos == {(d, n) for d in (numpy.float16, numpy.float32) for n in (1, 2)}
    assert 'TestParameterizeGenerates_param_0_{dtype=float16, n=1}' in generated


@testing.parameterize({'a': 1}, {'a': 2})
@testing.parameterize({'b': 10}, {'b': 20}, {'b': 30})
class TestParameterizeStacked:

    def test_both(self):
        assert self.a in (1, 2)
        assert self.b in (10, 20, 30)


def test_parameterize_stacked_combines():
    module = sys.modules[__name__]
    generated = [n for n in dir(module)
                 if n.startswith('TestParameterizeStacked_param_')]
    assert len(generated) == 6
    combos = {(getattr(module, n).a, getattr(module, n).b) for n in generated}
    assert combos == {(a, b) for a in (1, 2) for b in (10, 20, 30)}


def test_parameterize_rejects_functions():
    with pytest.raises(TypeError):
        testing.parameterize({'a': 1})(lambda: None)


# ---------------------------------------------------------------- random, condition

def test_fix_random_is_reproducible_and_restores_state():
    @testing.fix_random(seed=7)
    def draw():
        return numpy.random.rand(3), random.random()

    numpy.random.seed(123)
    expected_next = numpy.random.rand()
    numpy.random.seed(123)
    a = draw()
    b = draw()
    numpy.testing.assert_array_equal(a[0], b[0])
    assert a[1] == b[1]
    # the outer state is untouched
    assert numpy.random.rand() == expected_next


def test_fix_random_on_class():
    @testing.fix_random(seed=1)
    class T:
        def test_a(self):
            return numpy.random.rand()

    assert T().test_a() == T().test_a()


def test_condition_repeat_and_retry():
    calls = []

    @condition.repeat(3)
    def f():
        calls.append(1)
    f()
    assert len(calls) == 3

    attempts = []

    @condition.retry(3)
    def flaky():
        attempts.append(1)
        assert len(attempts) >= 2
    flaky()
    assert len(attempts) == 2

    @condition.retry(2)
    def always_fails():
        raise AssertionError('no')
    with pytest.raises(AssertionError):
        always_fails()
    with pytest.raises(ValueError):
        condition.retry(0)
