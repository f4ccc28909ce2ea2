"""observe_value and observe_lr: report a value computed from the trainer."""
from kusari import reporter
from kusari.training import extension


def observe_value(observation_key, target_func):
    """Return a trainer extension that reports ``target_func(trainer)``.

    Args:
        observation_key (str): Key of the reported value.
        target_func (callable): ``target_func(trainer)`` returns the value.

    Returns:
        The extension (trigger ``(1, 'epoch')``, priority
        :data:`~kusari.training.PRIORITY_WRITER`).
    """
    @extension.make_extension(trigger=(1, 'epoch'),
                              priority=extension.PRIORITY_WRITER)
    def _observe_value(trainer):
        trainer.observation[observation_key] = target_func(trainer)
    return _observe_value


def observe_lr(optimizer_name='main', observation_key='lr'):
    """Return a trainer extension that reports the learning rate of an optimizer.

    Args:
        optimizer_name (str): Name of the optimizer in the updater.
        observation_key (str): Key of the reported value (``'lr'``).
    """
    return observe_value(
        observation_key,
        lambda trainer: trainer.updater.get_optimizer(optimizer_name).lr)


_ = reporter   # values are written into trainer.observation, as Chainer does
