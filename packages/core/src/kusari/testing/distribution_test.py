"""A base class that tests a probability distribution against SciPy:
:class:`distribution_unittest` (as ``chainer.testing.distribution_unittest``).

A subclass's ``setUp_configure`` sets ``self.dist`` (the distribution class),
``self.scipy_dist`` (the SciPy distribution), ``self.params`` /
``self.scipy_params`` (constructor arguments of each), ``self.shape`` (batch
shape), ``self.sample_shape``, ``self.is_variable`` (wrap the params in
Variables), ``self.test_targets`` (a subset of :data:`TARGETS`), and may set
``support``, ``event_shape``, ``continuous``, ``options`` and
``scipy_onebyone`` (SciPy takes one parameter set at a time); it also defines
``sample_for_test()``.  Each target gets ``test_<target>_cpu`` and an
``attr.gpu`` ``test_<target>_gpu``; the others skip.  Needs SciPy and the
distributions package.
"""
import unittest

import numpy

from kusari.testing import array
from kusari.testing import attr

#: The targets a test class can select.
TARGETS = frozenset((
    'batch_shape', 'cdf', 'entropy', 'event_shape', 'icdf', 'log_cdf', 'log_prob',
    'log_survival', 'mean', 'prob', 'sample', 'stddev', 'support', 'survival',
    'variance'))


def _to_gpu(a):
    from kusari import backend
    return backend.to_gpu(a)


