"""kusari.testing's Chainer API: parameterize bundles, inject_backend_tests,
FunctionTestCase / LinkTestCase / LinkInitializersTestCase, helpers, condition."""
import sys
import unittest
import warnings

import numpy
import pytest

import kusari
from kusari import testing
from kusari.testing import attr
from kusari.testing import condition
from kusari.testing import function_link

_module = sys.modules[__name__]


def _names(prefix):
    return sorted(n for n in dir(_module) if n.startswith(prefix))


# ------------------------------------------------------------ parameterize

def test_product_comma_keys_and_order():
    assert testing.product({'b': [1, 2], 'a': ['x']}) == [
        {'a': 'x', 'b': 1}, {'a': 'x', 'b': 2}]
    assert testing.product({'a,b': [(1, 2), (3, 4)], 'c': [0]}) == [
        {'a': 1, 'b': 2, 'c': 0}, {'a': 3, 'b': 4, 'c': 0}]
    assert testing.product({'a': [1, 2], 'b': []}) == []
    assert testing.product({}) == [{}]
    assert testing.product([]) == [{}]
    with pytest.raises(TypeError):
        testing.product([[1]])
    with pytest.raises(ValueError):
        testing.product({'a,b': [(1,)]})


def test_parameterize_pytest_and_from_pytest():
    assert testing.from_pytest_parameterize('a', [1, 2]) == [{'a': 1}, {'a': 2}]
    assert testing.from_pytest_parameterize('a,b', [(1, 2)]) == [{'a': 1, 'b': 2}]


def _plain(x):
    return x + 1


class _Callable:
    def __call__(self, x):
        return x + 1


@testing.parameterize({'fn': _plain}, {'fn': lambda x: x + 1}, {'fn': _Callable()})
class TestFunctionValuedParameter(unittest.TestCase):

    def test_call(self):
        # A function parameter stays a function: no `self` is passed.
        assert self.fn(1) == 2


@testing.parameterize({'p': 1}, {'p': 2})
@testing.parameterize({'q': 10}, {'q': 20}, {'q': 30})
class TestStackedGenerated(unittest.TestCase):

    def test_both(self):
        assert (self.p, self.q) in {(a, b) for a in (1, 2) for b in (10, 20, 30)}


def test_stacked_parameterize_replaces_inner_generation():
    names = _names('TestStackedGenerated_')
    assert len(names) == 6
    # The inner generation was removed from the module; its classes were expanded.
    assert all('_param_' in n[len('TestStackedGenerated_param_0_{q=10}'):] or
               n.count('_param_') == 2 for n in names)
    combos = {(getattr(_module, n).p, getattr(_module, n).q) for n in names}
    assert combos == {(a, b) for a in (1, 2) for b in (10, 20, 30)}


def test_class_name_format_and_shortening():
    from kusari.testing import parameterized
    assert parameterized._class_name('T', 3, {'b': 'x', 'a': numpy.float32}) == \
        "T_param_3_{a=float32, b='x'}"
    long = parameterized._class_name('T', 0, {'a': 'y' * 500})
    assert len(long) < 140 and '...' in long


def test_parameterized_failure_names_parameters_and_keeps_type():
    holder = {}

    @testing.parameterize({'k': 7})
    class Failing(unittest.TestCase):
        def test_x(self):
            raise KeyError('boom')
    for cls, mod, name in Failing.cases:
        holder['cls'] = cls
        delattr(sys.modules[mod], name)
    case = holder['cls']('test_x')
    with pytest.raises(KeyError) as e:
        case.test_x()
    assert 'k: 7' in str(e.value) and 'boom' in str(e.value)
    assert isinstance(e.value.__cause__, KeyError)


def test_parameterize_rejects_non_dicts_and_non_classes():
    with pytest.raises(TypeError):
        testing.parameterize([1])
    with pytest.raises(TypeError):
        testing.parameterize({'a': 1})(lambda: None)


# ------------------------------------------------------------ backends

