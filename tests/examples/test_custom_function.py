"""examples/custom_function.py: a user FunctionNode with first and second derivatives."""
import doctest
import importlib.util
import os
import re

import numpy

import kusari

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'examples', 'custom_function.py')


def test_custom_function(run_example):
    proc = run_example('custom_function')
    assert proc.returncode == 0, proc.output
    out = proc.stdout
    errs = re.search(r'value ([\d.e+-]+), 1st derivative ([\d.e+-]+), '
                     r'2nd derivative ([\d.e+-]+)', out)
    assert errs and max(float(v) for v in errs.groups()) < 1e-12, out
    assert 'check_backward and check_double_backward passed (float64)' in out
    assert 'check_backward and check_double_backward passed (float32)' in out
    assert 'rejected the node with a wrong backward' in out
    fits = dict(re.findall(r'^(log-cosh loss|squared error) fit: w = ([-\d.]+)', out, re.M))
    w_logcosh = float(fits['log-cosh loss'])
    assert abs(float(fits['squared error']) - 2.0) > 0.3, out     # pulled by the outliers
    line = re.search(r'error \|dw\| \+ \|db\|: log-cosh ([\d.]+), squared error ([\d.]+)',
                     out)
    err_logcosh, err_mse = float(line.group(1)), float(line.group(2))
    assert abs(w_logcosh - 2.0) < 0.1 and err_logcosh < 0.15, out   # robust to outliers
    assert err_mse > 1.0 and err_mse > 10 * err_logcosh, out         # pulled away
    assert out.rstrip().endswith('all checks passed')


def test_custom_function_doctest_and_nodes():
    # The example's module imported in-process: its doctest runs, and the nodes'
    # backward (Variables) and backward_array (arrays) paths agree.
    spec = importlib.util.spec_from_file_location('custom_function_example', EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    result = doctest.testmod(mod)
    assert result.attempted >= 1 and result.failed == 0

    x = numpy.linspace(-3, 3, 7)
    for double in (False, True):
        v = kusari.Variable(x.copy())
        y = mod.log_cosh(v)
        y.grad = numpy.full_like(x, 0.5)
        y.backward(enable_double_backprop=double)
        numpy.testing.assert_allclose(v.grad, 0.5 * numpy.tanh(x), rtol=1e-12)
    numpy.testing.assert_allclose(mod.log_cosh(numpy.array([800.0])).array,
                                  [800.0 - numpy.log(2.0)])  # no overflow
