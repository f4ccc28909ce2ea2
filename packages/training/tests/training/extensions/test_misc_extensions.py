"""Shifts, observe_value/observe_lr, FailOnNonNumber, MicroAverage,
ParameterStatistics, DumpGraph, unchain_variables."""
import os

import numpy
import pytest

import kusari
from kusari import training
from kusari.training import extensions


class Opt:
    x = 0.0
    lr = 0.25

    def __init__(self):
        self.target = kusari.Link()


def _run_shift(h, ext, n, opt, interval=1):
    tr = h.mock_trainer(None, optimizers={'main': opt})
    trig = training.get_trigger((interval, 'iteration'))
    ext.initialize(tr)
    values = []
    for _ in range(n):
        tr.updater.update()
        values.append(opt.x)
        if trig(tr):
            ext(tr)
    return values, tr


@pytest.mark.parametrize('make,expect', [
    (lambda: extensions.ExponentialShift('x', 0.5, init=2.0), [2.0, 1.0, 0.5, 0.25]),
    (lambda: extensions.ExponentialShift('x', 0.5, init=2.0, target=0.4),
     [2.0, 1.0, 0.5, 0.4]),
    (lambda: extensions.ExponentialShift('x', 2.0, init=-1.0, target=-3.0),
     [-1.0, -2.0, -3.0, -3.0]),
    (lambda: extensions.LinearShift('x', (1.0, 2.0), (1, 3)), [1.0, 1.0, 1.5, 2.0, 2.0]),
    (lambda: extensions.StepShift('x', 0.5, 2, init=2.0), [2.0, 2.0, 1.0, 1.0, 0.5]),
    (lambda: extensions.StepShift('x', 2.0, 2, init=2.0, target=3.0),
     [2.0, 2.0, 3.0, 3.0]),
    (lambda: extensions.MultistepShift('x', 0.1, [1, 3, 5], 2.0),
     [2.0, 0.2, 0.2, 0.02, 0.02, 0.002]),
    (lambda: extensions.PolynomialShift('x', 0.5, 10, init=2.0),
     [2.0, 2 * 0.9 ** 0.5, 2 * 0.8 ** 0.5]),
    (lambda: extensions.PolynomialShift('x', 0.5, 5, init=2.0, target=1.7),
     [2.0, 2 * 0.8 ** 0.5, 1.7]),
    (lambda: extensions.InverseShift('x', 1.0, 1.0, init=3.0), [3.0, 1.5, 1.0]),
    (lambda: extensions.InverseShift('x', 1.0, -2.0, init=3.0, target=4.0),
     [3.0, 4.0, 4.0]),
    (lambda: extensions.WarmupShift('x', 0.1, 10, init=1.0),
     [0.1, 0.19, 0.28] + [None] * 6 + [0.91, 1.0, 1.0]),
])
def test_shift_schedules(h, make, expect):
    values, _ = _run_shift(h, make(), len(expect), Opt())
    for got, want in zip(values, expect):
        if want is not None:
            assert got == pytest.approx(want, rel=1e-12)


def test_shift_defaults_to_optimizer_value_and_resumes(h):
    opt = Opt()
    opt.x = 8.0
    ext = extensions.ExponentialShift('x', 0.5)
    values, tr = _run_shift(h, ext, 3, opt)
    assert values == [8.0, 4.0, 2.0] and opt.x == 1.0
    opt2 = Opt()
    ext2 = extensions.ExponentialShift('x', 0.5)
    h.save_and_load(ext, ext2)
    ext2.initialize(h.mock_trainer(None, optimizers={'main': opt2}))
    assert opt2.x == 1.0 and isinstance(opt2.x, float) and ext2._t == 3


def test_shift_invalid_arguments():
    with pytest.raises(ValueError, match='negative rate'):
        extensions.ExponentialShift('x', -1)
    with pytest.raises(ValueError, match='negative gamma'):
        extensions.InverseShift('x', -1.0, 1.0)


def test_observe_lr_and_value(h, out_dir):
    opt = Opt()
    tr = h.mock_trainer((20, 'iteration'), out=out_dir, optimizers={'main': opt})
    lr = extensions.observe_lr()
    val = extensions.observe_value('it', lambda t: t.updater.iteration * 2)
    assert lr.trigger == (1, 'epoch') and lr.priority == training.PRIORITY_WRITER
    tr.extend(lr)
    tr.extend(val)
    log = extensions.LogReport(filename=None)
    tr.extend(log)
    tr.run()
    assert [(e['lr'], e['it']) for e in log.log] == [(0.25, 20), (0.25, 40)]


