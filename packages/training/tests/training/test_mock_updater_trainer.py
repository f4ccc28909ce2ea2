"""kusari.testing.training (Chainer's chainer.testing.training) drives triggers."""
import kusari.testing
from kusari import testing
from kusari.training import triggers


def test_module_and_top_level_name_are_one():
    assert testing.training.get_trainer_with_mock_updater is \
        kusari.testing.get_trainer_with_mock_updater


def test_mock_updater_advances_like_a_real_one():
    trainer = testing.training.get_trainer_with_mock_updater(
        stop_trigger=(25, 'iteration'), iter_per_epoch=10)
    fired = []
    trigger = triggers.IntervalTrigger(1, 'epoch')
    trainer.extend(lambda tr: fired.append(tr.updater.iteration), trigger=trigger)
    trainer.run()
    assert trainer.updater.iteration == 25
    assert fired == [10, 20]
