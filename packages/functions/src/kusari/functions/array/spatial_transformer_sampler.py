"""Bilinear image sampling of spatial transformers (``F.spatial_transformer_sampler``).

The input is zero-padded by one pixel on each side; a grid coordinate ``u`` in
``[-1, 1]`` maps to ``(u + 1) * (W - 1) / 2 + 1`` in the padded image, is clipped to
``[0, W + 1]``, and the value is the bilinear interpolation of the 2x2 neighbourhood.
Points far outside the image therefore read zeros, and the gradient with respect to a
clipped coordinate is zero.

The computation is vectorized (fancy indexing and ``bincount``), so it runs unchanged
on NumPy and CuPy arrays.
"""
import numpy

from kusari import backend
from kusari import function_node
from kusari.utils import argument
from kusari.utils import type_check


def _compute_dtype(dtype):
    return numpy.float32 if dtype == numpy.float16 else dtype


class _Geometry:
    """Neighbourhood indices and weights of every sampling point (flattened)."""

    def __init__(self, xp, x_shape, grid, cdtype):
        B, C, H, W = x_shape
        g = grid.reshape(grid.shape[0], 2, -1).astype(cdtype, copy=False)
        u = (g[:, 0] + 1) * ((W - 1) / 2.) + 1
        v = (g[:, 1] + 1) * ((H - 1) / 2.) + 1
        uc = u.clip(0, W + 1)
        vc = v.clip(0, H + 1)
        u0 = xp.floor(uc).astype(numpy.int64).clip(0, W)
        v0 = xp.floor(vc).astype(numpy.int64).clip(0, H)
        self.wu0 = uc - u0          # weight of column u0 + 1
        self.wu1 = (u0 + 1) - uc    # weight of column u0
        self.wv0 = vc - v0
        self.wv1 = (v0 + 1) - vc
        self.mask_u = (u > 0) & (u < W + 1)
        self.mask_v = (v > 0) & (v < H + 1)
        wp = W + 2
        self.i00 = v0 * wp + u0     # (B, P) flat indices into one padded plane
        self.i01 = self.i00 + 1
        self.i10 = self.i00 + wp
        self.i11 = self.i10 + 1
        self.plane = (H + 2) * wp


def _pad(xp, x, cdtype):
    return xp.pad(x.astype(cdtype, copy=False), ((0, 0), (0, 0), (1, 1), (1, 1)),
                  mode='constant')


def _gather(xp, flat, idx):
    """``flat[b, c, idx[b, p]]`` for ``flat`` of shape (B, C, plane), idx (B, P)."""
    return xp.take_along_axis(flat, idx[:, None, :], axis=2)


def _sample(xp, x, grid):
    cdtype = _compute_dtype(x.dtype)
    B, C = x.shape[:2]
    geo = _Geometry(xp, x.shape, grid, cdtype)
    flat = _pad(xp, x, cdtype).reshape(B, C, geo.plane)
    x00 = _gather(xp, flat, geo.i00)
    x01 = _gather(xp, flat, geo.i01)
    x10 = _gather(xp, flat, geo.i10)
    x11 = _gather(xp, flat, geo.i11)
    y = ((geo.wu1 * geo.wv1)[:, None] * x00 + (geo.wu0 * geo.wv1)[:, None] * x01
         + (geo.wu1 * geo.wv0)[:, None] * x10 + (geo.wu0 * geo.wv0)[:, None] * x11)
    return y.reshape((B, C) + grid.shape[2:]).astype(x.dtype, copy=False)


def _sample_grad(xp, x, grid, gy, need_x, need_grid):
    cdtype = _compute_dtype(x.dtype)
    B, C, H, W = x.shape
    geo = _Geometry(xp, x.shape, grid, cdtype)
    g = gy.reshape(B, C, -1).astype(cdtype, copy=False)
    gx = ggrid = None
    if need_x:
        base = (xp.arange(B * C, dtype=numpy.int64) * geo.plane).reshape(B, C, 1)
        idx = xp.concatenate([(base + i[:, None]).ravel() for i in
                              (geo.i00, geo.i01, geo.i10, geo.i11)])
        wts = xp.concatenate([(g * w[:, None]).ravel() for w in
                              (geo.wu1 * geo.wv1, geo.wu0 * geo.wv1,
                               geo.wu1 * geo.wv0, geo.wu0 * geo.wv0)])
        acc = xp.bincount(idx, weights=wts, minlength=B * C * geo.plane)
        gx = acc.reshape(B, C, H + 2, W + 2)[:, :, 1:-1, 1:-1].astype(x.dtype)
    if need_grid:
        flat = _pad(xp, x, cdtype).reshape(B, C, geo.plane)
        x00 = _gather(xp, flat, geo.i00)
        x01 = _gather(xp, flat, geo.i01)
        x10 = _gather(xp, flat, geo.i10)
        x11 = _gather(xp, flat, geo.i11)
        du = geo.wv1[:, None] * (x01 - x00) + geo.wv0[:, None] * (x11 - x10)
        dv = geo.wu1[:, None] * (x10 - x00) + geo.wu0[:, None] * (x11 - x01)
        gu = (g * du).sum(axis=1) * ((W - 1) / 2.) * geo.mask_u
        gv = (g * dv).sum(axis=1) * ((H - 1) / 2.) * geo.mask_v
        ggrid = xp.stack([gu, gv], axis=1).reshape(grid.shape).astype(grid.dtype)
    return gx, ggrid


