"""Evaluator, LogReport, PrintReport, ProgressBar, PlotReport, VariableStatisticsPlot."""
import io
import json
import os

import numpy
import pytest

import kusari
from kusari import iterators, training
from kusari.training import extensions


def _trainer(h, out_dir, stop=(2, 'epoch'), batch=16):
    x, t, w = h.regression_data()
    model = h.Regressor(3)
    opt = h.SGD(0.1).setup(model)
    it = iterators.SerialIterator(list(zip(x, t)), batch, shuffle=False)
    return training.Trainer(training.StandardUpdater(it, opt), stop, out=out_dir), model


def test_evaluator_reports_mean_loss_in_test_mode(h, out_dir):
    x, t, _ = h.regression_data()
    model = h.Regressor(3)
    modes = []

    def eval_func(x, t):
        modes.append((kusari.config.train, kusari.config.enable_backprop))
        return model(x, t)
    it = iterators.SerialIterator(list(zip(x, t)), 20, repeat=False, shuffle=False)
    ev = extensions.Evaluator(it, model, eval_func=eval_func)
    ev.name = 'validation'
    observation = {}
    with kusari.Reporter().scope(observation):
        result = ev()
    W = model.W.array
    # batches of 20, 20, 20, 4: mean of the per-batch means (Chainer's DictSummary)
    per_batch = [numpy.mean((x[i:i + 20] @ W - t[i:i + 20]) ** 2) for i in (0, 20, 40, 60)]
    assert result['validation/main/loss'] == pytest.approx(numpy.mean(per_batch), rel=1e-5)
    assert observation['validation/main/loss'] == result['validation/main/loss']
    assert modes == [(False, False)] * 4
    with kusari.Reporter().scope({}):
        ev()   # the iterator is reset: a second evaluation sees all batches again
    assert len(modes) == 8


def test_evaluator_warns_on_repeating_iterator_and_checks_converter(h):
    x, t, _ = h.regression_data()
    model = h.Regressor(3)
    with pytest.warns(UserWarning, match='repeat'):
        extensions.Evaluator(iterators.SerialIterator(list(zip(x, t)), 8), model)
    # as in Chainer, a converter's result that is not a tuple or a dict is passed to
    # the model as its one argument
    seen = []

    def eval_func(arg):
        seen.append(arg)

    ev = extensions.Evaluator(
        iterators.SerialIterator(list(zip(x, t)), 8, repeat=False), model,
        converter=lambda b, d: ['converted', d], eval_func=eval_func)
    ev()
    assert seen and all(s == ['converted', None] for s in seen)


def test_log_report_file_and_entries(h, out_dir):
    tr, model = _trainer(h, out_dir, stop=(3, 'epoch'))
    tr.extend(extensions.LogReport())
    tr.run()
    with open(os.path.join(out_dir, 'log')) as f:
        log = json.load(f)
    assert [e['epoch'] for e in log] == [1, 2, 3]
    assert [e['iteration'] for e in log] == [4, 8, 12]
    assert all('main/loss' in e and e['elapsed_time'] >= 0 for e in log)
    assert log[2]['main/loss'] < log[0]['main/loss']
    assert not [f for f in os.listdir(out_dir) if f.endswith('.tmp')]


def test_log_report_keys_and_postprocess(h, out_dir):
    tr = h.mock_trainer((4, 'iteration'), out=out_dir)
    tr.extend(lambda t: kusari.report({'a': t.updater.iteration, 'b': 1.0}), name='rep',
              priority=training.PRIORITY_WRITER)

    def post(entry):
        entry['double'] = 2 * entry['a']
    log = extensions.LogReport(keys=['a'], trigger=(2, 'iteration'), postprocess=post,
                               filename='log_{iteration}.json')
    tr.extend(log)
    tr.run()
    assert [(e['a'], e['double'], 'b' in e) for e in log.log] == [
        (1.5, 3.0, False), (3.5, 7.0, False)]
    assert os.path.exists(os.path.join(out_dir, 'log_4.json'))


def test_print_report_table_and_never_reported_entry(h, out_dir):
    tr = h.mock_trainer((20, 'iteration'), iter_per_epoch=10, out=out_dir)
    tr.extend(lambda t: kusari.report({'main/loss': 0.5}), name='rep',
              priority=training.PRIORITY_WRITER)
    tr.extend(extensions.LogReport())
    out = io.StringIO()
    tr.extend(extensions.PrintReport(['epoch', 'main/loss', 'never'], out=out))
    tr.run()
    lines = out.getvalue().splitlines()
    assert lines[0] == 'epoch       main/loss   never     '
    assert lines[1] == '1           0.5                     '
    assert lines[2].startswith('2           0.5')
    assert len(lines) == 3 and '\033' not in out.getvalue()


def test_print_report_bad_log_report_type(h, out_dir):
    tr = h.mock_trainer(out=out_dir)
    with pytest.raises(TypeError, match='log_report'):
        extensions.PrintReport(['epoch'], log_report=3, out=io.StringIO())(tr)


