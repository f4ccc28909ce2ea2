"""kusari.links: normalization layers."""
from kusari.links.normalization.batch_normalization import BatchNormalization  # noqa: F401,E501
from kusari.links.normalization.batch_renormalization import BatchRenormalization  # noqa: F401,E501
from kusari.links.normalization.decorrelated_batch_normalization import DecorrelatedBatchNormalization  # noqa: F401,E501
from kusari.links.normalization.group_normalization import GroupNormalization  # noqa: F401,E501
from kusari.links.normalization.layer_normalization import LayerNormalization  # noqa: F401,E501

__all__ = ['BatchNormalization', 'BatchRenormalization', 'DecorrelatedBatchNormalization',
           'GroupNormalization',
           'LayerNormalization']