class SpatialTransformerSampler(function_node.FunctionNode):
    """Bilinear sampler node (see :func:`spatial_transformer_sampler`)."""

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x', 'grid'))
        x_type, grid_type = in_types
        type_check.expect(
            x_type.dtype.kind == 'f',
            grid_type.dtype == x_type.dtype,
            x_type.ndim == 4,
            grid_type.ndim == 4,
            grid_type.shape[1] == 2,
            x_type.shape[0] == grid_type.shape[0],
        )

    def forward(self, inputs):
        x, grid = inputs
        xp = backend.get_array_module(x)
        self.retain_inputs((0, 1))
        return _sample(xp, x, grid),

    def backward_array(self, indexes, grad_outputs):
        x, grid = self.get_retained_input_arrays()
        gy, = grad_outputs
        xp = backend.get_array_module(x)
        gx, ggrid = _sample_grad(xp, x, grid, gy, 0 in indexes, 1 in indexes)
        return gx, ggrid

    def backward(self, indexes, grad_outputs):
        x, grid = self.get_retained_inputs()
        gy, = grad_outputs
        return SpatialTransformerSamplerGrad(indexes).apply((x, grid, gy))


class SpatialTransformerSamplerGrad(function_node.FunctionNode):
    """Gradients of :class:`SpatialTransformerSampler` (not differentiable again)."""

    def __init__(self, indexes):
        self.indexes = tuple(indexes)

    def forward(self, inputs):
        x, grid, gy = inputs
        xp = backend.get_array_module(x)
        gx, ggrid = _sample_grad(xp, x, grid, gy, 0 in self.indexes, 1 in self.indexes)
        if gx is None:
            gx = xp.zeros_like(x)
        if ggrid is None:
            ggrid = xp.zeros_like(grid)
        return gx, ggrid

    def backward(self, indexes, grad_outputs):
        raise NotImplementedError(
            'spatial_transformer_sampler: double backpropagation is not supported '
            '(as in Chainer)')


def spatial_transformer_sampler(x, grid, **kwargs):
    """2-D spatial transformer sampler: bilinear sampling of ``x`` at ``grid``.

    ``grid[b, :, i, j] = (u, v)`` gives the horizontal and vertical source coordinate
    of output pixel ``(i, j)``, normalized so that ``(-1, -1)`` is the centre of the
    upper-left input pixel and ``(1, 1)`` that of the lower-right one.  Points outside
    are sampled from a zero-padded image.  Only bilinear interpolation is supported.

    Args:
        x (Variable or array): input of shape ``(n, c, h, w)``.
        grid (Variable or array): coordinates of shape ``(n, 2, h_O, w_O)``, of the
            dtype of ``x`` (e.g. from :func:`spatial_transformer_grid`).

    Returns:
        Variable: the sampled map, of shape ``(n, c, h_O, w_O)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(4, dtype=numpy.float32).reshape(1, 1, 2, 2)
    >>> grid = numpy.array([[[[0.]], [[-1.]]]], numpy.float32)  # u=0, v=-1
    >>> F.spatial_transformer_sampler(x, grid).array
    array([[[[0.5]]]], dtype=float32)
    """
    if kwargs:
        argument.check_unexpected_kwargs(
            kwargs, use_cudnn='The argument "use_cudnn" is not supported anymore. '
            "Use kusari.using_config('use_cudnn', value) context where value can be "
            '`always`, `never`, or `auto`.')
        argument.assert_kwargs_empty(kwargs)
    return SpatialTransformerSampler().apply((x, grid))[0]
