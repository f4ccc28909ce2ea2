"""kusari.links: loss links (BlackOut, CRF1d, NegativeSampling, BinaryHierarchicalSoftmax)."""
from kusari.links.loss.black_out import BlackOut  # noqa: F401
from kusari.links.loss.crf1d import CRF1d  # noqa: F401
from kusari.links.loss.hierarchical_softmax import BinaryHierarchicalSoftmax  # noqa: F401
from kusari.links.loss.negative_sampling import NegativeSampling  # noqa: F401

__all__ = ['BinaryHierarchicalSoftmax', 'BlackOut', 'CRF1d', 'NegativeSampling']
