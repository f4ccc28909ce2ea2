"""Triggers: firing points against hand-computed schedules, units, serialization."""
import pytest

from kusari import training
from kusari.training import triggers


def _fires(h, trigger, n, iter_per_epoch=10, observe=None):
    tr = h.mock_trainer(None, iter_per_epoch=iter_per_epoch)
    out = []
    for i in range(n):
        tr.updater.update()
        tr.observation = observe(i + 1) if observe else {}
        if trigger(tr):
            out.append(tr.updater.iteration)
    return out


@pytest.mark.parametrize('period,unit,ipe,expected', [
    (3, 'iteration', 10, [3, 6, 9, 12]),
    (1, 'epoch', 4, [4, 8, 12]),
    (0.5, 'epoch', 4, [2, 4, 6, 8, 10, 12]),
    (2, 'epoch', 3, [6, 12]),
])
def test_interval_trigger(h, period, unit, ipe, expected):
    assert _fires(h, triggers.IntervalTrigger(period, unit), 12, ipe) == expected


@pytest.mark.parametrize('cls,args', [
    (triggers.IntervalTrigger, (1,)), (triggers.ManualScheduleTrigger, ([1],))])
def test_bad_unit_names_the_unit(cls, args):
    with pytest.raises(ValueError, match="'epochs'") as e:
        cls(*args, 'epochs')
    assert cls.__name__ in str(e.value)


def test_get_trigger_forms():
    assert training.get_trigger(None)(None) is False
    def f(t):
        return True
    assert training.get_trigger(f) is f
    t = training.get_trigger((5, 'iteration'))
    assert isinstance(t, triggers.IntervalTrigger) and t.period == 5
    with pytest.raises(ValueError, match="'hour'"):
        training.get_trigger((1, 'hour'))
    with pytest.raises(TypeError):
        training.get_trigger(5)


def test_interval_trigger_resumes_from_serialized_state(h):
    t1 = triggers.IntervalTrigger(4, 'iteration')
    tr = h.mock_trainer(None)
    for _ in range(6):
        tr.updater.update()
        t1(tr)
    t2 = triggers.IntervalTrigger(4, 'iteration')
    h.save_and_load(t1, t2)
    assert t2._previous_iteration == 6
    fired = []
    for _ in range(6):
        tr.updater.update()
        if t2(tr):
            fired.append(tr.updater.iteration)
    assert fired == [8, 12]


def test_manual_schedule_trigger(h):
    t = triggers.ManualScheduleTrigger([2, 5, 7], 'iteration')
    assert _fires(h, t, 10) == [2, 5, 7] and t.finished
    t = triggers.ManualScheduleTrigger(1.5, 'epoch')
    assert _fires(h, t, 30, iter_per_epoch=4) == [6] and t.finished


def test_manual_schedule_trigger_serializes_finished(h):
    t = triggers.ManualScheduleTrigger([2], 'iteration')
    _fires(h, t, 3)
    t2 = triggers.ManualScheduleTrigger([2], 'iteration')
    h.save_and_load(t, t2)
    assert t2.finished and t2._previous_iteration == 3


def test_max_and_min_value_triggers(h):
    values = [3, 1, 4, 1, 5, 9, 2, 6]

    def obs(i):
        return {'v': values[i - 1]}
    # check every iteration: fires at each new max / new min
    assert _fires(h, triggers.MaxValueTrigger('v', (1, 'iteration')), 8,
                  observe=obs) == [1, 3, 5, 6]
    assert _fires(h, triggers.MinValueTrigger('v', (1, 'iteration')), 8,
                  observe=obs) == [1, 2]
    # means over 2 iterations: 2, 2.5, 7, 4 -> max at 2, 4, 6
    assert _fires(h, triggers.MaxValueTrigger('v', (2, 'iteration')), 8,
                  observe=obs) == [2, 4, 6]


def test_best_value_trigger_missing_key_raises(h):
    with pytest.raises(KeyError, match='nokey'):
        _fires(h, triggers.MaxValueTrigger('nokey', (1, 'iteration')), 1)


def test_best_value_trigger_serialization(h):
    t = triggers.MinValueTrigger('v', (1, 'iteration'))
    _fires(h, t, 3, observe=lambda i: {'v': 10 - i})
    t2 = triggers.MinValueTrigger('v', (1, 'iteration'))
    h.save_and_load(t, t2)
    assert t2._best_value == 7.0


def test_early_stopping_trigger(h):
    losses = [5, 4, 3, 3.5, 3.2, 3.1, 3.3, 1, 1]
    t = triggers.EarlyStoppingTrigger(check_trigger=(1, 'iteration'),
                                      monitor='main/loss', patience=3,
                                      max_trigger=(100, 'iteration'))
    tr = h.mock_trainer(None)
    stopped = None
    for i, v in enumerate(losses):
        tr.updater.update()
        tr.observation = {'main/loss': v}
        if t(tr):
            stopped = tr.updater.iteration
            break
    assert stopped == 6     # best 3 at 3; no improvement at 4, 5, 6
    acc = triggers.EarlyStoppingTrigger(monitor='validation/main/accuracy')
    assert acc.best == float('-inf')
    assert acc.get_training_length() == (100, 'epoch')
    with pytest.raises(ValueError, match='mode'):
        triggers.EarlyStoppingTrigger(mode='largest')


def test_early_stopping_trigger_max_trigger(h):
    t = triggers.EarlyStoppingTrigger(max_trigger=(5, 'iteration'))
    assert _fires(h, t, 5)[0] == 5


def test_once_trigger(h):
    t = triggers.OnceTrigger()
    assert _fires(h, t, 5) == [1]
    t2 = triggers.OnceTrigger(call_on_resume=True)
    h.save_and_load(t, t2)
    assert t2(None) is True and t2(None) is False


def test_time_trigger(h):
    class T:
        elapsed_time = 0.0
    trainer = T()
    t = triggers.TimeTrigger(1.0)
    fired = []
    for step in range(1, 8):
        trainer.elapsed_time = step * 0.4
        if t(trainer):
            fired.append(step)
    # 1.2 > 1.0 fires (next 2.0); 2.0 is not > 2.0; 2.4 fires (next 3.0)
    assert fired == [3, 6]
    t2 = triggers.TimeTrigger(1.0)
    h.save_and_load(t, t2)
    assert t2._next_time == t._next_time


def test_once_trigger_old_snapshot_warns(h, tmp_path):
    import numpy
    from kusari.serializers import load_npz
    path = str(tmp_path / 'old.npz')
    numpy.savez(path, dummy=0)
    t = triggers.OnceTrigger()
    with pytest.warns(UserWarning, match='not saved'):
        load_npz(path, t)
    assert t.finished


def test_early_stopping_patients_alias():
    assert triggers.EarlyStoppingTrigger(patients=10).patience == 10
    assert triggers.EarlyStoppingTrigger((1, 'epoch'), 'main/loss', 10).patience == 10
    with pytest.raises(TypeError):
        triggers.EarlyStoppingTrigger(patience=10, patients=3)
