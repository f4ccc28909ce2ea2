"""kusari.functions: the array family.

Functions that move, select, join, split and reshape array elements.  ``reshape``,
``transpose``, ``get_item``, ``broadcast_to`` and ``sum_to`` are implemented in the
core (``Variable``'s methods use them) and re-exported here.
"""
from kusari._core import sum_to  # noqa: F401
from kusari.functions.array.as_strided import as_strided  # noqa: F401
from kusari.functions.array.broadcast import broadcast  # noqa: F401
from kusari.functions.array.broadcast import broadcast_to  # noqa: F401
from kusari.functions.array.cast import cast  # noqa: F401
from kusari.functions.array.concat import concat  # noqa: F401
from kusari.functions.array.copy import copy  # noqa: F401
from kusari.functions.array.depth2space import depth2space  # noqa: F401
from kusari.functions.array.diagonal import diagonal  # noqa: F401
from kusari.functions.array.dstack import dstack  # noqa: F401
from kusari.functions.array.expand_dims import expand_dims  # noqa: F401
from kusari.functions.array.flatten import flatten  # noqa: F401
from kusari.functions.array.flip import flip  # noqa: F401
from kusari.functions.array.fliplr import fliplr  # noqa: F401
from kusari.functions.array.flipud import flipud  # noqa: F401
from kusari.functions.array.get_item import get_item  # noqa: F401
from kusari.functions.array.hstack import hstack  # noqa: F401
from kusari.functions.array.im2col import im2col  # noqa: F401
from kusari.functions.array.moveaxis import moveaxis  # noqa: F401
from kusari.functions.array.pad import pad  # noqa: F401
from kusari.functions.array.pad_sequence import pad_sequence  # noqa: F401
from kusari.functions.array.permutate import permutate  # noqa: F401
from kusari.functions.array.repeat import repeat  # noqa: F401
from kusari.functions.array.reshape import reshape  # noqa: F401
from kusari.functions.array.resize_images import resize_images  # noqa: F401
from kusari.functions.array.rollaxis import rollaxis  # noqa: F401
from kusari.functions.array.scatter_add import scatter_add  # noqa: F401
from kusari.functions.array.select_item import select_item  # noqa: F401
from kusari.functions.array.separate import separate  # noqa: F401
from kusari.functions.array.space2depth import space2depth  # noqa: F401
from kusari.functions.array.spatial_transformer_grid import spatial_transformer_grid  # noqa: F401,E501
from kusari.functions.array.spatial_transformer_sampler import spatial_transformer_sampler  # noqa: F401,E501
from kusari.functions.array.split_axis import split_axis  # noqa: F401
from kusari.functions.array.squeeze import squeeze  # noqa: F401
from kusari.functions.array.stack import stack  # noqa: F401
from kusari.functions.array.swapaxes import swapaxes  # noqa: F401
from kusari.functions.array.tile import tile  # noqa: F401
from kusari.functions.array.transpose import transpose  # noqa: F401
from kusari.functions.array.transpose_sequence import transpose_sequence  # noqa: F401
from kusari.functions.array.vstack import vstack  # noqa: F401
from kusari.functions.array.where import where  # noqa: F401

__all__ = [
    'as_strided', 'broadcast', 'broadcast_to', 'cast', 'concat', 'copy',
    'depth2space', 'diagonal', 'dstack', 'expand_dims', 'flatten', 'flip', 'fliplr',
    'flipud', 'get_item', 'hstack', 'im2col', 'moveaxis', 'pad', 'pad_sequence',
    'permutate', 'repeat', 'reshape', 'resize_images', 'rollaxis', 'scatter_add',
    'select_item', 'separate', 'space2depth', 'spatial_transformer_grid',
    'spatial_transformer_sampler', 'split_axis', 'squeeze', 'stack',
    'sum_to', 'swapaxes', 'tile', 'transpose', 'transpose_sequence', 'vstack', 'where',
]

from kusari.functions import _layout  # noqa: E402

_layout.chainer_layout(globals())
