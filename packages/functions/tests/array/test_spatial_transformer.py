import math

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType


def ref_grid(theta, h, w):
    n = theta.shape[0]
    out = numpy.zeros((n, 2, h, w))
    for b in range(n):
        for i in range(h):
            for j in range(w):
                xt = -1 + 2 * j / (w - 1) if w > 1 else -1.
                yt = -1 + 2 * i / (h - 1) if h > 1 else -1.
                out[b, :, i, j] = theta[b].astype(numpy.float64) @ [xt, yt, 1.]
    return out


def ref_sample(x, grid):
    n, c, h, w = x.shape
    oh, ow = grid.shape[2:]
    y = numpy.zeros((n, c, oh, ow))
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                px = (float(grid[b, 0, i, j]) + 1) * (w - 1) / 2
                py = (float(grid[b, 1, i, j]) + 1) * (h - 1) / 2
                x0, y0 = math.floor(px), math.floor(py)
                for yy, wy in ((y0, 1 - (py - y0)), (y0 + 1, py - y0)):
                    for xx, wx in ((x0, 1 - (px - x0)), (x0 + 1, px - x0)):
                        if 0 <= yy < h and 0 <= xx < w:
                            y[b, :, i, j] += wy * wx * x[b, :, yy, xx]
    return y


def _grid_away_from_kinks(rng, n, h, w, oh, ow, dtype):
    # pixel coordinates = integer + fraction in [0.15, 0.85], some outside the image
    px = rng.randint(-2, w + 1, (n, oh, ow)) + rng.uniform(0.15, 0.85, (n, oh, ow))
    py = rng.randint(-2, h + 1, (n, oh, ow)) + rng.uniform(0.15, 0.85, (n, oh, ow))
    return numpy.stack([px * 2 / (w - 1) - 1, py * 2 / (h - 1) - 1], axis=1).astype(dtype)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_grid(dtype):
    rng = numpy.random.RandomState(0)
    theta = rng.uniform(-1, 1, (2, 2, 3)).astype(dtype)
    g = F.spatial_transformer_grid(theta, (3, 4))
    assert g.dtype == dtype and g.shape == (2, 2, 3, 4)
    tol = 5e-3 if dtype == numpy.float16 else 1e-6
    numpy.testing.assert_allclose(g.array.astype(numpy.float64), ref_grid(theta, 3, 4),
                                  atol=tol, rtol=tol)
    t64 = theta.astype(numpy.float64)
    gy = rng.uniform(-1, 1, (2, 2, 3, 4))
    f = lambda t: F.spatial_transformer_grid(t, (3, 4))  # noqa: E731
    gradient_check.check_backward(f, t64, gy)
    gradient_check.check_double_backward(f, t64, gy, rng.uniform(-1, 1, t64.shape))
    tn = numpy.asfortranarray(theta)
    numpy.testing.assert_array_equal(F.spatial_transformer_grid(tn, (3, 4)).array,
                                     g.array)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_sampler_forward(dtype):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (2, 3, 4, 5)).astype(dtype)
    grid = rng.uniform(-1.5, 1.5, (2, 2, 3, 2)).astype(dtype)
    grid[0, :, 0, 0] = (-1, -1)     # exactly on a corner
    grid[1, :, 2, 1] = (5, -7)      # far outside: zero
    y = F.spatial_transformer_sampler(x, grid)
    assert y.dtype == dtype and y.shape == (2, 3, 3, 2)
    tol = 5e-3 if dtype == numpy.float16 else 1e-6
    ref = ref_sample(x.astype(numpy.float64), grid)
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), ref, atol=tol, rtol=tol)
    assert (y.array[1, :, 2, 1] == 0).all()
    # non-contiguous inputs
    y2 = F.spatial_transformer_sampler(numpy.asfortranarray(x), grid[:, :, ::-1][:, :, ::-1])
    numpy.testing.assert_array_equal(y2.array, y.array)


def test_sampler_backward():
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, (2, 2, 4, 5))
    grid = _grid_away_from_kinks(rng, 2, 4, 5, 3, 3, numpy.float64)
    gy = rng.uniform(-1, 1, (2, 2, 3, 3))
    f = F.spatial_transformer_sampler
    gradient_check.check_backward(f, (x, grid), gy, eps=1e-4, atol=1e-6)
    res = []
    for double in (False, True):
        xv, gv = kusari.Variable(x.copy()), kusari.Variable(grid.copy())
        gs = kusari.grad([f(xv, gv)], [xv, gv], [gy], enable_double_backprop=double)
        res.append([g.array for g in gs])
    for a, b in zip(*res):
        numpy.testing.assert_allclose(a, b)
    # float16 against float64 numerics
    gradient_check.check_backward(
        f, (x.astype(numpy.float16), grid.astype(numpy.float16)),
        gy.astype(numpy.float16), dtype=numpy.float64, eps=1e-3, atol=5e-2, rtol=5e-2)


def test_sampler_gradient_of_clipped_points_is_zero():
    x = numpy.ones((1, 1, 3, 3))
    grid = numpy.array([[[[4.]], [[0.]]]])
    gv = kusari.Variable(grid)
    y = F.spatial_transformer_sampler(x, gv)
    y.grad = numpy.ones_like(y.array)
    y.backward()
    assert (gv.grad == 0).all()


def test_invalid():
    x = numpy.zeros((2, 3, 4, 5), numpy.float32)
    grid = numpy.zeros((2, 2, 3, 3), numpy.float32)
    with pytest.raises(InvalidType, match='SpatialTransformerSampler'):
        F.spatial_transformer_sampler(x, grid.astype(numpy.float64))
    with pytest.raises(InvalidType, match='SpatialTransformerSampler'):
        F.spatial_transformer_sampler(x, grid[:1])
    with pytest.raises(InvalidType, match='SpatialTransformerSampler'):
        F.spatial_transformer_sampler(x, grid[:, :1])
    with pytest.raises(InvalidType, match='SpatialTransformerGrid'):
        F.spatial_transformer_grid(numpy.zeros((2, 3, 3), numpy.float32), (2, 2))
    with pytest.raises(ValueError, match='spatial_transformer_grid'):
        F.spatial_transformer_grid(numpy.zeros((2, 2, 3), numpy.float32), (0, 2))
    with pytest.raises(ValueError, match='use_cudnn'):
        F.spatial_transformer_sampler(x, grid, use_cudnn=False)


@pytest.mark.gpu
def test_gpu():
    import cupy
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, (2, 2, 4, 5)).astype(numpy.float32)
    grid = _grid_away_from_kinks(rng, 2, 4, 5, 3, 3, numpy.float32)
    gy = rng.uniform(-1, 1, (2, 2, 3, 3)).astype(numpy.float32)
    out = []
    for conv in (numpy.asarray, cupy.asarray):
        xv, gv = kusari.Variable(conv(x)), kusari.Variable(conv(grid))
        y = F.spatial_transformer_sampler(xv, gv)
        y.grad = conv(gy)
        y.backward()
        out.append([kusari.backends.cuda.to_cpu(a) for a in (y.array, xv.grad, gv.grad)])
    for a, b in zip(*out):
        numpy.testing.assert_allclose(a, b, atol=1e-5)