def test_backend_config_cpu():
    c = testing.BackendConfig({})
    assert c.device == kusari.backend.CpuDevice() and c.xp is numpy
    assert c.get_pytest_marks() == []
    a = numpy.arange(3.)
    assert c.get_array(a) is a
    with c:
        assert kusari.config.use_cudnn == 'never'
    assert 'use_ideep_never' in c.get_func_str()
    assert repr(c).startswith('<BackendConfig use_chainerx=False')


def test_backend_config_marks_and_errors():
    assert testing.BackendConfig({'use_cuda': True}).cuda_device == 0
    assert attr.gpu in testing.BackendConfig({'use_cuda': True}).get_pytest_marks()
    marks = testing.BackendConfig({'use_cuda': True, 'cuda_device': 1,
                                   'use_cudnn': 'always'}).get_pytest_marks()
    assert attr.cudnn in marks and len(marks) == 3
    assert testing.BackendConfig({'use_ideep': 'always'}).get_pytest_marks() == [
        attr.ideep]
    assert attr.chainerx in testing.BackendConfig(
        {'use_chainerx': True, 'chainerx_device': 'native:0'}).get_pytest_marks()
    with pytest.raises(ValueError):
        testing.BackendConfig({'no_such': 1})
    with pytest.raises(TypeError):
        testing.BackendConfig([])
    with pytest.raises(TypeError):
        testing.inject_backend_tests('test_a', [{}])
    with pytest.raises(TypeError):
        testing.inject_backend_tests(None, {})


_SEEN_BACKENDS = []


@testing.inject_backend_tests(['test_injected'], [
    {}, {'use_ideep': 'always'}, {'use_chainerx': True, 'chainerx_device': 'native:0'},
    {'use_cuda': True}])
@testing.parameterize({'n': 1}, {'n': 2})
class TestInjectAndParameterize(unittest.TestCase):

    def test_injected(self, backend_config):
        assert isinstance(backend_config, testing.BackendConfig)
        _SEEN_BACKENDS.append((self.n, backend_config.use_ideep))

    def test_plain(self):
        assert self.n in (1, 2)


def test_inject_backend_tests_generates_classes():
    names = _names('TestInjectAndParameterize_')
    # 2 parameter sets x (the base keeping test_plain + 4 backends)
    assert len(names) == 10
    with_plain = [n for n in names
                  if getattr(getattr(_module, n), 'test_plain', None) is not None
                  and getattr(getattr(_module, n), 'test_injected') is None]
    assert len(with_plain) == 2
    cpu = [n for n in names if n.endswith('use_ideep_never') and 'use_cuda_false' in n
           and 'use_chainerx_false' in n]
    assert len(cpu) == 2
    ideep = [n for n in names if n.endswith('use_ideep_always')]
    marks = [m.name for m in getattr(getattr(_module, ideep[0]).test_injected,
                                     'pytestmark', [])]
    assert 'ideep' in marks and 'skipif' in marks


# ------------------------------------------------------------ FunctionTestCase

def _square(x):
    return x * x


@testing.inject_backend_tests(None, [{}])
@testing.parameterize({'contiguous': None}, {'contiguous': 'C'})
class TestSquareFunction(testing.FunctionTestCase):

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (3, 2)).astype(numpy.float64),

    def forward(self, inputs, device):
        x, = inputs
        if self.contiguous is None and self.test_name == 'test_forward':
            # (numerical gradients are taken on contiguous copies)
            assert not x.array.flags.c_contiguous
        return _square(x),

    def forward_expected(self, inputs):
        return inputs[0] ** 2,


class _BrokenSquare(kusari.FunctionNode):
    def forward(self, inputs):
        self.retain_inputs((0,))
        return inputs[0] ** 2,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return 3 * x * grad_outputs[0],     # wrong: should be 2 x


def _run(cls, name):
    result = unittest.TestResult()
    cls(name).run(result)
    return result


