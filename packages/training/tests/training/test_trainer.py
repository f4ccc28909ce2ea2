"""Trainer: the loop, extension order and registration, errors, serialization."""
import pytest

from kusari import training
from kusari.training import extensions



class Recorder(training.Extension):
    def __init__(self, log, tag):
        self.log = log
        self.tag = tag

    def __call__(self, trainer):
        self.log.append((self.tag, trainer.updater.iteration))

    def initialize(self, trainer):
        self.log.append((self.tag, 'init'))

    def finalize(self):
        self.log.append((self.tag, 'final'))


def test_runs_until_stop_trigger_and_calls_extensions_by_priority(out_dir, h):
    log = []
    tr = h.mock_trainer((3, 'iteration'), out=out_dir)
    tr.extend(Recorder(log, 'reader'), priority=training.PRIORITY_READER)
    tr.extend(Recorder(log, 'writer'), priority=training.PRIORITY_WRITER)
    tr.extend(Recorder(log, 'editor'), priority=training.PRIORITY_EDITOR)
    tr.run()
    assert tr.updater.iteration == 3 and tr.updater.finalized
    assert log[:3] == [('writer', 'init'), ('editor', 'init'), ('reader', 'init')]
    assert log[3:6] == [('writer', 1), ('editor', 1), ('reader', 1)]
    assert log[-3:] == [('writer', 'final'), ('editor', 'final'), ('reader', 'final')]
    assert len(log) == 3 + 9 + 3


def test_extension_trigger_and_call_before_training(out_dir, h):
    calls = []
    tr = h.mock_trainer((10, 'iteration'), out=out_dir)
    tr.extend(lambda t: calls.append(t.updater.iteration), name='every3',
              trigger=(3, 'iteration'), call_before_training=True)
    tr.run()
    assert calls == [0, 3, 6, 9]


def test_make_extension_defaults_are_used(out_dir, h):
    calls = []

    @training.make_extension(trigger=(1, 'epoch'), priority=7)
    def per_epoch(trainer):
        calls.append(trainer.updater.epoch)

    tr = h.mock_trainer((30, 'iteration'), out=out_dir)
    tr.extend(per_epoch)
    tr.run()
    assert calls == [1, 2, 3]
    assert tr._extensions['per_epoch'].priority == 7


def test_names_are_made_unique_and_training_is_refused(out_dir, h):
    tr = h.mock_trainer(out=out_dir)
    a, b = extensions.LogReport(), extensions.LogReport()
    tr.extend(a)
    tr.extend(b)
    assert a.name == 'LogReport' and b.name == 'LogReport_1'
    assert tr.get_extension('LogReport_1') is b
    with pytest.raises(ValueError, match='training'):
        tr.extend(lambda t: None, name='training')
    with pytest.raises(ValueError, match='nope'):
        tr.get_extension('nope')


def test_extension_without_name_raises(out_dir, h):
    class NoName:
        __slots__ = ('name',)

        def __call__(self, trainer):
            pass
    ext = NoName()
    ext.name = None
    with pytest.raises(TypeError, match='name'):
        h.mock_trainer(out=out_dir).extend(ext)


def test_exception_in_extension_stops_training_and_calls_on_error(out_dir, capsys, h):
    seen = []

    class Boom(Exception):
        pass

    class Handler(training.Extension):
        def __call__(self, trainer):
            pass

        def on_error(self, trainer, exc, tb):
            seen.append((type(exc), trainer.updater.iteration, tb is not None))

        def finalize(self):
            seen.append('final')

    def boom(trainer):
        if trainer.updater.iteration == 4:
            raise Boom('at 4')

    tr = h.mock_trainer((10, 'iteration'), out=out_dir)
    tr.extend(boom)
    tr.extend(Handler())
    with pytest.raises(Boom):
        tr.run()
    assert tr.updater.iteration == 4
    assert seen == [(Boom, 4, True), 'final']
    assert tr.updater.finalized
    assert 'Exception in main training loop: at 4' in capsys.readouterr().err


def test_run_twice_and_elapsed_time_before_start(out_dir, h):
    tr = h.mock_trainer((1, 'iteration'), out=out_dir)
    with pytest.raises(RuntimeError, match='not been started'):
        tr.elapsed_time
    tr.run()
    assert tr.elapsed_time >= 0
    with pytest.raises(RuntimeError, match='multiple'):
        tr.run()


