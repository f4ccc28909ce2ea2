"""Links for multi-process models (ChainerMN's ``links``)."""
from kusari.distributed.links.multi_node_chain_list import MultiNodeChainList
from kusari.distributed.links.batch_normalization import MultiNodeBatchNormalization

__all__ = ['MultiNodeChainList', 'MultiNodeBatchNormalization']