def test_function_test_case_detects_wrong_forward_and_backward():
    class Base(testing.FunctionTestCase):
        def generate_inputs(self):
            return numpy.random.uniform(0.5, 1, (2, 2)),

        def forward(self, inputs, device):
            return _BrokenSquare().apply(inputs)

        def forward_expected(self, inputs):
            return inputs[0] ** 2,
    cfg = testing.BackendConfig({})
    Base('test_forward').test_forward(cfg)
    with pytest.raises(testing.FunctionTestError, match='backward is not'):
        Base('test_backward').test_backward(cfg)

    class WrongForward(Base):
        def forward_expected(self, inputs):
            return inputs[0] ** 3,
    with pytest.raises(testing.FunctionTestError, match='do not match'):
        WrongForward('test_forward').test_forward(cfg)

    class WrongDtype(Base):
        def forward_expected(self, inputs):
            return (inputs[0] ** 2).astype(numpy.float32),
    with pytest.raises(testing.FunctionTestError, match='dtypes do not match'):
        WrongDtype('test_forward').test_forward(cfg)

    class NotTuple(Base):
        def forward(self, inputs, device):
            return _square(inputs[0])
    with pytest.raises(testing.FunctionTestError, match='must return a tuple'):
        NotTuple('test_forward').test_forward(cfg)


def test_function_test_case_detects_modified_input_and_skips():
    class Modifies(testing.FunctionTestCase):
        def generate_inputs(self):
            return numpy.ones((2, 2)),

        def forward(self, inputs, device):
            inputs[0].array[...] = 5
            return inputs[0] * 1,

        def forward_expected(self, inputs):
            return inputs[0].copy(),
    cfg = testing.BackendConfig({})
    with pytest.raises(testing.FunctionTestError, match='modified during forward'):
        Modifies('test_forward').test_forward(cfg)

    class Skips(Modifies):
        skip_forward_test = True
    with pytest.raises(unittest.SkipTest):
        Skips('test_forward').test_forward(cfg)


# ------------------------------------------------------------ LinkTestCase

class _Scale(kusari.Link):
    def __init__(self, initial_w, initial_b=None):
        super().__init__()
        with self.init_scope():
            self.w = kusari.Parameter(initial_w, (3,))
            self.b = kusari.Parameter(0 if initial_b is None else initial_b, (3,))

    def forward(self, x):
        return x * self.w + self.b


class _ScaleLinkBase:
    param_names = ('w', 'b')

    def generate_params(self):
        return (numpy.random.uniform(-1, 1, (3,)).astype(numpy.float32),
                numpy.random.uniform(-1, 1, (3,)).astype(numpy.float32))

    def generate_inputs(self):
        return numpy.random.uniform(-1, 1, (3,)).astype(numpy.float32),

    def create_link(self, initializers):
        return _Scale(*initializers)


@testing.inject_backend_tests(None, [{}])
class TestScaleLink(_ScaleLinkBase, testing.LinkTestCase):

    def setUp(self):
        self.check_backward_options = {'atol': 1e-3, 'rtol': 1e-3}

    def forward_expected(self, link, inputs):
        return inputs[0] * link.w.array + link.b.array,


@testing.inject_backend_tests(None, [{}])
class TestScaleLinkInitializers(_ScaleLinkBase, testing.LinkInitializersTestCase):

    def get_initializers(self):
        return ([kusari.initializers.Constant(2.), 3.],
                [testing.InitializerArgument(None, 0), 1.5])


def test_link_test_case_detects_wrong_expectation():
    class Wrong(_ScaleLinkBase, testing.LinkTestCase):
        def forward_expected(self, link, inputs):
            return inputs[0] * link.w.array,
    with pytest.raises(testing.LinkTestError):
        Wrong('test_forward').test_forward(testing.BackendConfig({}))

    class WrongInit(_ScaleLinkBase, testing.LinkInitializersTestCase):
        def create_link(self, initializers):
            return _Scale(initializers[0] + 1 if not callable(initializers[0])
                          else initializers[0], initializers[1])

        def get_initializers(self):
            return [2.], [1.]
    with pytest.raises(testing.LinkTestError):
        WrongInit('test_initializers').test_initializers(testing.BackendConfig({}))


