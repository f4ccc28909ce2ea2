"""Test-case base classes: :class:`FunctionTestCase`, :class:`LinkTestCase`,
:class:`LinkInitializersTestCase` (as in ``chainer.testing``).

A subclass describes inputs, the computation and its expected (NumPy) result; the
base class supplies ``test_forward`` / ``test_backward`` / ``test_double_backward``
(or ``test_initializers``), each taking a
:class:`~kusari.testing.BackendConfig`, so they are meant to be used with
:func:`~kusari.testing.inject_backend_tests`.  Inputs are made non-contiguous
unless ``contiguous = 'C'``.
"""
import contextlib
import unittest

import numpy

from kusari.testing import array as array_module


class _TestError(AssertionError):
    """Base of the errors that say the tested function or link is wrong."""

    @classmethod
    def check(cls, expr, message):
        if not expr:
            raise cls(message)

    @classmethod
    def fail(cls, message, exc=None):
        if exc is not None:
            raise cls('{}\n\n(caused by)\n{}: {}\n'.format(
                message, type(exc).__name__, exc)) from exc
        raise cls(message)

    @classmethod
    @contextlib.contextmanager
    def raise_if_fail(cls, message, error_types=AssertionError):
        try:
            yield
        except error_types as e:
            cls.fail(message, e)


class FunctionTestError(_TestError):
    """Raised when the function under test is implemented incorrectly."""


class LinkTestError(_TestError):
    """Raised when the link under test is implemented incorrectly."""


def _check_is_initializer_like(init):
    if init is None:
        return
    if isinstance(init, (int, float, complex, numpy.number, numpy.ndarray,
                         numpy.bool_)) or callable(init):
        return
    if type(init).__module__.split('.')[0] == 'cupy':
        return
    raise TypeError('{} is not an initializer-like (expected a scalar, an array or '
                    'a callable)'.format(type(init).__name__))


class InitializerArgument:
    """A link-constructor argument and the initializer the link uses for it.

    For :meth:`LinkInitializersTestCase.get_initializers` when the argument is
    not itself the initializer, e.g. ``InitializerArgument(None, 0)`` for a
    bias that defaults to zeros.

    Args:
        argument_value: What is passed to the link's constructor.
        expected_initializer: The initializer-like the link should then use
            (not ``None``).
    """

    def __init__(self, argument_value, expected_initializer):
        if expected_initializer is None:
            raise ValueError('InitializerArgument: expected initializer cannot be '
                             'None.')
        _check_is_initializer_like(expected_initializer)
        self.argument_value = argument_value
        self.expected_initializer = expected_initializer


def _format_array_props(arrays):
    return ', '.join('None' if a is None else '{}:{}'.format(a.shape, a.dtype)
                     for a in arrays)


def _check_array_types(arrays, device, func_name):
    if not isinstance(arrays, tuple):
        raise TypeError('`{}()` must return a tuple, not {}.'.format(
            func_name, type(arrays)))
    if not all(a is None or isinstance(a, device.supported_array_types)
               for a in arrays):
        raise TypeError('{}() must return a tuple of arrays supported by device {} '
                        'or None.\nActual: {}'.format(
                            func_name, device, tuple(type(a) for a in arrays)))


def _check_variable_types(outputs, device, func_name, error_cls):
    import kusari
    if not isinstance(outputs, tuple):
        error_cls.fail('`{}()` must return a tuple, not {}.'.format(
            func_name, type(outputs)))
    if not all(isinstance(a, kusari.Variable) for a in outputs):
        error_cls.fail('{}() must return a tuple of Variables.\nActual: {}'.format(
            func_name, ', '.join(str(type(a)) for a in outputs)))
    if not all(isinstance(a.array, device.supported_array_types) for a in outputs):
        error_cls.fail(
            '{}() must return a tuple of Variables of arrays supported by device '
            '{}.\nActual: {}'.format(func_name, device, ', '.join(
                str(type(a.array)) for a in outputs)))


