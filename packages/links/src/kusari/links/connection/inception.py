"""Inception module of GoogLeNet."""
import kusari.functions as F
from kusari import link
from kusari.links.connection import convolution_2d


class Inception(link.Chain):
    """Inception module of GoogLeNet.

    Four paths are concatenated along the channels and passed through ReLU:
    a 1x1 convolution (``conv1``), a 1x1 projection followed by a 3x3 convolution
    (``proj3``, ``conv3``), a 1x1 projection followed by a 5x5 convolution
    (``proj5``, ``conv5``) and a 3x3 max pooling followed by a 1x1 projection
    (``projp``).  ReLU is applied after the projections as well.

    Args:
        in_channels (int or None): Number of input channels (``None``: lazy).
        out1 (int): Output channels of the 1x1 path.
        proj3 (int): Projection channels of the 3x3 path.
        out3 (int): Output channels of the 3x3 path.
        proj5 (int): Projection channels of the 5x5 path.
        out5 (int): Output channels of the 5x5 path.
        proj_pool (int): Projection channels of the pooling path.
        conv_init: Initializer of the convolution weights.
        bias_init: Initializer of the convolution biases.

    The output has ``out1 + out3 + out5 + proj_pool`` channels and the input's
    spatial size.

    >>> import kusari.links as L
    >>> l = L.Inception(3, 2, 2, 2, 2, 2, 2)
    >>> l.conv5.W.shape
    (2, 2, 5, 5)
    """

    def __init__(self, in_channels, out1, proj3, out3, proj5, out5, proj_pool,
                 conv_init=None, bias_init=None):
        super().__init__()
        with self.init_scope():
            self.conv1 = convolution_2d.Convolution2D(
                in_channels, out1, 1, initialW=conv_init, initial_bias=bias_init)
            self.proj3 = convolution_2d.Convolution2D(
                in_channels, proj3, 1, initialW=conv_init, initial_bias=bias_init)
            self.conv3 = convolution_2d.Convolution2D(
                proj3, out3, 3, pad=1, initialW=conv_init, initial_bias=bias_init)
            self.proj5 = convolution_2d.Convolution2D(
                in_channels, proj5, 1, initialW=conv_init, initial_bias=bias_init)
            self.conv5 = convolution_2d.Convolution2D(
                proj5, out5, 5, pad=2, initialW=conv_init, initial_bias=bias_init)
            self.projp = convolution_2d.Convolution2D(
                in_channels, proj_pool, 1, initialW=conv_init, initial_bias=bias_init)

    def forward(self, x):
        """Apply the module.

        Args:
            x (~kusari.Variable or array): Input, ``(N, C, H, W)``.

        Returns:
            ~kusari.Variable: Output, ``(N, out1 + out3 + out5 + proj_pool, H, W)``.

        """
        out1 = self.conv1(x)
        out3 = self.conv3(F.relu(self.proj3(x)))
        out5 = self.conv5(F.relu(self.proj5(x)))
        pool = self.projp(F.max_pooling_2d(x, 3, stride=1, pad=1))
        return F.relu(F.concat((out1, out3, out5, pool), axis=1))