def test_initializer_argument_checks():
    with pytest.raises(ValueError):
        testing.InitializerArgument(None, None)
    with pytest.raises(TypeError):
        testing.InitializerArgument(None, 'nope')
    with pytest.raises(ValueError):
        function_link._check_generated_initializer(None)


# ------------------------------------------------------------ helpers

def test_assert_warns():
    with testing.assert_warns(UserWarning):
        warnings.warn('x')
    with pytest.raises(AssertionError, match='DeprecationWarning not triggerred'):
        with testing.assert_warns(DeprecationWarning):
            warnings.warn('x', UserWarning)


def test_with_and_without_requires():
    run = testing.with_requires('numpy>=1.0')(lambda: 1)
    assert run() == 1
    skipped = testing.with_requires('numpy<1.0')(lambda: 1)
    with pytest.raises(unittest.SkipTest):
        skipped()
    with pytest.raises(unittest.SkipTest):
        testing.with_requires('no-such-distribution-xyz')(lambda: 1)()
    assert testing.without_requires('no-such-distribution-xyz')(lambda: 2)() == 2
    with pytest.raises(unittest.SkipTest):
        testing.without_requires('numpy')(lambda: 1)()


def test_patch_wraps_original():
    with testing.patch('kusari.testing.helper._version_key') as m:
        from kusari.testing import helper
        assert helper._version_key('1.2') == (1, 2)
    assert m.call_count == 1


def test_attr_chainerx_ideep_always_skip():
    for deco, mark in ((attr.chainerx, 'chainerx'), (attr.ideep, 'ideep')):
        def f():
            pass
        f = deco(f)
        names = [m.name for m in f.pytestmark]
        assert mark in names and 'skipif' in names


def test_generate_matrix_singular_values():
    a = testing.generate_matrix((2, 3, 4), numpy.float32,
                                singular_values=[[3., 2., 1.], [1., 1., .5]])
    s = numpy.linalg.svd(a.astype(numpy.float64), compute_uv=False)
    numpy.testing.assert_allclose(s, [[3, 2, 1], [1, 1, .5]], rtol=1e-5)
    with pytest.raises(ValueError):
        testing.generate_matrix((3,), singular_values=1)
    with pytest.raises(TypeError):
        testing.generate_matrix((2, 2), numpy.int32, singular_values=1)
    with pytest.raises(ValueError):
        testing.generate_matrix((2, 2), singular_values=-1)


def test_run_module_is_noop_on_import():
    assert testing.run_module('some.module', __file__) is None


def test_save_and_load_npz_roundtrip():
    pytest.importorskip('kusari.serializers')

    class Holder:
        def __init__(self, v):
            self.v = v

        def serialize(self, s):
            self.v = s('v', self.v)
    src, dst = Holder(numpy.arange(3.)), Holder(numpy.zeros(3))
    testing.save_and_load_npz(src, dst)
    numpy.testing.assert_array_equal(dst.v, [0., 1., 2.])


def test_save_and_load_generic():
    store = {}
    testing.save_and_load(1, None, 'f.txt', lambda p, o: store.update(p=p, o=o),
                          lambda p, o: store.update(q=p))
    assert store['p'] == store['q'] and store['p'].endswith('f.txt')


# ------------------------------------------------------------ condition

class _Counter(unittest.TestCase):
    calls = []
    setups = 0

    def setUp(self):
        type(self).setups += 1

    def runTest(self):
        pass


def test_repeat_with_success_at_least_unittest():
    _Counter.calls = []
    _Counter.setups = 0

    def flaky(self):
        _Counter.calls.append(1)
        assert len(_Counter.calls) % 2 == 0

    condition.repeat_with_success_at_least(10, 5)(flaky)(_Counter())
    assert len(_Counter.calls) <= 10 and _Counter.setups == len(_Counter.calls)
    _Counter.calls = []
    with pytest.raises(AssertionError, match='first error message'):
        condition.repeat_with_success_at_least(10, 6)(flaky)(_Counter())
    with pytest.raises(AssertionError):
        condition.repeat_with_success_at_least(3, 4)


