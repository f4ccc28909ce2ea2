"""MLP convolution layer of Network in Network."""
from kusari import link
from kusari.links import _util
from kusari.links.connection import convolution_2d
from kusari.utils import argument


class MLPConvolution2D(link.ChainList):
    """Two-dimensional MLP convolution layer ("mlpconv") of Network in Network.

    A convolution followed by 1x1 convolutions, with ``activation`` between them
    (not after the last one).  The children are :class:`Convolution2D` links.

    Args:
        in_channels (int or None): Number of input channels (``None``: lazy).  The
            short form ``MLPConvolution2D(out_channels, ksize)`` is accepted.
        out_channels (tuple of ints): Output channels of each convolution.
        ksize (int or pair of ints): Filter size of the first convolution.
        stride (int or pair of ints): Stride of the first convolution.
        pad (int or pair of ints): Padding of the first convolution.
        activation: Activation between the convolutions (default ``F.relu``).
        conv_init: Initializer of the weights (keyword only).
        bias_init: Initializer of the biases (keyword only).

    >>> import kusari.links as L
    >>> l = L.MLPConvolution2D(3, (4, 5), 3)
    >>> [c.W.shape for c in l]
    [(4, 3, 3, 3), (5, 4, 1, 1)]
    """

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 activation=_util.function('relu'), *args, **kwargs):
        msg = ('wscale is not supported anymore. Use conv_init and bias_init '
               'argument to change the scale of initial parameters.')
        if args:
            raise TypeError(msg)
        argument.check_unexpected_kwargs(kwargs, wscale=msg)
        conv_init, bias_init = argument.parse_kwargs(
            kwargs, ('conv_init', None), ('bias_init', None))
        if ksize is None:
            out_channels, ksize, in_channels = in_channels, out_channels, None
        out_channels = tuple(out_channels)
        if len(out_channels) == 0:
            raise ValueError('MLPConvolution2D: out_channels must not be empty')
        convs = [convolution_2d.Convolution2D(
            in_channels, out_channels[0], ksize, stride, pad,
            initialW=conv_init, initial_bias=bias_init)]
        for n_in, n_out in zip(out_channels, out_channels[1:]):
            convs.append(convolution_2d.Convolution2D(
                n_in, n_out, 1, initialW=conv_init, initial_bias=bias_init))
        super().__init__(*convs)
        self.activation = activation

    def forward(self, x):
        """Apply the mlpconv layer.

        Args:
            x (~kusari.Variable or array): Input image, ``(N, C, H, W)``.

        Returns:
            ~kusari.Variable: Output of the last convolution.

        """
        f = self.activation
        for layer in self[:-1]:
            x = f(layer(x))
        return self[-1](x)
