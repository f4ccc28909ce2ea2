"""kusari.links: learnable connections (fully-connected, convolution, embedding, ...)."""
from kusari.links.connection.bias import Bias  # noqa: F401
from kusari.links.connection.bilinear import Bilinear  # noqa: F401
from kusari.links.connection.convolution_2d import Convolution2D  # noqa: F401
from kusari.links.connection.convolution_nd import Convolution1D  # noqa: F401
from kusari.links.connection.convolution_nd import Convolution3D  # noqa: F401
from kusari.links.connection.convolution_nd import ConvolutionND  # noqa: F401
from kusari.links.connection.deconvolution_2d import Deconvolution2D  # noqa: F401
from kusari.links.connection.deconvolution_nd import Deconvolution1D  # noqa: F401
from kusari.links.connection.deconvolution_nd import Deconvolution3D  # noqa: F401
from kusari.links.connection.deconvolution_nd import DeconvolutionND  # noqa: F401
from kusari.links.connection.deformable_convolution_2d import DeformableConvolution2D  # noqa: F401,E501
from kusari.links.connection.depthwise_convolution_2d import DepthwiseConvolution2D  # noqa: F401,E501
from kusari.links.connection.dilated_convolution_2d import DilatedConvolution2D  # noqa: F401
from kusari.links.connection.embed_id import EmbedID  # noqa: F401
from kusari.links.connection.highway import Highway  # noqa: F401
from kusari.links.connection.inception import Inception  # noqa: F401
from kusari.links.connection.inceptionbn import InceptionBN  # noqa: F401
from kusari.links.connection.linear import Linear  # noqa: F401
from kusari.links.connection.local_convolution_2d import LocalConvolution2D  # noqa: F401
from kusari.links.connection.mlp_convolution_2d import MLPConvolution2D  # noqa: F401
from kusari.links.connection.scale import Scale  # noqa: F401

__all__ = [
    'Bias', 'Bilinear', 'Convolution1D', 'Convolution2D', 'Convolution3D',
    'ConvolutionND', 'Deconvolution1D', 'Deconvolution2D', 'Deconvolution3D',
    'DeconvolutionND', 'DeformableConvolution2D', 'DepthwiseConvolution2D',
    'DilatedConvolution2D', 'EmbedID',
    'Highway', 'Inception', 'InceptionBN', 'Linear', 'LocalConvolution2D',
    'MLPConvolution2D', 'Scale',
]