def test_repeat_and_retry_skip_and_plain_functions():
    n = []

    def skipping(self):
        n.append(1)
        pytest.skip('why')
    with pytest.raises(unittest.SkipTest, match='why'):
        condition.repeat(5)(skipping)(_Counter())
    assert len(n) == 1
    tries = []

    def plain():
        tries.append(1)
        assert len(tries) == 3
    condition.retry(5)(plain)()
    assert len(tries) == 3
    with pytest.raises(AssertionError, match='Fail: 1, Success: 0'):
        condition.repeat(2)(lambda: 1 / 0)()


def test_unary_math_function_unittest_rejects_unknown_name():
    def no_numpy_counterpart(x):
        return x
    with pytest.raises(ValueError):
        testing.unary_math_function_unittest(no_numpy_counterpart)


class _Exp(kusari.FunctionNode):
    def forward(self, inputs):
        self.retain_outputs((0,))
        return numpy.exp(inputs[0]),

    def backward(self, indexes, gys):
        y, = self.get_retained_outputs()
        return gys[0] * y,


def exp(x):
    return _Exp().apply((x,))[0]


@testing.unary_math_function_unittest(exp)
class TestUnaryExp(unittest.TestCase):
    pass


def test_unary_generated_tests():
    names = _names('TestUnaryExp_param_')
    assert len(names) == 6
    cls = getattr(_module, names[0])
    for m in ('test_forward_cpu', 'test_backward_cpu', 'test_double_backward_cpu'):
        assert callable(getattr(cls, m))


# ------------------------------------------------------------ distribution_unittest

class _Exponential:
    """A minimal distribution (rate ``lam``) for the distribution test base."""

    def __init__(self, lam):
        self.lam = lam if isinstance(lam, kusari.Variable) else kusari.Variable(lam)
        self.batch_shape = self.lam.shape
        self.event_shape = ()
        self.support = 'positive'

    def _lam(self):
        return self.lam.array

    def log_prob(self, x):
        return kusari.Variable(numpy.log(self._lam()) - self._lam() * x)

    def cdf(self, x):
        return kusari.Variable(1 - numpy.exp(-self._lam() * x))

    @property
    def mean(self):
        return kusari.Variable(1 / self._lam())

    @property
    def variance(self):
        return kusari.Variable(1 / self._lam() ** 2)

    def sample(self, sample_shape=()):
        return kusari.Variable(numpy.random.exponential(
            1 / self._lam(), sample_shape + self.batch_shape).astype(numpy.float32))


class TestDistributionBase(testing.distribution_unittest):

    def setUp_configure(self):
        stats = pytest.importorskip('scipy.stats')
        self.dist = _Exponential
        self.scipy_dist = stats.expon
        self.shape = (2, 3)
        self.sample_shape = (4,)
        self.is_variable = True
        self.support = 'positive'
        self.test_targets = {'batch_shape', 'log_prob', 'cdf', 'mean', 'variance',
                             'support', 'sample'}
        lam = numpy.random.uniform(0.5, 2, self.shape).astype(numpy.float32)
        self.params = {'lam': lam}
        self.scipy_params = {'scale': 1 / lam}

    def sample_for_test(self):
        return numpy.random.uniform(0.1, 3, self.sample_shape + self.shape
                                    ).astype(numpy.float32)


def test_distribution_unittest_detects_a_wrong_distribution():
    pytest.importorskip('scipy.stats')

    class Wrong(_Exponential):
        @property
        def mean(self):
            return kusari.Variable(2 / self._lam())

    class T(TestDistributionBase):
        def setUp_configure(self):
            super().setUp_configure()
            self.dist = Wrong
    case = T('test_mean_cpu')
    case.setUp()
    with pytest.raises(AssertionError):
        case.test_mean_cpu()
    case = T('test_icdf_cpu')
    case.setUp()
    with pytest.raises(unittest.SkipTest):
        case.test_icdf_cpu()

    class Bad(TestDistributionBase):
        def setUp_configure(self):
            super().setUp_configure()
            self.test_targets = {'nonsense'}
    with pytest.raises(ValueError):
        Bad('test_mean_cpu').setUp()
