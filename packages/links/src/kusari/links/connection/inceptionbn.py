"""Inception module with batch normalization."""
import kusari.functions as F
from kusari import link
from kusari.links.connection import convolution_2d
from kusari.links.normalization import batch_normalization
from kusari.links import _util


class InceptionBN(link.Chain):
    """Inception module of the new GoogLeNet with batch normalization.

    Like :class:`Inception`, but every convolution (without bias) is followed by a
    :class:`BatchNormalization` and ReLU, the 5x5 path is replaced by two 3x3
    convolutions, and the pooling is ``'max'`` or ``'avg'``.

    Args:
        in_channels (int or None): Number of input channels (``None``: lazy).
        out1 (int): Output channels of the 1x1 path (``0`` omits the path).
        proj3 (int): Projection channels of the 3x3 path.
        out3 (int): Output channels of the 3x3 path.
        proj33 (int): Projection channels of the double-3x3 path.
        out33 (int): Output channels of the double-3x3 path.
        pooltype (str): ``'max'`` or ``'avg'``.
        proj_pool (int or None): Projection channels of the pooling path; ``None``
            means no projection (the pooled input itself is concatenated).
        stride (int): Stride of the last convolution of each path and of the
            pooling.
        conv_init: Initializer of the convolution weights.
        dtype: dtype of the batch normalization parameters (``None``: the default).

    >>> import kusari.links as L
    >>> l = L.InceptionBN(3, 2, 2, 2, 2, 2, 'max', proj_pool=2)
    >>> sorted(name for name, _ in l.namedlinks(skipself=True))[:3]
    ['/conv1', '/conv1n', '/conv3']
    """

    def __init__(self, in_channels, out1, proj3, out3, proj33, out33, pooltype,
                 proj_pool=None, stride=1, conv_init=None, dtype=None):
        super().__init__()
        self.out1 = out1
        self.proj_pool = proj_pool
        self.stride = stride
        self.pooltype = pooltype
        if pooltype not in ('max', 'avg'):
            raise NotImplementedError(
                "InceptionBN: pooltype must be 'max' or 'avg', but got {!r}".format(
                    pooltype))
        BN = batch_normalization.BatchNormalization
        C2D = convolution_2d.Convolution2D
        with self.init_scope():
            self.proj3 = C2D(in_channels, proj3, 1, nobias=True, initialW=conv_init)
            self.conv3 = C2D(proj3, out3, 3, pad=1, stride=stride, nobias=True,
                             initialW=conv_init)
            self.proj33 = C2D(in_channels, proj33, 1, nobias=True, initialW=conv_init)
            self.conv33a = C2D(proj33, out33, 3, pad=1, nobias=True,
                               initialW=conv_init)
            self.conv33b = C2D(out33, out33, 3, pad=1, stride=stride, nobias=True,
                               initialW=conv_init)
            self.proj3n = BN(proj3, dtype=dtype)
            self.conv3n = BN(out3, dtype=dtype)
            self.proj33n = BN(proj33, dtype=dtype)
            self.conv33an = BN(out33, dtype=dtype)
            self.conv33bn = BN(out33, dtype=dtype)
            if out1 > 0:
                if stride != 1:
                    raise _util.InvalidArgument('InceptionBN: out1 > 0 requires stride == 1')
                if proj_pool is None:
                    raise _util.InvalidArgument('InceptionBN: out1 > 0 requires proj_pool')
                self.conv1 = C2D(in_channels, out1, 1, stride=stride, nobias=True,
                                 initialW=conv_init)
                self.conv1n = BN(out1, dtype=dtype)
            if proj_pool is not None:
                self.poolp = C2D(in_channels, proj_pool, 1, nobias=True,
                                 initialW=conv_init)
                self.poolpn = BN(proj_pool, dtype=dtype)

    def forward(self, x):
        """Apply the module.

        Args:
            x (~kusari.Variable or array): Input, ``(N, C, H, W)``.

        Returns:
            ~kusari.Variable: The concatenation of the paths along the channels.

        """
        outs = []
        if self.out1 > 0:
            outs.append(F.relu(self.conv1n(self.conv1(x))))
        h3 = F.relu(self.proj3n(self.proj3(x)))
        outs.append(F.relu(self.conv3n(self.conv3(h3))))
        h33 = F.relu(self.proj33n(self.proj33(x)))
        h33 = F.relu(self.conv33an(self.conv33a(h33)))
        outs.append(F.relu(self.conv33bn(self.conv33b(h33))))
        if self.pooltype == 'max':
            p = F.max_pooling_2d(x, 3, stride=self.stride, pad=1, cover_all=False)
        else:
            p = F.average_pooling_2d(x, 3, stride=self.stride, pad=1)
        if self.proj_pool is not None:
            p = F.relu(self.poolpn(self.poolp(p)))
        outs.append(p)
        return F.concat(outs, axis=1)
