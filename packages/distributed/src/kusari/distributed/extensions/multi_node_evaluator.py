"""create_multi_node_evaluator: an Evaluator whose results are averaged over processes."""
import types

import numpy as np


def _to_float(value):
    array = getattr(value, 'array', value)     # a Variable reports its array
    if hasattr(array, 'get'):
        array = array.get()
    return float(np.asarray(array))


def create_multi_node_evaluator(actual_evaluator, communicator):
    """Make ``actual_evaluator.evaluate`` return the mean over all processes.

    Each process evaluates its own part of the validation set (e.g. from
    :func:`~kusari.distributed.scatter_dataset`); the per-key means are then
    averaged over the processes (equal weights, as in ChainerMN).

    Args:
        actual_evaluator: A ``kusari.training.extensions.Evaluator``.
        communicator: A communicator.

    Returns:
        The same evaluator object, with its ``evaluate`` replaced.
    """
    original = actual_evaluator.evaluate

    def evaluate(self):
        local = original()
        return {name: communicator.allreduce_obj(_to_float(value)) / communicator.size
                for name, value in sorted(local.items())}

    actual_evaluator.evaluate = types.MethodType(evaluate, actual_evaluator)
    return actual_evaluator