class distribution_unittest(unittest.TestCase):
    """Base of distribution tests (see the module docstring)."""

    scipy_onebyone = False
    # The base has no configuration to run; its subclasses are the tests.
    __test__ = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if '__test__' not in cls.__dict__:
            cls.__test__ = True

    def setUp(self):
        import kusari
        self.support = 'real'
        if not hasattr(self, 'event_shape'):
            self.event_shape = ()
        self.continuous = True
        self.test_targets = set()
        self.options = {}
        self.setUp_configure()
        unknown = set(self.test_targets) - TARGETS
        if unknown:
            raise ValueError('invalid target(s): {}'.format(unknown))
        if self.is_variable:
            self.params = {k: kusari.Variable(v) for k, v in self.params.items()}

    def scipy_onebyone_params_iter(self):
        for index in numpy.ndindex(self.shape):
            yield {k: v[index] for k, v in self.scipy_params.items()}

    @property
    def cpu_dist(self):
        params = self.params
        params.update(self.options)
        return self.dist(**params)

    @property
    def gpu_dist(self):
        import kusari
        if self.is_variable:
            params = {k: kusari.Variable(_to_gpu(v.array))
                      for k, v in self.params.items()}
        else:
            params = {k: _to_gpu(v) for k, v in self.params.items()}
        params.update(self.options)
        return self.dist(**params)

    def _dist(self, gpu):
        return self.gpu_dist if gpu else self.cpu_dist

    def _require(self, target):
        if target not in self.test_targets:
            self.skipTest("'{}' does not exist in test_targets.".format(target))

    def _onebyone(self, method, extra_shape=()):
        values = [method(**p) for p in self.scipy_onebyone_params_iter()]
        return numpy.vstack(values).reshape(self.shape + extra_shape)

    def _at_sample(self, gpu, method, scipy_name):
        smp = self.sample_for_test()
        dist = self._dist(gpu)
        actual = getattr(dist, method)(_to_gpu(smp) if gpu else smp).array
        expected = getattr(self.scipy_dist, scipy_name)(smp, **self.scipy_params)
        array.assert_allclose(actual, expected)

    def _property(self, gpu, name, scipy_name, with_event_shape=False):
        actual = getattr(self._dist(gpu), name).array
        scipy_method = getattr(self.scipy_dist, scipy_name)
        if self.scipy_onebyone:
            extra = self.cpu_dist.event_shape if with_event_shape else ()
            expected = self._onebyone(scipy_method, extra)
        else:
            expected = scipy_method(**self.scipy_params)
        array.assert_allclose(actual, expected)

    def check_cdf(self, is_gpu):
        self._at_sample(is_gpu, 'cdf', 'cdf')

    def check_log_cdf(self, is_gpu):
        self._at_sample(is_gpu, 'log_cdf', 'logcdf')

    def check_survival(self, is_gpu):
        self._at_sample(is_gpu, 'survival_function', 'sf')

    def check_log_survival(self, is_gpu):
        self._at_sample(is_gpu, 'log_survival_function', 'logsf')

    def check_prob(self, is_gpu):
        self._at_sample(is_gpu, 'prob', 'pdf' if self.continuous else 'pmf')

    def check_entropy(self, is_gpu):
        self._property(is_gpu, 'entropy', 'entropy')

    def check_mean(self, is_gpu):
        self._property(is_gpu, 'mean', 'mean', with_event_shape=True)

    def check_variance(self, is_gpu):
        self._property(is_gpu, 'variance', 'var', with_event_shape=True)

    def check_stddev(self, is_gpu):
        actual = self._dist(is_gpu).stddev.array
        array.assert_allclose(actual, self.scipy_dist.std(**self.scipy_params))

    def check_icdf(self, is_gpu):
        smp = numpy.random.uniform(1e-5, 1 - 1e-5, self.sample_shape + self.shape
                                   ).astype(numpy.float32)
        actual = self._dist(is_gpu).icdf(_to_gpu(smp) if is_gpu else smp).array
        array.assert_allclose(actual, self.scipy_dist.ppf(smp, **self.scipy_params))

    def check_log_prob(self, is_gpu):
        from kusari import utils
        smp = self.sample_for_test()
        actual = self._dist(is_gpu).log_prob(_to_gpu(smp) if is_gpu else smp).array
        scipy_prob = (self.scipy_dist.logpdf if self.continuous
                      else self.scipy_dist.logpmf)
        if self.scipy_onebyone:
            # One SciPy call per batch element, on that element's samples.
            per = smp.reshape(*[utils.size_of_shape(s) for s in
                                (self.sample_shape, self.shape, self.event_shape)])
            per = numpy.swapaxes(per, 0, 1).reshape(
                (-1,) + self.sample_shape + self.event_shape)
            values = [scipy_prob(s, **p)
                      for p, s in zip(self.scipy_onebyone_params_iter(), per)]
            expected = numpy.vstack(values).reshape(
                utils.size_of_shape(self.shape), -1).T.reshape(
                    self.sample_shape + self.shape)
        else:
            expected = scipy_prob(smp, **self.scipy_params)
        array.assert_allclose(actual, expected)

    def check_sample(self, is_gpu):
        from kusari import utils
        n = 100000
        dist = self._dist(is_gpu)
        smp1 = dist.sample(sample_shape=(n,) + self.sample_shape).array
        event_shape = self.cpu_dist.event_shape
        if self.scipy_onebyone:
            parts = [self.scipy_dist.rvs(size=(n,) + self.sample_shape, **p)
                     for p in self.scipy_onebyone_params_iter()]
            smp2 = numpy.vstack(parts).reshape(
                (utils.size_of_shape(self.shape), n) + self.sample_shape +
                event_shape)
            smp2 = numpy.rollaxis(smp2, 0, smp2.ndim - len(event_shape))
            smp2 = smp2.reshape((n,) + self.sample_shape + self.shape + event_shape)
        else:
            smp2 = self.scipy_dist.rvs(size=(n,) + self.sample_shape + self.shape,
                                       **self.scipy_params)
        array.assert_allclose(smp1.mean(axis=0), smp2.mean(axis=0), atol=3e-2,
                              rtol=3e-2)
        array.assert_allclose(smp1.std(axis=0), smp2.std(axis=0), atol=3e-2,
                              rtol=3e-2)

    def check_batch_shape(self, is_gpu):
        self.assertEqual(self._dist(is_gpu).batch_shape, self.shape)

    def check_event_shape(self, is_gpu):
        self.assertEqual(self._dist(is_gpu).event_shape, self.event_shape)

    def check_support(self, is_gpu):
        self.assertEqual(self._dist(is_gpu).support, self.support)


def _add_tests(cls):
    for target in sorted(TARGETS):
        def make(target, gpu):
            def test(self):
                self._require(target)
                getattr(self, 'check_' + target)(gpu)
            test.__name__ = 'test_{}_{}'.format(target, 'gpu' if gpu else 'cpu')
            test.__qualname__ = cls.__name__ + '.' + test.__name__
            test.__doc__ = 'Tests {} on the {}.'.format(target,
                                                        'GPU' if gpu else 'CPU')
            return attr.gpu(test) if gpu else test
        for gpu in (False, True):
            t = make(target, gpu)
            setattr(cls, t.__name__, t)


_add_tests(distribution_unittest)