def test_progress_bar_plain_lines_when_not_a_terminal(h, out_dir):
    tr = h.mock_trainer((300, 'iteration'), out=out_dir)
    out = io.StringIO()
    tr.extend(extensions.ProgressBar(update_interval=100, out=out))
    tr.run()
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith('iteration 100/300 (33.33%), epoch 10,')
    assert lines[2].startswith('iteration 300/300 (100.00%)')
    assert 'iters/sec' in lines[1] and 'ETA' in lines[1]
    assert '\r' not in out.getvalue() and '\033' not in out.getvalue()


def test_progress_bar_uses_tqdm_on_a_terminal(h, out_dir):
    pytest.importorskip('tqdm')

    class Tty(io.StringIO):
        def isatty(self):
            return True
    out = Tty()
    tr = h.mock_trainer((200, 'iteration'), out=out_dir)
    tr.extend(extensions.ProgressBar(update_interval=50, out=out))
    tr.run()
    text = out.getvalue()
    assert '\r' in text and '200/200' in text and 'iters/sec' in text


def test_progress_bar_needs_a_training_length(h, out_dir):
    tr = h.mock_trainer(lambda t: t.updater.iteration >= 100, out=out_dir)
    tr.extend(extensions.ProgressBar(update_interval=10, out=io.StringIO()))
    with pytest.raises(TypeError, match='training length'):
        tr.run(show_loop_exception_msg=False)


def _blue_pixels(path):
    image = pytest.importorskip('matplotlib.image').imread(path)
    rgb = image[..., :3]
    # Matplotlib's first line colour is C0 = #1f77b4 (31, 119, 180)
    target = numpy.array([31, 119, 180]) / 255.0
    return int((numpy.abs(rgb - target).max(axis=-1) < 0.08).sum())


def test_plot_report_draws_the_curve(h, out_dir):
    pytest.importorskip('matplotlib')
    tr, model = _trainer(h, out_dir, stop=(4, 'epoch'))
    tr.extend(extensions.PlotReport(['main/loss'], 'epoch', filename='loss.png'))
    tr.run()
    path = os.path.join(out_dir, 'loss.png')
    with open(path, 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
    assert _blue_pixels(path) > 100
    assert not [f for f in os.listdir(out_dir) if f.startswith('.')]


def test_plot_report_without_data_writes_nothing(h, out_dir):
    pytest.importorskip('matplotlib')
    tr, _ = _trainer(h, out_dir, stop=(1, 'epoch'))
    tr.extend(extensions.PlotReport(['nothing'], filename='none.png'))
    tr.run()
    assert not os.path.exists(os.path.join(out_dir, 'none.png'))


def test_plot_report_without_matplotlib_warns_once(h, out_dir, monkeypatch):
    import sys
    from kusari.training.extensions import _plot
    monkeypatch.setitem(sys.modules, 'matplotlib', None)
    monkeypatch.setattr(_plot, '_warned', False)
    with pytest.warns(UserWarning, match='matplotlib') as rec:
        p = extensions.PlotReport(['main/loss'])
        tr, _ = _trainer(h, out_dir, stop=(1, 'epoch'))
        tr.extend(p)
        tr.run()
    assert len([w for w in rec if 'matplotlib' in str(w.message)]) == 1
    assert not os.path.exists(os.path.join(out_dir, 'plot.png'))


def test_plot_report_serialization(h, out_dir):
    p = extensions.PlotReport(['a'])
    p._data['a'] = [(1, 2.0), (2, 1.0)]
    p2 = extensions.PlotReport(['a'])
    h.save_and_load(p, p2)
    assert p2._data == {'a': [(1, 2.0), (2, 1.0)]}


def test_variable_statistics_plot(h, out_dir):
    pytest.importorskip('matplotlib')
    tr, model = _trainer(h, out_dir, stop=(2, 'epoch'))
    tr.extend(extensions.VariableStatisticsPlot(model))
    tr.run()
    path = os.path.join(out_dir, 'statistics.png')
    assert _blue_pixels(path) > 50
    with pytest.raises(ValueError, match='at least one'):
        extensions.VariableStatisticsPlot([])
    with pytest.raises(ValueError, match='nothing to plot'):
        extensions.VariableStatisticsPlot(model, plot_mean=False, plot_std=False,
                                          percentile_sigmas=())


def test_reservoir_and_statistician():
    from kusari.training.extensions.variable_statistics_plot import (
        Reservoir, Statistician)
    r = Reservoir(5, (2,))
    for i in range(3):
        r.add(numpy.full(2, i), idx=10 + i)
    idxs, data = r.get_data()
    assert idxs.tolist() == [10, 11, 12] and data[:, 0].tolist() == [0, 1, 2]
    x = numpy.arange(101, dtype=numpy.float64)
    s = Statistician(True, True, (0, 50, 100))(x)
    assert s['mean'] == 50 and s['std'] == pytest.approx(x.std())
    assert s['percentile'].tolist() == [0, 50, 100]


def test_log_file_gets_the_usual_permissions(h, out_dir):
    tr = h.mock_trainer((10, 'iteration'), out=out_dir)
    tr.extend(extensions.LogReport())
    mask = os.umask(0o022)
    try:
        tr.run()
    finally:
        os.umask(mask)
    assert os.stat(os.path.join(out_dir, 'log')).st_mode & 0o777 == 0o644
