"""Iterators for multi-process training."""
from kusari.distributed.iterators.multi_node_iterator import create_multi_node_iterator
from kusari.distributed.iterators.synchronized_iterator import (
    create_synchronized_iterator)

__all__ = ['create_multi_node_iterator', 'create_synchronized_iterator']
