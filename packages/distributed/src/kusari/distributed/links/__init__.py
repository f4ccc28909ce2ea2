"""Links for multi-process models (ChainerMN's ``links``)."""
from kusari.distributed.links.multi_node_chain_list import MultiNodeChainList
from kusari.distributed.links.batch_normalization import MultiNodeBatchNormalization

from kusari.distributed.links.create_mnbn_model import create_mnbn_model

__all__ = ['MultiNodeChainList', 'MultiNodeBatchNormalization', 'create_mnbn_model']