def _check_arrays_equal(actual, expected, error_cls, **opts):
    message = detail = None
    if len(actual) != len(expected):
        message = 'Number of outputs ({}, {}) does not match'.format(
            len(actual), len(expected))
    elif not all(a.dtype == e.dtype and a.shape == e.shape
                 for a, e in zip(actual, expected)):
        message = 'Shapes and/or dtypes do not match'
    else:
        errors = []
        for i, (a, e) in enumerate(zip(actual, expected)):
            try:
                array_module.assert_allclose(a, e, **opts)
            except AssertionError as err:
                errors.append((i, err))
        if errors:
            message = ('Outputs do not match the expected values.\n'
                       'Indices of outputs that do not match: {}'.format(
                           ', '.join(str(i) for i, _ in errors)))
            detail = ''.join('Error details of output [{}]:\n{}\n'.format(i, err)
                             for i, err in errors)
    if message is not None:
        msg = ('{}\nExpected shapes and dtypes: {}\nActual shapes and dtypes:   {}\n'
               .format(message, _format_array_props(expected),
                       _format_array_props(actual)))
        if detail is not None:
            msg += '\n\n' + detail
        error_cls.fail(msg)


def _as_needed(contiguous, arrays):
    if contiguous is None:
        return array_module._as_noncontiguous_array(arrays)
    if contiguous == 'C':
        return arrays
    raise AssertionError("Invalid value of `contiguous`: {!r} (expected None or "
                         "'C')".format(contiguous))


def _retry_nondifferentiable(dodge, check):
    from kusari import gradient_check
    while True:
        try:
            check()
        except gradient_check.NondifferentiableError:
            if dodge:
                continue       # resample: the inputs hit a non-differentiable point
            raise
        return


def _cpu():
    from kusari import backend
    return backend.CpuDevice()


