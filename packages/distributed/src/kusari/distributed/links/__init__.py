"""Links for multi-process models (ChainerMN's ``links``)."""
from kusari.distributed.links.multi_node_chain_list import MultiNodeChainList

__all__ = ['MultiNodeChainList']
