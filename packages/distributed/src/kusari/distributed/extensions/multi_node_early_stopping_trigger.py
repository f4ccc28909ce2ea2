"""MultiNodeEarlyStoppingTrigger: early stopping on the value averaged over processes."""
from kusari.training import triggers


class MultiNodeEarlyStoppingTrigger:
    """``EarlyStoppingTrigger`` deciding on the mean over the processes of ``monitor``.

    Every call averages the observed ``monitor`` over the processes (one small
    allgather) and feeds that mean to a ``kusari.training.triggers.EarlyStoppingTrigger``,
    so every process stops at the same iteration.  Arguments are those of
    ``EarlyStoppingTrigger`` plus the communicator.
    """

    def __init__(self, comm, check_trigger=(1, 'epoch'), monitor='main/loss',
                 patience=3, mode='auto', verbose=False, max_trigger=(100, 'epoch')):
        self.comm = comm
        self.monitor = monitor
        self.actual_trigger = triggers.EarlyStoppingTrigger(
            check_trigger=check_trigger, monitor=monitor, patience=patience, mode=mode,
            verbose=verbose and comm.rank == 0, max_trigger=max_trigger)

    def __call__(self, trainer):
        observation = trainer.observation
        mine = None
        if self.monitor in observation:
            value = observation[self.monitor]
            value = getattr(value, 'array', value)
            mine = float(value.get() if hasattr(value, 'get') else value)
        values = [v for v in self.comm.mpi_comm.allgather(mine) if v is not None]
        missing = object()
        saved = observation.get(self.monitor, missing)
        if values:
            observation[self.monitor] = sum(values) / len(values)
        try:
            return self.actual_trigger(trainer)
        finally:
            if saved is missing:
                observation.pop(self.monitor, None)
            else:
                observation[self.monitor] = saved

    def get_training_length(self):
        return self.actual_trigger.get_training_length()

    def serialize(self, serializer):
        self.actual_trigger.serialize(serializer)