class FunctionTestBase:
    """The machinery of :class:`FunctionTestCase` (without ``unittest``)."""

    backend_config = None
    check_forward_options = None
    check_backward_options = None
    check_double_backward_options = None
    skip_forward_test = False
    skip_backward_test = False
    skip_double_backward_test = False
    dodge_nondifferentiable = False
    numerical_grad_dtype = numpy.float64
    contiguous = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_forward_options = {}
        self.check_backward_options = {}
        self.check_double_backward_options = {}

    def before_test(self, test_name):
        pass

    def forward(self, inputs, device):
        raise NotImplementedError('forward() is not implemented.')

    def forward_expected(self, inputs):
        raise NotImplementedError('forward_expected() is not implemented.')

    def generate_inputs(self):
        raise NotImplementedError('generate_inputs() is not implemented.')

    def generate_grad_outputs(self, outputs_template):
        return tuple(numpy.random.uniform(-1, 1, a.shape).astype(a.dtype)
                     for a in outputs_template)

    def generate_grad_grad_inputs(self, inputs_template):
        return tuple(numpy.random.uniform(-1, 1, a.shape).astype(a.dtype)
                     for a in inputs_template)

    def check_forward_outputs(self, outputs, expected_outputs):
        from kusari import backend
        types = backend.get_array_types()
        assert isinstance(outputs, tuple)
        assert isinstance(expected_outputs, tuple)
        assert all(isinstance(a, types) for a in outputs)
        assert all(isinstance(a, types) for a in expected_outputs)
        _check_arrays_equal(outputs, expected_outputs, FunctionTestError,
                            **self.check_forward_options)

    def _to_noncontiguous_as_needed(self, arrays):
        return _as_needed(self.contiguous, arrays)

    def _generate_inputs(self):
        inputs = self.generate_inputs()
        _check_array_types(inputs, _cpu(), 'generate_inputs')
        return inputs

    def _generate_grad_outputs(self, outputs_template):
        grads = self.generate_grad_outputs(outputs_template)
        _check_array_types(grads, _cpu(), 'generate_grad_outputs')
        return grads

    def _generate_grad_grad_inputs(self, inputs_template):
        grads = self.generate_grad_grad_inputs(inputs_template)
        _check_array_types(grads, _cpu(), 'generate_grad_grad_inputs')
        return grads

    def _forward_expected(self, inputs):
        outputs = self.forward_expected(inputs)
        _check_array_types(outputs, _cpu(), 'forward_expected')
        return outputs

    def _forward(self, inputs, backend_config):
        import kusari
        assert all(isinstance(a, kusari.Variable) for a in inputs)
        with backend_config:
            outputs = self.forward(inputs, backend_config.device)
        _check_variable_types(outputs, backend_config.device, 'forward',
                              FunctionTestError)
        return outputs

    def _start(self, name, skip, backend_config):
        if skip:
            raise unittest.SkipTest('skip_{} is set'.format(name[len('test_'):] +
                                                            '_test'))
        self.backend_config = backend_config
        self.test_name = name
        self.before_test(name)

    def run_test_forward(self, backend_config):
        """The forward test: outputs match ``forward_expected``; inputs unchanged."""
        import kusari
        self._start('test_forward', self.skip_forward_test, backend_config)
        cpu_inputs = self._to_noncontiguous_as_needed(self._generate_inputs())
        copies = [a.copy() for a in cpu_inputs]
        expected = self._forward_expected(cpu_inputs)
        inputs = self._to_noncontiguous_as_needed(
            backend_config.get_array(cpu_inputs))
        outputs = self._forward(
            tuple(kusari.Variable(a, requires_grad=a.dtype.kind == 'f')
                  for a in inputs), backend_config)
        modified = []
        for i, (orig, now) in enumerate(zip(copies, inputs)):
            try:
                array_module.assert_allclose(orig, now, atol=0, rtol=0)
            except AssertionError:
                modified.append(i)
        if modified:
            lines = ['Input arrays have been modified during forward.',
                     'Indices of modified inputs: {}'.format(
                         ', '.join(str(i) for i in modified)),
                     'Input array shapes and dtypes: {}'.format(
                         _format_array_props(inputs))]
            for i in modified:
                lines += ['', 'Input[{}]:'.format(i), 'Original:', str(copies[i]),
                          'After forward:', str(inputs[i])]
            FunctionTestError.fail('\n'.join(lines) + '\n')
        self.check_forward_outputs(tuple(v.array for v in outputs), expected)

    def run_test_backward(self, backend_config):
        """The backward test: ``check_backward`` against numerical gradients."""
        from kusari import gradient_check
        self._start('test_backward', self.skip_backward_test, backend_config)

        def f(*args):
            return self._forward(args, backend_config)

        def check():
            inputs = self._generate_inputs()
            outputs = self._forward_expected(inputs)
            grad_outputs = self._generate_grad_outputs(outputs)
            inputs = self._to_noncontiguous_as_needed(
                backend_config.get_array(inputs))
            grad_outputs = self._to_noncontiguous_as_needed(
                backend_config.get_array(grad_outputs))
            with FunctionTestError.raise_if_fail(
                    'backward is not implemented correctly'):
                gradient_check.check_backward(
                    f, inputs, grad_outputs, dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_backward_options)
        _retry_nondifferentiable(self.dodge_nondifferentiable, check)

    def run_test_double_backward(self, backend_config):
        """The double-backward test: ``check_double_backward``."""
        from kusari import gradient_check
        self._start('test_double_backward', self.skip_double_backward_test,
                    backend_config)

        def f(*args):
            return self._forward(args, backend_config)

        def check():
            inputs = self._generate_inputs()
            outputs = self._forward_expected(inputs)
            grad_outputs = self._generate_grad_outputs(outputs)
            ggx = self._generate_grad_grad_inputs(inputs)
            # Only floating inputs have second-order gradients (None: omitted).
            ggx = [g for g in ggx if g is None or g.dtype.kind == 'f']
            inputs = self._to_noncontiguous_as_needed(
                backend_config.get_array(inputs))
            grad_outputs = self._to_noncontiguous_as_needed(
                backend_config.get_array(grad_outputs))
            ggx = self._to_noncontiguous_as_needed(backend_config.get_array(ggx))
            with backend_config:
                with FunctionTestError.raise_if_fail(
                        'double backward is not implemented correctly'):
                    gradient_check.check_double_backward(
                        f, inputs, grad_outputs, ggx,
                        dtype=self.numerical_grad_dtype,
                        detect_nondifferentiable=self.dodge_nondifferentiable,
                        **self.check_double_backward_options)
        _retry_nondifferentiable(self.dodge_nondifferentiable, check)


