"""Chainer's ``chainer.testing.training``: a Trainer for testing extensions and triggers."""


def get_trainer_with_mock_updater(stop_trigger=(10, 'iteration'),
                                  iter_per_epoch=10, extensions=None):
    """A :class:`kusari.training.Trainer` driven by a mock updater.

    The mock's ``update()`` advances ``iteration``, ``epoch``, ``epoch_detail``,
    ``is_new_epoch`` and ``previous_epoch_detail`` as a real updater would.
    Needs the kusari training package.

    Args:
        stop_trigger: Stop trigger of the trainer.
        iter_per_epoch (int): Iterations per epoch.
        extensions (list): Extensions registered to the trainer.
    """
    from unittest import mock

    from kusari import training
    updater = mock.Mock()
    updater.get_all_optimizers.return_value = {}
    updater.iteration = 0
    updater.epoch = 0
    updater.epoch_detail = 0
    updater.is_new_epoch = True
    updater.previous_epoch_detail = None

    def update():
        updater.update_core()
        updater.iteration += 1
        updater.epoch = updater.iteration // iter_per_epoch
        updater.epoch_detail = updater.iteration / iter_per_epoch
        updater.is_new_epoch = ((updater.iteration - 1) // iter_per_epoch
                                != updater.epoch)
        updater.previous_epoch_detail = (updater.iteration - 1) / iter_per_epoch

    updater.update = update
    return training.Trainer(updater, stop_trigger, extensions=extensions or [])
