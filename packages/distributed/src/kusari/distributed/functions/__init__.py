"""Differentiable communication for model parallelism (ChainerMN's ``functions``)."""
from kusari.distributed.functions.point_to_point_communication import recv, send
from kusari.distributed.functions.pseudo_connect import pseudo_connect
from kusari.distributed.functions.collective_communication import (
    allgather, alltoall, bcast, gather, scatter)
from kusari.distributed.functions.batch_normalization import (
    multi_node_batch_normalization)

__all__ = ['send', 'recv', 'pseudo_connect', 'allgather', 'alltoall', 'bcast',
           'gather', 'scatter', 'multi_node_batch_normalization']