class FunctionTestCase(FunctionTestBase, unittest.TestCase):
    """Base class of function tests: forward, backward and double backward.

    Override ``generate_inputs(self)`` (a tuple of NumPy arrays),
    ``forward(self, inputs, device)`` (Variables in, a tuple of Variables out)
    and ``forward_expected(self, inputs)`` (NumPy arrays in, a tuple of arrays
    out).  Optional: ``before_test(self, test_name)`` (raise
    ``unittest.SkipTest`` to skip), ``generate_grad_outputs``,
    ``generate_grad_grad_inputs``, ``check_forward_outputs``.  Attributes:
    ``skip_forward_test``, ``skip_backward_test``, ``skip_double_backward_test``,
    ``dodge_nondifferentiable`` (resample inputs that hit a non-differentiable
    point), ``numerical_grad_dtype`` (float64), ``contiguous`` (``None``:
    non-contiguous inputs, ``'C'``), and the option dicts
    ``check_forward_options`` (for :func:`~kusari.testing.assert_allclose`),
    ``check_backward_options``, ``check_double_backward_options`` (for
    :mod:`~kusari.gradient_check`), set in ``setUp``.  Errors of the function
    raise :class:`FunctionTestError`.  Use with
    :func:`~kusari.testing.inject_backend_tests`::

        @testing.inject_backend_tests(None, [{}])
        class TestTanh(testing.FunctionTestCase):
            def generate_inputs(self):
                return numpy.random.uniform(-1, 1, (3, 2)).astype('f'),
            def forward(self, inputs, device):
                return kusari.functions.tanh(inputs[0]),
            def forward_expected(self, inputs):
                return numpy.tanh(inputs[0]),
    """

    def test_forward(self, backend_config):
        """Tests forward computation."""
        self.run_test_forward(backend_config)

    def test_backward(self, backend_config):
        """Tests backward computation."""
        self.run_test_backward(backend_config)

    def test_double_backward(self, backend_config):
        """Tests double-backward computation."""
        self.run_test_double_backward(backend_config)


def _initializer_argument_value(init):
    return init.argument_value if isinstance(init, InitializerArgument) else init


def _check_generated_initializer(init):
    if isinstance(init, InitializerArgument):
        init = init.expected_initializer
    elif init is None:
        raise ValueError('A None initializer must be wrapped in an '
                         'InitializerArgument along with the expected initializer '
                         'fallen back to.')
    _check_is_initializer_like(init)


