"""Trainer extensions for multi-process training (need kusari-training)."""
from kusari.distributed.extensions.multi_node_evaluator import create_multi_node_evaluator
from kusari.distributed.extensions.checkpoint import create_multi_node_checkpointer
from kusari.distributed.extensions.allreduce_persistent import AllreducePersistent
from kusari.distributed.extensions.observation_aggregator import ObservationAggregator
from kusari.distributed.extensions.multi_node_early_stopping_trigger import (
    MultiNodeEarlyStoppingTrigger)

__all__ = ['create_multi_node_evaluator', 'create_multi_node_checkpointer',
           'AllreducePersistent', 'ObservationAggregator',
           'MultiNodeEarlyStoppingTrigger']