class _Model(kusari.Link):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.W = kusari.Parameter(numpy.array([1.0, 2.0, 0.0], numpy.float32))


class _FakeOpt:
    def __init__(self, target):
        self.target = target


def test_fail_on_nonnumber(h, out_dir):
    model = _Model()
    tr = h.mock_trainer(optimizers={'main': _FakeOpt(model)}, out=out_dir)
    ext = extensions.FailOnNonNumber()
    ext(tr)
    model.W.grad = numpy.array([numpy.inf, 0, 0], numpy.float32)
    with pytest.raises(RuntimeError, match="gradients in optimizer 'main'"):
        ext(tr)
    extensions.FailOnNonNumber(check_grad=False)(tr)
    model.W.array[0] = numpy.nan
    with pytest.raises(RuntimeError, match="parameters in optimizer 'main' diverge"):
        ext(tr)


def test_micro_average(h, out_dir):
    tr = h.mock_trainer((4, 'iteration'), out=out_dir)
    counts = [(1, 2), (3, 4), (0, 10), (5, 5)]

    def rep(t):
        c, n = counts[t.updater.iteration - 1]
        kusari.report({'correct': c, 'total': n})
    tr.extend(rep, name='rep', priority=training.PRIORITY_WRITER)
    tr.extend(extensions.MicroAverage('correct', 'total', 'acc', (2, 'iteration')))
    log = extensions.LogReport(keys=['acc'], trigger=(2, 'iteration'), filename=None)
    tr.extend(log)
    tr.run()
    assert [e['acc'] for e in log.log] == [4 / 6, 5 / 15]


def test_parameter_statistics(h, out_dir):
    model = _Model()
    model.W.grad = numpy.array([0.0, 0.0, 3.0], numpy.float32)
    tr = h.mock_trainer((1, 'iteration'), out=out_dir)
    ext = extensions.ParameterStatistics(model, trigger=(1, 'iteration'))
    ext.register_statistics('l1', lambda x: numpy.abs(x).sum())
    tr.extend(ext)
    log = extensions.LogReport(trigger=(1, 'iteration'), filename=None)
    tr.extend(log)
    tr.run()
    e = log.log[0]
    assert e['None/W/data/mean'] == pytest.approx(1.0)
    assert e['None/W/data/max'] == 2.0 and e['None/W/data/zeros'] == 1
    assert e['None/W/grad/zeros'] == 2 and e['None/W/grad/l1'] == 3.0
    assert e['None/W/data/percentile/3'] == pytest.approx(1.0)
    assert e['None/W/data/std'] == pytest.approx(numpy.std([1, 2, 0]))


def test_dump_graph_and_unchain_variables(h, out_dir):
    x, t, _ = h.regression_data()
    from kusari import iterators
    model = h.Regressor(3)
    opt = h.SGD(0.1).setup(model)
    up = training.StandardUpdater(
        iterators.SerialIterator(list(zip(x, t)), 8), opt)
    tr = training.Trainer(up, (2, 'iteration'), out=out_dir)
    tr.extend(extensions.DumpGraph('main/loss'))
    kept = []
    tr.extend(lambda t: kept.append(t.observation['main/loss'].creator is not None),
              name='peek', priority=1)
    tr.extend(extensions.unchain_variables())
    before = getattr(kusari.config, 'keep_graph_on_report', False)
    tr.run()
    with open(os.path.join(out_dir, 'cg.dot')) as f:
        dot = f.read()
    assert dot.startswith('digraph') and '->' in dot
    assert kept == [True, False]       # graph kept at the dump, not afterwards
    assert getattr(kusari.config, 'keep_graph_on_report', False) == before


def test_dump_graph_missing_key(h, out_dir):
    tr = h.mock_trainer((1, 'iteration'), out=out_dir)
    tr.extend(extensions.dump_graph('main/loss'))
    with pytest.raises(RuntimeError, match='main/loss'):
        tr.run(show_loop_exception_msg=False)