class _LinkTestBase:
    backend_config = None
    contiguous = None
    param_names = ()

    def before_test(self, test_name):
        pass

    def generate_params(self):
        raise NotImplementedError('generate_params is not implemented.')

    def generate_inputs(self):
        raise NotImplementedError('generate_inputs is not implemented.')

    def create_link(self, initializers):
        raise NotImplementedError('create_link is not implemented.')

    def forward(self, link, inputs, device):
        outputs = link(*inputs)
        return outputs if isinstance(outputs, tuple) else (outputs,)

    def check_forward_outputs(self, outputs, expected_outputs):
        from kusari import backend
        types = backend.get_array_types()
        assert isinstance(outputs, tuple)
        assert isinstance(expected_outputs, tuple)
        assert all(isinstance(a, types) for a in outputs)
        assert all(isinstance(a, types) for a in expected_outputs)
        _check_arrays_equal(outputs, expected_outputs, LinkTestError,
                            **self.check_forward_options)

    def _generate_params(self):
        inits = self.generate_params()
        if not isinstance(inits, (tuple, list)):
            raise TypeError('`generate_params` must return a tuple or a list.')
        for init in inits:
            _check_generated_initializer(init)
        return inits

    def _generate_inputs(self):
        inputs = self.generate_inputs()
        _check_array_types(inputs, _cpu(), 'generate_inputs')
        return inputs

    def _create_link(self, initializers, backend_config):
        from kusari import link as link_module
        link = self.create_link(initializers)
        if not isinstance(link, link_module.Link):
            raise TypeError('`create_link` must return a kusari.Link object, not '
                            '{}.'.format(type(link).__name__))
        link.to_device(backend_config.device)
        return link

    def _create_initialized_link(self, inits, backend_config):
        import kusari
        inits = [_initializer_argument_value(i) for i in inits]
        link = self._create_link(inits, backend_config)
        inputs = self._to_noncontiguous_as_needed(
            backend_config.get_array(self._generate_inputs()))
        outputs = self._forward(link, [kusari.Variable(a) for a in inputs],
                                backend_config)
        link.cleargrads()
        return link, inputs, [v.array for v in outputs]

    def _forward(self, link, inputs, backend_config):
        import kusari
        assert all(isinstance(x, kusari.Variable) for x in inputs)
        with backend_config:
            outputs = self.forward(link, inputs, backend_config.device)
        _check_variable_types(outputs, backend_config.device, 'forward',
                              LinkTestError)
        return outputs

    def _to_noncontiguous_as_needed(self, arrays):
        return _as_needed(self.contiguous, arrays)


class LinkTestCase(_LinkTestBase, unittest.TestCase):
    """Base class of link tests: forward and backward (parameters included).

    Override ``generate_params(self)`` (one initializer-like per constructor
    argument), ``create_link(self, initializers)``, ``generate_inputs(self)``
    and ``forward_expected(self, link, inputs)`` (the link is on the CPU);
    ``forward(self, link, inputs, device)`` defaults to ``link(*inputs)``.
    ``param_names`` lists the parameters whose gradients are checked too.
    Attributes as in :class:`FunctionTestCase` (``skip_forward_test``,
    ``skip_backward_test``, ``dodge_nondifferentiable``,
    ``numerical_grad_dtype``, ``contiguous``, ``check_forward_options``,
    ``check_backward_options``).  Errors raise :class:`LinkTestError`.
    """

    check_forward_options = None
    check_backward_options = None
    skip_forward_test = False
    skip_backward_test = False
    dodge_nondifferentiable = False
    numerical_grad_dtype = numpy.float64

    def __init__(self, *args, **kwargs):
        self.check_forward_options = {}
        self.check_backward_options = {}
        super().__init__(*args, **kwargs)

    def forward_expected(self, link, inputs):
        raise NotImplementedError('forward_expected() is not implemented.')

    def generate_grad_outputs(self, outputs_template):
        return tuple(numpy.random.uniform(-1, 1, a.shape).astype(a.dtype)
                     for a in outputs_template)

    def test_forward(self, backend_config):
        """Tests forward computation."""
        import kusari
        if self.skip_forward_test:
            raise unittest.SkipTest('skip_forward_test is set')
        self.backend_config = backend_config
        self.before_test('test_forward')
        link = self._create_link(self._generate_params(), backend_config)
        inputs_np = self._generate_inputs()
        inputs = self._to_noncontiguous_as_needed(backend_config.get_array(inputs_np))
        outputs = self._forward(link, tuple(kusari.Variable(a) for a in inputs),
                                backend_config)
        actual = tuple(v.array for v in outputs)
        link.to_device(_cpu())       # the expectation is computed on the CPU
        expected = self._forward_expected(link, inputs_np)
        self.check_forward_outputs(actual, expected)

    def test_backward(self, backend_config):
        """Tests backward computation with respect to inputs and ``param_names``."""
        from kusari import gradient_check
        if self.skip_backward_test:
            raise unittest.SkipTest('skip_backward_test is set')
        self.backend_config = backend_config
        self.before_test('test_backward')

        def check():
            link, inputs, outputs = self._create_initialized_link(
                self._generate_params(), backend_config)
            params = [getattr(link, name, None) for name in self.param_names]
            for name, p in zip(self.param_names, params):
                if p is None:
                    LinkTestError.fail(
                        "Link does not have a parameter named '{}'.".format(name))
            grad_outputs = self._generate_grad_outputs(
                tuple(_cpu().send(a) for a in outputs))
            grad_outputs = self._to_noncontiguous_as_needed(
                backend_config.get_array(grad_outputs))

            def f(*args):
                return self._forward(link, args, backend_config)

            with LinkTestError.raise_if_fail('backward is not implemented correctly'):
                gradient_check.check_backward(
                    f, inputs, grad_outputs, params=params,
                    dtype=self.numerical_grad_dtype,
                    detect_nondifferentiable=self.dodge_nondifferentiable,
                    **self.check_backward_options)
        _retry_nondifferentiable(self.dodge_nondifferentiable, check)

    def _forward_expected(self, link, inputs):
        assert all(isinstance(x, numpy.ndarray) for x in inputs)
        outputs = self.forward_expected(link, inputs)
        _check_array_types(outputs, _cpu(), 'forward_expected')
        return outputs

    def _generate_grad_outputs(self, outputs_template):
        assert all(isinstance(x, numpy.ndarray) for x in outputs_template)
        grads = self.generate_grad_outputs(outputs_template)
        _check_array_types(grads, _cpu(), 'generate_grad_outputs')
        return grads


