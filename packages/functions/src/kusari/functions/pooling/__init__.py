"""kusari.functions: the pooling family.

Max and average pooling (1-D, 2-D, 3-D, N-D), unpooling, upsampling with max-pooling
indexes and spatial pyramid pooling.
"""
from kusari.functions.pooling.average_pooling_2d import AveragePooling2D
from kusari.functions.pooling.average_pooling_2d import average_pooling_2d
from kusari.functions.pooling.average_pooling_nd import average_pooling_1d
from kusari.functions.pooling.average_pooling_nd import average_pooling_3d
from kusari.functions.pooling.average_pooling_nd import average_pooling_nd
from kusari.functions.pooling.max_pooling_2d import MaxPooling2D
from kusari.functions.pooling.max_pooling_2d import max_pooling_2d
from kusari.functions.pooling.max_pooling_nd import max_pooling_1d
from kusari.functions.pooling.max_pooling_nd import max_pooling_3d
from kusari.functions.pooling.max_pooling_nd import max_pooling_nd
from kusari.functions.pooling.roi_average_align_2d import roi_average_align_2d
from kusari.functions.pooling.roi_average_pooling_2d import roi_average_pooling_2d
from kusari.functions.pooling.roi_max_align_2d import roi_max_align_2d
from kusari.functions.pooling.roi_max_pooling_2d import roi_max_pooling_2d
from kusari.functions.pooling.roi_pooling_2d import roi_pooling_2d
from kusari.functions.pooling.spatial_pyramid_pooling_2d import spatial_pyramid_pooling_2d
from kusari.functions.pooling.unpooling_2d import Unpooling2D
from kusari.functions.pooling.unpooling_2d import unpooling_2d
from kusari.functions.pooling.unpooling_nd import unpooling_1d
from kusari.functions.pooling.unpooling_nd import unpooling_3d
from kusari.functions.pooling.unpooling_nd import unpooling_nd
from kusari.functions.pooling.upsampling_2d import upsampling_2d
from kusari.functions.pooling._pool_nodes import AveragePoolingND
from kusari.functions.pooling._pool_nodes import MaxPoolingND
from kusari.functions.pooling._pool_nodes import Upsampling2D

__all__ = [
    'AveragePooling2D', 'average_pooling_2d',
    'AveragePoolingND', 'average_pooling_1d', 'average_pooling_3d', 'average_pooling_nd',
    'MaxPooling2D', 'max_pooling_2d',
    'MaxPoolingND', 'max_pooling_1d', 'max_pooling_3d', 'max_pooling_nd',
    'roi_average_align_2d', 'roi_average_pooling_2d', 'roi_max_align_2d',
    'roi_max_pooling_2d', 'roi_pooling_2d',
    'spatial_pyramid_pooling_2d',
    'Unpooling2D', 'unpooling_2d', 'unpooling_1d', 'unpooling_3d', 'unpooling_nd',
    'Upsampling2D', 'upsampling_2d',
]

from kusari.functions import _layout  # noqa: E402

_layout.chainer_layout(globals())
