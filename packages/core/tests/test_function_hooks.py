import io
import time

import numpy
import pytest

import kusari
from kusari import function_hook
from kusari import function_hooks


class _Slow(kusari.FunctionNode):
    """Identity that sleeps, to measure something."""

    def __init__(self, seconds=0.002):
        self.seconds = seconds

    def forward(self, inputs):
        time.sleep(self.seconds)
        return inputs[0].copy(),

    def backward(self, indexes, grad_outputs):
        time.sleep(self.seconds)
        return grad_outputs[0] * 1,


def _run():
    x = kusari.Variable(numpy.arange(3, dtype=numpy.float32))
    y = x * x
    z = _Slow().apply((y,))[0]
    z.grad = numpy.ones(3, numpy.float32)
    z.backward()
    return x


# ---------------------------------------------------------------- TimerHook

def test_timer_hook_is_function_hook():
    assert issubclass(function_hooks.TimerHook, function_hook.FunctionHook)
    assert issubclass(function_hooks.PrintHook, function_hook.FunctionHook)
    assert function_hooks.TimerHook.name == 'TimerHook'


def test_timer_hook_records_forward_and_backward():
    with function_hooks.TimerHook() as h:
        _run()
    names = [n for n, _ in h.call_history]
    assert names.count('_Slow') == 2           # forward and backward
    assert names.count('Mul') >= 2
    assert all(t >= 0 for _, t in h.call_history)
    slow = [t for n, t in h.call_history if n == '_Slow']
    assert min(slow) >= 0.0015
    total = h.total_time()
    assert total >= sum(slow)
    assert total <= sum(t for _, t in h.call_history) + 1e-9

    summary = h.summary()
    assert summary['_Slow']['occurrence'] == 2
    assert summary['_Slow']['elapsed_time'] == pytest.approx(sum(slow))
    assert list(summary)[0] == names[0]


def test_timer_hook_unregistered_after_with():
    h = function_hooks.TimerHook()
    with h:
        pass
    _run()
    assert h.call_history == []


def test_timer_hook_local_registration():
    x = kusari.Variable(numpy.ones(2, numpy.float32))
    f = _Slow(0)
    h = function_hooks.TimerHook()
    f.add_hook(h)
    f.apply((x,))
    assert [n for n, _ in h.call_history] == ['_Slow']


def test_timer_hook_print_report():
    with function_hooks.TimerHook() as h:
        _run()
    out = io.StringIO()
    h.print_report(file=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ['FunctionName', 'ElapsedTime', 'Occurrence']
    assert len(lines) == 1 + len(h.summary())
    widths = {len(line) for line in lines}
    assert len(widths) == 1                    # right-aligned table
    slow_line = [line for line in lines if line.split()[0] == '_Slow'][0]
    assert slow_line.split()[2] == '2'
    assert slow_line.split()[1].endswith('ms')  # auto unit: max time is ms

    out = io.StringIO()
    h.print_report(unit='us', file=out)
    assert all(line.split()[1].endswith('us')
               for line in out.getvalue().splitlines()[1:])
    out = io.StringIO()
    h.print_report(unit='auto_foreach', file=out)
    assert len(out.getvalue().splitlines()) == len(lines)
    with pytest.raises(ValueError, match='unit'):
        h.print_report(unit='hours', file=io.StringIO())


def test_timer_hook_empty_report():
    out = io.StringIO()
    function_hooks.TimerHook().print_report(file=out)
    assert out.getvalue().split() == ['FunctionName', 'ElapsedTime', 'Occurrence']
    assert function_hooks.TimerHook().total_time() == 0


def test_timer_hook_choose_unit():
    choose = function_hooks.TimerHook._choose_unit
    assert choose(2.0) == (1, 'sec')
    assert choose(0.002) == (1000.0, 'ms')
    assert choose(2e-6) == (1e6, 'us')
    assert choose(2e-10) == (1e9, 'ns')


# ---------------------------------------------------------------- PrintHook

def test_print_hook_forward_and_backward():
    out = io.StringIO()
    with function_hooks.PrintHook(file=out):
        x = kusari.Variable(numpy.arange(6, dtype=numpy.float32).reshape(2, 3))
        y = x * x
        y.grad = numpy.ones((2, 3), numpy.float32)
        y.backward()
    text = out.getvalue()
    label = y.creator_node.label
    assert 'function\t{}\n'.format(label) in text
    assert 'input data' in text
    assert '- shape: (2, 3)' in text
    assert '- dtype: float32' in text
    assert 'mean=' in text and 'std=' in text
    assert 'output gradient' in text
    assert text.count('function\t{}\n'.format(label)) == 2


def test_print_hook_options():
    out = io.StringIO()
    with pytest.warns(DeprecationWarning):
        hook = function_hooks.PrintHook(sep=' ', end='|\n', file=out, flush=False)
    with hook:
        y = _Slow(0).apply((kusari.Variable(numpy.ones(2, numpy.float32)),))[0]
    text = out.getvalue()
    assert text.splitlines()[0] == 'function\t_Slow|'
    assert y.creator_node.label == '_Slow'


def test_hooks_nest():
    out = io.StringIO()
    with function_hooks.TimerHook() as t, function_hooks.PrintHook(file=out):
        kusari.Variable(numpy.ones(2, numpy.float32)) * 2.0
    assert len(t.call_history) == 1
    assert out.getvalue()


def test_timer_hook_names_old_style_function():
    class Square(kusari.Function):
        def forward(self, inputs):
            x, = inputs
            return x * x,

        def backward(self, inputs, grad_outputs):
            x, = inputs
            gy, = grad_outputs
            return 2 * x * gy,

    x = kusari.Variable(numpy.ones(2, numpy.float32))
    with function_hooks.TimerHook() as h:
        y = Square()(x)
        y.grad = numpy.ones(2, numpy.float32)
        y.backward()
    assert [n for n, _ in h.call_history] == ['Square', 'Square']