class LinkInitializersTestCase(_LinkTestBase, unittest.TestCase):
    """Base class of link tests that check parameter initialization.

    Override ``generate_params``, ``create_link``, ``generate_inputs`` as for
    :class:`LinkTestCase` and ``get_initializers(self)``: one sequence per
    constructor initializer argument, each listing the initializer-likes to try
    (:class:`InitializerArgument` where the argument is not the initializer,
    e.g. ``None``).  For each, the link is created, run once forward, and the
    parameter named in ``param_names`` at that position is compared with what
    the initializer produces (``check_initializers_options`` for
    :func:`~kusari.testing.assert_allclose`).
    """

    check_initializers_options = None

    def __init__(self, *args, **kwargs):
        self.check_initializers_options = {}
        super().__init__(*args, **kwargs)

    def get_initializers(self):
        raise NotImplementedError('get_initializers is not implemented.')

    def test_initializers(self, backend_config):
        """Tests that the parameters of the link are initialized as requested."""
        self.backend_config = backend_config
        self.before_test('test_initializers')
        all_inits = self.get_initializers()
        if not isinstance(all_inits, (tuple, list)):
            raise TypeError('`get_initializers` must return a tuple or a list.')
        for param_inits in all_inits:
            if not isinstance(param_inits, (tuple, list)):
                raise TypeError('`get_initializers` must return a tuple or a list '
                                'of tuples or lists.')
            for init in param_inits:
                _check_generated_initializer(init)
        for i_param, param_inits in enumerate(all_inits):
            inits = list(self._generate_params())
            for init in param_inits:
                inits[i_param] = init
                self._test_single_initializer(i_param, inits, backend_config)

    def _test_single_initializer(self, i_param, inits, backend_config):
        from kusari import initializer as initializer_module
        from kusari import initializers
        link, _, _ = self._create_initialized_link(inits, backend_config)
        params = []
        for name in self.param_names:
            p = getattr(link, name, None)
            if p is None:
                LinkTestError.fail(
                    "Link does not have a parameter named '{}'.".format(name))
            params.append(p)
        actual = _cpu().send(params[i_param].array)
        expected_init = inits[i_param]
        if isinstance(expected_init, InitializerArgument):
            expected_init = expected_init.expected_initializer
        if not isinstance(expected_init, initializer_module.Initializer):
            expected_init = initializers._get_initializer(expected_init)
        expected = numpy.empty_like(actual)
        expected_init(expected)
        _check_arrays_equal((expected,), (actual,), LinkTestError,
                            **self.check_initializers_options)