def test_bad_trigger_unit_is_refused(out_dir, h):
    with pytest.raises(ValueError, match="'epochs'"):
        h.mock_trainer((1, 'epochs'), out=out_dir)
    tr = h.mock_trainer(out=out_dir)
    with pytest.raises(ValueError, match="'iter'"):
        tr.extend(lambda t: None, name='x', trigger=(1, 'iter'))


def test_serialize_round_trip_restores_iteration_triggers_and_elapsed(out_dir, h):
    tr = h.mock_trainer((7, 'iteration'), out=out_dir)
    log = extensions.LogReport(trigger=(2, 'iteration'), filename=None)
    tr.extend(log)
    tr.run()
    tr2 = h.mock_trainer((7, 'iteration'), out=out_dir)
    log2 = extensions.LogReport(trigger=(2, 'iteration'), filename=None)
    tr2.extend(log2)
    h.save_and_load(tr, tr2)
    assert tr2.updater.iteration == 7
    assert tr2._snapshot_elapsed_time == pytest.approx(tr.elapsed_time)
    assert [e['iteration'] for e in log2.log] == [2, 4, 6]
    trig = tr2._extensions['LogReport'].trigger
    assert trig._previous_iteration == 7


def test_exception_in_an_error_handler_does_not_hide_the_error(out_dir, capsys, h):
    handled = []

    def bad_handler(trainer, exc, tb):
        raise ValueError('from the handler')

    @training.make_extension(priority=300, on_error=bad_handler)
    def raiser(trainer):
        raise KeyError('original')

    class Handler(training.Extension):
        def __call__(self, trainer):
            pass

        def on_error(self, trainer, exc, tb):
            handled.append(type(exc))
    tr = h.mock_trainer((5, 'iteration'), out=out_dir)
    tr.extend(raiser)
    tr.extend(Handler(), priority=1)
    with pytest.raises(KeyError, match='original'):
        tr.run()
    assert handled == [KeyError]
    assert 'from the handler' in capsys.readouterr().err


def test_elapsed_time_continues_after_resume(out_dir, h):
    tr = h.mock_trainer((5, 'iteration'), out=out_dir)
    tr.run()
    before = tr.elapsed_time
    tr2 = h.mock_trainer((10, 'iteration'), out=out_dir)
    h.save_and_load(tr, tr2)
    tr2.run()
    assert tr2.updater.iteration == 10 and tr2.elapsed_time > before


def test_extension_base_and_make_extension_arguments(h):
    class Mine(training.Extension):
        pass
    with pytest.raises(NotImplementedError):
        Mine()(h.mock_trainer())
    assert Mine().default_name == 'Mine'
    with pytest.raises(AttributeError):
        Mine().invoke_before_training
    with pytest.raises(ValueError, match='invoke_before_training'):
        training.make_extension(invoke_before_training=False)
    with pytest.raises(TypeError, match='foo'):
        training.make_extension(foo=1)

    @training.make_extension()
    def f(trainer):
        pass
    assert (f.trigger, f.default_name, f.priority, f.initialize) == (
        (1, 'iteration'), 'f', training.PRIORITY_READER, None)


def test_every_iteration_trigger_state_is_saved_as_if_called(out_dir, h):
    # the loop does not call (1, 'iteration') triggers; their serialized state
    # must still be the one a call would leave
    tr = h.mock_trainer((6, 'iteration'), out=out_dir)
    tr.extend(lambda t: None, name='each')
    tr.run()
    trig = tr._extensions['each'].trigger
    assert trig._previous_iteration == 6
    assert trig._previous_epoch_detail == pytest.approx(0.6)


def test_serialize_of_a_trainer_marked_done_without_a_run(out_dir, h):
    # Chainer's snapshot tests mark a trainer done without running it; saving it
    # must still work (the elapsed time is the one of the last snapshot: 0).
    from kusari import serializers
    tr = h.mock_trainer(out=out_dir)
    tr._done = True
    s = serializers.DictionarySerializer()
    s.save(tr)
    assert float(s.target['_snapshot_elapsed_time']) == 0.0
