"""Sampling grids of affine spatial transformers (``F.spatial_transformer_grid``)."""
import numpy

from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.utils import argument
from kusari.utils import type_check


def _base_grid(xp, dtype, out_h, out_w):
    """The ``(3, out_h * out_w)`` homogeneous target coordinates ``[x_t; y_t; 1]``."""
    ys, xs = numpy.meshgrid(numpy.linspace(-1., 1., out_h),
                            numpy.linspace(-1., 1., out_w), indexing='ij')
    g = numpy.stack([xs.ravel(), ys.ravel(), numpy.ones(out_h * out_w)]).astype(dtype)
    return xp.asarray(g)


class SpatialTransformerGrid(function_node.FunctionNode):
    """Affine sampling grid node (see :func:`spatial_transformer_grid`)."""

    def __init__(self, output_shape):
        try:
            h, w = (int(v) for v in output_shape)
        except (TypeError, ValueError):
            raise ValueError('spatial_transformer_grid: output_shape must be a pair of '
                             'ints, got %r' % (output_shape,)) from None
        if h < 1 or w < 1:
            raise ValueError('spatial_transformer_grid: output_shape must be positive, '
                             'got %r' % (output_shape,))
        self.output_shape = (h, w)

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('theta',))
        theta_type, = in_types
        type_check.expect(
            theta_type.dtype.kind == 'f',
            theta_type.ndim == 3,
            theta_type.shape[1] == 2,
            theta_type.shape[2] == 3,
        )

    def forward(self, inputs):
        theta, = inputs
        xp = backend.get_array_module(theta)
        h, w = self.output_shape
        base = _base_grid(xp, theta.dtype, h, w)
        grid = xp.matmul(theta, base)  # (n, 2, h * w)
        return grid.reshape(theta.shape[0], 2, h, w),

    def backward_array(self, indexes, grad_outputs):
        ggrid, = grad_outputs
        xp = backend.get_array_module(ggrid)
        h, w = self.output_shape
        base = _base_grid(xp, ggrid.dtype, h, w)
        g = ggrid.reshape(ggrid.shape[0], 2, h * w)
        return xp.matmul(g, base.T),

    def backward(self, indexes, grad_outputs):
        ggrid, = grad_outputs
        xp = backend.get_array_module(ggrid)
        h, w = self.output_shape
        base = _base_grid(xp, ggrid.dtype, h, w)
        g = _core.reshape(ggrid, (ggrid.shape[0], 2, h * w))
        return _core.MatMul().apply((g, _core.as_variable(xp.ascontiguousarray(base.T))))


def spatial_transformer_grid(theta, output_shape, **kwargs):
    """2-D affine sampling grid of a spatial transformer.

    For every output pixel ``(i, j)`` the target coordinates are
    ``x_t = linspace(-1, 1, W)[j]`` and ``y_t = linspace(-1, 1, H)[i]``; the source
    coordinates are ``(x_s, y_s) = theta @ (x_t, y_t, 1)``.  Feed the result to
    :func:`spatial_transformer_sampler`.

    Args:
        theta (Variable or array): affine parameters of shape ``(n, 2, 3)``.
        output_shape (tuple of two ints): ``(H, W)`` of the output.

    Returns:
        Variable: the grid, of shape ``(n, 2, H, W)``; channel 0 holds ``x_s`` (the
        horizontal coordinate) and channel 1 ``y_s``.

    >>> import numpy, kusari.functions as F
    >>> theta = numpy.array([[[1., 0., 0.], [0., 1., 0.]]], numpy.float32)
    >>> F.spatial_transformer_grid(theta, (2, 3)).array
    array([[[[-1.,  0.,  1.],
             [-1.,  0.,  1.]],
    <BLANKLINE>
            [[-1., -1., -1.],
             [ 1.,  1.,  1.]]]], dtype=float32)
    """
    if kwargs:
        argument.check_unexpected_kwargs(
            kwargs, use_cudnn='The argument "use_cudnn" is not supported anymore. '
            "Use kusari.using_config('use_cudnn', value) context where value can be "
            '`always`, `never`, or `auto`.')
        argument.assert_kwargs_empty(kwargs)
    return SpatialTransformerGrid(output_shape).apply((theta,))[0]
