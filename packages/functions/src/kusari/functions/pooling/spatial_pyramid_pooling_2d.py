"""Spatial pyramid pooling (``F.spatial_pyramid_pooling_2d``)."""
import math

from kusari import _core
from kusari import backend
from kusari.functions.connection._util import invalid
from kusari.functions.pooling._pool_nodes import MaxPoolingND


class _ConcatChannels(_core.FunctionNode):
    """Concatenation along axis 1 (the gradient slices it back)."""

    @property
    def label(self):
        return 'Concat'

    def forward(self, inputs):
        xp = backend.get_array_module(*inputs)
        self._sizes = [x.shape[1] for x in inputs]
        return xp.concatenate(inputs, axis=1),

    def _bounds(self):
        s = 0
        for n in self._sizes:
            yield s, s + n
            s += n

    def backward_array(self, indexes, grad_outputs):
        g = grad_outputs[0]
        b = list(self._bounds())
        return tuple(g[:, b[i][0]:b[i][1]] for i in indexes)

    def backward(self, indexes, grad_outputs):
        g = grad_outputs[0]
        b = list(self._bounds())
        return tuple(_core.get_item(g, (slice(None), slice(b[i][0], b[i][1])))
                     for i in indexes)


def spatial_pyramid_pooling_2d(x, pyramid_height, pooling=None):
    """Spatial pyramid pooling: a fixed-length vector whatever the input size.

    At level ``i`` (``0 <= i < pyramid_height``) the map is max-pooled into
    ``2^i x 2^i`` bins with ``ksize = ceil(b / 2^i)``, ``stride = ksize``,
    ``pad = (2^i * ksize - b) // 2`` per axis (``b`` the height or width) and
    ``cover_all=True``; all levels are flattened and concatenated.

    Args:
        x (Variable or array): input of shape ``(n, c, h, w)``.
        pyramid_height (int): number of pyramid levels (positive).
        pooling (str): ``'max'`` (the only supported operation; anything else,
            including None, raises ValueError as in Chainer).

    Returns:
        Variable: output of shape ``(n, c * sum_{i < H} 4^i, 1, 1)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    >>> F.spatial_pyramid_pooling_2d(x, 2, 'max').array.ravel()
    array([15.,  5.,  7., 13., 15.], dtype=float32)
    """
    if pooling != 'max':
        raise ValueError("spatial_pyramid_pooling_2d: unsupported pooling operation "
                         "%r (only 'max' is supported)" % (pooling,))
    if int(pyramid_height) < 1:
        raise ValueError('spatial_pyramid_pooling_2d: pyramid_height must be positive, '
                         'got %r' % (pyramid_height,))
    shape = getattr(x, 'shape', None)
    if shape is None or len(shape) != 4:
        invalid('spatial_pyramid_pooling_2d', 'x.ndim == 4',
                'x.ndim == %s' % (None if shape is None else len(shape)))
    _, _, h, w = shape
    ys = []
    for level in range(int(pyramid_height)):
        bins = 2 ** level
        kh = int(math.ceil(h / bins))
        kw = int(math.ceil(w / bins))
        ph = (kh * bins - h) // 2
        pw = (kw * bins - w) // 2
        y = MaxPoolingND(2, (kh, kw), None, (ph, pw), True).apply((x,))[0]
        n, c, oh, ow = y.shape
        ys.append(_core.reshape(y, (n, c * oh * ow, 1, 1)))
    if len(ys) == 1:
        return ys[0]
    return _ConcatChannels().apply(tuple(ys))[0]
