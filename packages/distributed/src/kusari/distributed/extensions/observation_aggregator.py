"""ObservationAggregator: an observed value averaged over the processes."""
import numpy as np

import kusari
from kusari.training import extension
from kusari.training import util as trigger_util


def _to_float(value):
    array = getattr(value, 'array', value)
    if hasattr(array, 'get'):
        array = array.get()
    return float(np.asarray(array))


def _average_2d(values):
    """The mean of all values of all processes (a list of lists)."""
    flat = [v for per_rank in values for v in per_rank]
    return sum(flat) / len(flat)


class ObservationAggregator(extension.Extension):
    """Report ``original_key``'s mean over processes (and iterations) as ``aggregated_key``.

    Every iteration the value observed under ``original_key`` is kept; when
    ``comm_trigger`` fires, the kept values of every process are gathered and
    ``aggregator`` (default: their mean) gives the value stored in the trainer's
    observation under ``aggregated_key`` (a Variable if the original was one).

    Args:
        comm: A communicator.
        original_key (str): The observed key.
        aggregated_key (str): Where to store the aggregate (default: the original key).
        comm_trigger: How often to communicate (default: every iteration).
        aggregator (callable): Takes a list (one per process) of lists of floats.
    """

    trigger = 1, 'iteration'
    priority = extension.PRIORITY_EDITOR

    def __init__(self, comm, original_key, aggregated_key=None, *,
                 comm_trigger=(1, 'iteration'), aggregator=None):
        self.comm = comm
        self.original_key = original_key
        self.aggregated_key = aggregated_key or original_key
        self.comm_trigger = trigger_util.get_trigger(comm_trigger)
        self.aggregator = aggregator or _average_2d
        self.observation_history = []

    def __call__(self, trainer):
        observation = trainer.observation
        if self.original_key not in observation:
            return
        value = observation[self.original_key]
        self.observation_history.append(_to_float(value))
        if not self.comm_trigger(trainer):
            return
        gathered = self.comm.mpi_comm.allgather(self.observation_history)
        self.observation_history = []
        aggregated = np.asarray(self.aggregator(gathered), dtype=np.float32)
        if isinstance(value, kusari.Variable):
            aggregated = kusari.Variable(aggregated)
        observation[self.aggregated_key] = aggregated
