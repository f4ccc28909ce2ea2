"""A class decorator that tests a unary elementwise math function:
:func:`unary_math_function_unittest` (as in ``chainer.testing``)."""
import unittest
import warnings

import numpy

from kusari.testing import attr


def _default_data(shape, dtype):
    return tuple(numpy.random.uniform(-1, 1, shape).astype(dtype, copy=False)
                 for _ in range(3))


def _func_name(func, old_style):
    return type(func).__name__.lower() if old_style else func.__name__


def _func_class(func, old_style):
    if old_style:
        return type(func)
    # kusari.functions.Sin for kusari.functions.sin, when kusari-functions has it.
    try:
        import kusari.functions as functions
    except ImportError:
        return None
    return getattr(functions, func.__name__.capitalize(), None)


def _squared(func):
    def squared(x):
        y = func(x)
        return y * y
    return squared


def _tolerances(dtype):
    if dtype == numpy.float16:
        eps = numpy.finfo(numpy.float16).eps
        grad = {'eps': 2 ** -4, 'atol': 2 ** -4, 'rtol': 2 ** -4,
                'dtype': numpy.float64}
        return {'atol': eps, 'rtol': eps}, grad, dict(grad)
    grad = {'dtype': numpy.float64, 'atol': 1e-4, 'rtol': 1e-4}
    return {'atol': 1e-4, 'rtol': 1e-4}, grad, dict(grad)


def unary_math_function_unittest(func, func_expected=None, label_expected=None,
                                 make_data=None, is_linear=None,
                                 forward_options=None, backward_options=None,
                                 double_backward_options=None):
    """Class decorator: test a unary elementwise function against NumPy.

    The decorated ``unittest.TestCase`` gains ``test_forward_cpu``,
    ``test_backward_cpu``, ``test_double_backward_cpu`` (``*_gpu`` variants
    marked ``attr.gpu``) and ``test_label`` when ``kusari.functions`` has the
    capitalized class, and is :func:`~kusari.testing.parameterize`\\ d over
    shapes ``(3, 2)`` and ``()`` and dtypes float16/32/64.

    Args:
        func: The function (or a :class:`~kusari.Function` instance).
        func_expected: ``f(x, dtype=...)`` giving the expected output; by default
            the NumPy function of the same name (``ValueError`` if none).
        label_expected (str): Expected label of the function class.
        make_data: ``make_data(shape, dtype) -> (x, gy, ggx)``; by default
            uniform in [-1, 1].
        is_linear: Deprecated; squares the output for the double-backward test.
        forward_options, backward_options, double_backward_options (dict):
            Override the preset tolerances.
    """
    attr.check_available()
    from kusari import function as function_module
    old_style = isinstance(func, function_module.Function)
    name = _func_name(func, old_style)
    func_class = _func_class(func, old_style)
    if func_expected is None:
        func_expected = getattr(numpy, name, None)
        if func_expected is None:
            raise ValueError("NumPy has no functions corresponding to kusari "
                             "function '{}'.".format(name))
    if label_expected is None:
        label_expected = name
    elif func_class is None:
        raise ValueError('Expected label is given even though the kusari function '
                         'does not have its label.')
    if make_data is None:
        if old_style:
            def make_data(shape, dtype):
                return _default_data(shape, dtype)[:2]
        else:
            make_data = _default_data
    if is_linear is not None:
        warnings.warn('is_linear option is deprecated', DeprecationWarning)

    def decorate(klass):
        from kusari import backend
        from kusari import gradient_check
        from kusari import testing
        from kusari import variable
        if not (isinstance(klass, type) and issubclass(klass, unittest.TestCase)):
            raise TypeError('unary_math_function_unittest decorates unittest.TestCase '
                            'classes, not {!r}'.format(klass))

        def setUp(self):
            data = make_data(self.shape, self.dtype)
            if old_style:
                self.x, self.gy = data
            else:
                self.x, self.gy, self.ggx = data
            fwd, bwd, dbl = _tolerances(self.dtype)
            self.forward_options = dict(fwd, **(forward_options or {}))
            self.backward_options = dict(bwd, **(backward_options or {}))
            self.double_backward_options = dict(dbl,
                                                **(double_backward_options or {}))

        def check_forward(self, x_data):
            y = func(variable.Variable(x_data))
            self.assertEqual(y.data.dtype, x_data.dtype)
            expected = func_expected(backend.to_cpu(x_data), dtype=x_data.dtype)
            testing.assert_allclose(expected, y.data, **self.forward_options)

        def check_backward(self, x_data, y_grad):
            gradient_check.check_backward(func, x_data, y_grad,
                                          **self.backward_options)

        def check_double_backward(self, x_data, y_grad, x_grad_grad):
            f = _squared(func) if is_linear else func
            gradient_check.check_double_backward(f, x_data, y_grad, x_grad_grad,
                                                 **self.double_backward_options)

        def test_forward_cpu(self):
            self.check_forward(self.x)

        @attr.gpu
        def test_forward_gpu(self):
            self.check_forward(backend.to_gpu(self.x))

        def test_backward_cpu(self):
            self.check_backward(self.x, self.gy)

        @attr.gpu
        def test_backward_gpu(self):
            self.check_backward(backend.to_gpu(self.x), backend.to_gpu(self.gy))

        def test_double_backward_cpu(self):
            self.check_double_backward(self.x, self.gy, self.ggx)

        @attr.gpu
        def test_double_backward_gpu(self):
            self.check_double_backward(backend.to_gpu(self.x),
                                       backend.to_gpu(self.gy),
                                       backend.to_gpu(self.ggx))

        def test_label(self):
            self.assertEqual(func_class().label, label_expected)

        members = [setUp, check_forward, check_backward, test_forward_cpu,
                   test_forward_gpu, test_backward_cpu, test_backward_gpu]
        if not old_style:
            members += [check_double_backward, test_double_backward_cpu,
                        test_double_backward_gpu]
        if func_class is not None:
            members.append(test_label)
        for m in members:
            setattr(klass, m.__name__, m)
        return testing.parameterize(*testing.product({
            'shape': [(3, 2), ()],
            'dtype': [numpy.float16, numpy.float32, numpy.float64],
        }))(klass)
    return decorate
