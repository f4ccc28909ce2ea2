"""create_mnbn_model: the same model with every BatchNormalization made multi-node."""
import copy

import kusari

from kusari.distributed.links.batch_normalization import MultiNodeBatchNormalization


def _is_bn(link):
    try:
        import kusari.links as L
    except ImportError:
        return False
    return isinstance(link, L.BatchNormalization)


def _to_mnbn(link, comm):
    mnbn = MultiNodeBatchNormalization(
        link.avg_mean.shape[0], comm, decay=link.decay, eps=link.eps,
        dtype=link.avg_mean.dtype, use_gamma=hasattr(link, 'gamma'),
        use_beta=hasattr(link, 'beta'))
    mnbn.copyparams(link)
    mnbn.avg_mean[...] = link.avg_mean
    mnbn.avg_var[...] = link.avg_var
    mnbn.N = link.N
    return mnbn


def create_mnbn_model(link, comm, communication_backend='auto'):
    """A copy of ``link`` whose ``BatchNormalization`` links are multi-node.

    Every ``kusari.links.BatchNormalization`` (at any depth of Chains and
    ChainLists) becomes a :class:`MultiNodeBatchNormalization` with the same
    parameters, statistics, ``decay`` and ``eps``; everything else is deep-copied.

    Args:
        link: A link (a Chain, a ChainList or a BatchNormalization).
        comm: A communicator.
        communication_backend (str): Accepted for compatibility.
    """
    if _is_bn(link):
        return _to_mnbn(link, comm)
    new = copy.deepcopy(link)
    _replace(new, comm)
    return new


def _replace(link, comm):
    if isinstance(link, kusari.ChainList):
        for i, child in enumerate(list(link.children())):
            if _is_bn(child):
                link[i] = _to_mnbn(child, comm)
            else:
                _replace(child, comm)
    elif isinstance(link, kusari.Chain):
        for child in list(link.children()):
            name = child.name
            if _is_bn(child):
                delattr(link, name)
                with link.init_scope():
                    setattr(link, name, _to_mnbn(child, comm))
            else:
                _replace(child, comm)
