"""Splitting datasets across processes (ChainerMN's ``chainermn.datasets``)."""
from kusari.distributed.datasets.scatter_dataset import (
    DataSizeError, scatter_dataset, scatter_index)
from kusari.distributed.datasets.empty_dataset import create_empty_dataset

__all__ = ['DataSizeError', 'scatter_dataset', 'scatter_index', 'create_empty_dataset']
