"""kusari.functions: the connection family.

Convolutions (1-D, 2-D, 3-D, N-D, grouped, dilated, depthwise), their transposes,
the linear and bilinear functions, embedding lookup and the shift function.
"""
from kusari.functions.connection.bilinear import bilinear
from kusari.functions.connection.convolution_2d import Convolution2DFunction
from kusari.functions.connection.convolution_2d import convolution_2d
from kusari.functions.connection.convolution_nd import ConvolutionND
from kusari.functions.connection.convolution_nd import convolution_1d
from kusari.functions.connection.convolution_nd import convolution_3d
from kusari.functions.connection.convolution_nd import convolution_nd
from kusari.functions.connection.deconvolution_2d import Deconvolution2DFunction
from kusari.functions.connection.deconvolution_2d import deconvolution_2d
from kusari.functions.connection.deconvolution_nd import DeconvolutionND
from kusari.functions.connection.deconvolution_nd import deconvolution_1d
from kusari.functions.connection.deconvolution_nd import deconvolution_3d
from kusari.functions.connection.deconvolution_nd import deconvolution_nd
from kusari.functions.connection.deformable_convolution_2d_sampler import \
    deformable_convolution_2d_sampler
from kusari.functions.connection.depthwise_convolution_2d import depthwise_convolution_2d
from kusari.functions.connection.dilated_convolution_2d import dilated_convolution_2d
from kusari.functions.connection.embed_id import EmbedIDFunction
from kusari.functions.connection.embed_id import embed_id
from kusari.functions.connection.linear import LinearFunction
from kusari.functions.connection.linear import linear
from kusari.functions.connection.local_convolution_2d import local_convolution_2d
from kusari.functions.connection.shift import shift

__all__ = [
    'bilinear',
    'Convolution2DFunction', 'convolution_2d',
    'ConvolutionND', 'convolution_1d', 'convolution_3d', 'convolution_nd',
    'Deconvolution2DFunction', 'deconvolution_2d',
    'DeconvolutionND', 'deconvolution_1d', 'deconvolution_3d', 'deconvolution_nd',
    'deformable_convolution_2d_sampler',
    'depthwise_convolution_2d', 'dilated_convolution_2d',
    'EmbedIDFunction', 'embed_id',
    'LinearFunction', 'linear',
    'local_convolution_2d',
    'shift',
]

from kusari.functions import _layout  # noqa: E402

_layout.chainer_layout(globals())
