"""TimerHook: per-link records, nesting, report."""
import io
import time

import numpy
import pytest

import kusari
import kusari.links as L
from kusari.link_hooks import TimerHook


class Sleep(kusari.Link):
    def forward(self, x):
        time.sleep(0.01)
        return x


class Model(kusari.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.sleep = Sleep()
            self.l = L.Linear(3, 3)

    def forward(self, x):
        return self.l(self.sleep(x))


def test_records_and_nesting():
    model = Model()
    x = numpy.ones((1, 3), numpy.float32)
    with TimerHook() as hook:
        model(x)
        model(x)
    model(x)   # outside the block: not recorded
    names = [n for n, _ in hook.call_history]
    assert names == ['Sleep', 'Linear', 'Model'] * 2
    s = hook.summary()
    assert list(s) == ['Sleep', 'Linear', 'Model']
    assert all(r['occurrence'] == 2 for r in s.values())
    assert s['Sleep']['elapsed_time'] >= 0.02
    # only the outermost calls count in the total
    assert hook.total_time() == pytest.approx(s['Model']['elapsed_time'])
    assert hook.total_time() >= s['Sleep']['elapsed_time']


@pytest.mark.parametrize('unit', ['auto', 'auto_foreach', 'sec', 'ms', 'us', 'ns'])
def test_print_report(unit):
    hook = TimerHook()
    hook.call_history = [('Linear', 0.5), ('Linear', 0.25), ('Model', 2e-6)]
    out = io.StringIO()
    hook.print_report(unit=unit, file=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ['LinkName', 'ElapsedTime', 'Occurrence']
    expected = {'auto': ['750.00ms', '0.00ms'], 'auto_foreach': ['750.00ms', '2.00us'],
                'sec': ['0.75sec', '0.00sec'], 'ms': ['750.00ms', '0.00ms'],
                'us': ['750000.00us', '2.00us'], 'ns': ['750000000.00ns', '2000.00ns']}
    assert lines[1].split() == ['Linear', expected[unit][0], '2']
    assert lines[2].split() == ['Model', expected[unit][1], '1']


def test_bad_unit():
    with pytest.raises(ValueError, match='unit'):
        TimerHook().print_report(unit='minutes')


def test_local_registration():
    layer = L.Linear(3, 2)
    hook = TimerHook()
    layer.add_hook(hook)
    layer(numpy.ones((1, 3), numpy.float32))
    layer.delete_hook('TimerHook')
    layer(numpy.ones((1, 3), numpy.float32))
    assert [n for n, _ in hook.call_history] == ['Linear']
