import math

import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType


def _bilinear(plane, py, px):
    h, w = plane.shape
    y0, x0 = math.floor(py), math.floor(px)
    v = 0.
    for yy, wy in ((y0, 1 - (py - y0)), (y0 + 1, py - y0)):
        for xx, wx in ((x0, 1 - (px - x0)), (x0 + 1, px - x0)):
            if 0 <= yy < h and 0 <= xx < w:
                v += wy * wx * plane[yy, xx]
    return v


def ref_deformable(x, offset, W, b, stride, pad):
    sy, sx = stride
    ph, pw = pad
    n, c = x.shape[:2]
    oc, _, kh, kw = W.shape
    oh, ow = offset.shape[2:]
    xp = numpy.pad(x.astype(numpy.float64), ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    y = numpy.zeros((n, oc, oh, ow))
    for bi in range(n):
        for i in range(oh):
            for j in range(ow):
                for ky in range(kh):
                    for kx in range(kw):
                        k = ky * kw + kx
                        py = i * sy + ky + float(offset[bi, kh * kw + k, i, j])
                        px = j * sx + kx + float(offset[bi, k, i, j])
                        for ci in range(c):
                            v = _bilinear(xp[bi, ci], py, px)
                            y[bi, :, i, j] += W[:, ci, ky, kx] * v
    if b is not None:
        y += b[None, :, None, None]
    return y


def _offsets(rng, shape, dtype):
    # integer shifts plus fractions away from the bilinear kinks
    return (rng.randint(-1, 2, shape) + rng.uniform(0.15, 0.85, shape)).astype(dtype)


DEFORM_CASES = [
    # x shape, W shape, stride, pad
    ((2, 2, 4, 5), (3, 2, 2, 2), (1, 1), (0, 0)),
    ((1, 3, 5, 4), (2, 3, 3, 2), (2, 1), (1, 1)),
]


def _out(size, k, s, p):
    return (size + 2 * p - k) // s + 1


@pytest.mark.parametrize('case', DEFORM_CASES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('nobias', [False, True])
def test_deformable_forward(case, dtype, nobias):
    xs, ws, st, pd = case
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, xs).astype(dtype)
    W = rng.uniform(-1, 1, ws).astype(dtype)
    b = None if nobias else rng.uniform(-1, 1, ws[0]).astype(dtype)
    oh, ow = _out(xs[2], ws[2], st[0], pd[0]), _out(xs[3], ws[3], st[1], pd[1])
    offset = _offsets(rng, (xs[0], 2 * ws[2] * ws[3], oh, ow), dtype)
    y = F.deformable_convolution_2d_sampler(x, offset, W, b, st, pd)
    assert y.dtype == dtype and y.shape == (xs[0], ws[0], oh, ow)
    ref = ref_deformable(x, offset, W.astype(numpy.float64), b, st, pd)
    tol = 5e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), ref, atol=tol, rtol=tol)
    y2 = F.deformable_convolution_2d_sampler(numpy.asfortranarray(x), offset,
                                             numpy.asfortranarray(W), b, st, pd)
    numpy.testing.assert_allclose(y2.array, y.array, atol=tol)


def test_deformable_zero_offset_is_convolution():
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (2, 3, 5, 6))
    W = rng.uniform(-1, 1, (4, 3, 3, 2))
    b = rng.uniform(-1, 1, 4)
    y = F.deformable_convolution_2d_sampler(x, numpy.zeros((2, 12, 3, 5)), W, b,
                                            (2, 1), (1, 0))
    numpy.testing.assert_allclose(y.array,
                                  F.convolution_2d(x, W, b, (2, 1), (1, 0)).array)


@pytest.mark.parametrize('case', DEFORM_CASES)
def test_deformable_backward(case):
    xs, ws, st, pd = case
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, xs)
    W = rng.uniform(-1, 1, ws)
    b = rng.uniform(-1, 1, ws[0])
    oh, ow = _out(xs[2], ws[2], st[0], pd[0]), _out(xs[3], ws[3], st[1], pd[1])
    offset = _offsets(rng, (xs[0], 2 * ws[2] * ws[3], oh, ow), numpy.float64)
    gy = rng.uniform(-1, 1, (xs[0], ws[0], oh, ow))

    def f(x, offset, W, b):
        return F.deformable_convolution_2d_sampler(x, offset, W, b, st, pd)
    gradient_check.check_backward(f, (x, offset, W, b), gy, eps=1e-4, atol=1e-5)
    args16 = tuple(a.astype(numpy.float16) for a in (x, offset, W, b))
    gradient_check.check_backward(f, args16, gy.astype(numpy.float16),
                                  dtype=numpy.float64, eps=1e-3, atol=1e-1, rtol=1e-1)


def test_deformable_invalid():
    x = numpy.zeros((2, 3, 4, 4), numpy.float32)
    W = numpy.zeros((2, 3, 2, 2), numpy.float32)
    off = numpy.zeros((2, 8, 3, 3), numpy.float32)
    with pytest.raises(ValueError, match='deformable_convolution_2d_sampler'):
        F.deformable_convolution_2d_sampler(x, off[:, :6], W)
    with pytest.raises(InvalidType, match='deformable_convolution_2d_sampler'):
        F.deformable_convolution_2d_sampler(x[:, :2], off, W)
    with pytest.raises(InvalidType, match='deformable_convolution_2d_sampler'):
        F.deformable_convolution_2d_sampler(x, off.astype(numpy.float64), W)
    with pytest.raises(InvalidType, match='deformable_convolution_2d_sampler'):
        F.deformable_convolution_2d_sampler(x, off, W, numpy.zeros(3, numpy.float32))
    with pytest.raises(InvalidType, match='deformable_convolution_2d_sampler'):
        F.deformable_convolution_2d_sampler(x[0], off, W)


def ref_local(x, W, b, stride):
    sy, sx = stride
    n = x.shape[0]
    oc, oh, ow, c, kh, kw = W.shape
    y = numpy.zeros((n, oc, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, :, i * sy:i * sy + kh, j * sx:j * sx + kw].astype(numpy.float64)
            y[:, :, i, j] = numpy.einsum('nckl,ockl->no', patch,
                                         W[:, i, j].astype(numpy.float64))
    if b is not None:
        y += b[None]
    return y


LOCAL_CASES = [((2, 3, 4, 5), 2, (2, 2), (1, 1)), ((1, 2, 5, 6), 3, (3, 2), (2, 3))]


def _local_shapes(case):
    xs, oc, (kh, kw), (sy, sx) = case
    oh, ow = (xs[2] - kh) // sy + 1, (xs[3] - kw) // sx + 1
    return xs, (oc, oh, ow, xs[1], kh, kw), (oc, oh, ow), (sy, sx)


@pytest.mark.parametrize('case', LOCAL_CASES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('nobias', [False, True])
def test_local_forward(case, dtype, nobias):
    xs, ws, bs, st = _local_shapes(case)
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, xs).astype(dtype)
    W = rng.uniform(-1, 1, ws).astype(dtype)
    b = None if nobias else rng.uniform(-1, 1, bs).astype(dtype)
    y = F.local_convolution_2d(x, W, b, st)
    assert y.dtype == dtype
    tol = 2e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), ref_local(x, W, b, st),
                                  atol=tol, rtol=tol)
    y2 = F.local_convolution_2d(numpy.asfortranarray(x), W, b, st)
    numpy.testing.assert_allclose(y2.array, y.array, atol=tol)


@pytest.mark.parametrize('case', LOCAL_CASES)
def test_local_backward(case):
    xs, ws, bs, st = _local_shapes(case)
    rng = numpy.random.RandomState(1)
    args = (rng.uniform(-1, 1, xs), rng.uniform(-1, 1, ws), rng.uniform(-1, 1, bs))
    y = F.local_convolution_2d(*args, stride=st)
    gy = rng.uniform(-1, 1, y.shape)
    f = lambda x, W, b: F.local_convolution_2d(x, W, b, st)  # noqa: E731
    gradient_check.check_backward(f, args, gy)
    gradient_check.check_double_backward(
        f, args, gy, tuple(rng.uniform(-1, 1, a.shape) for a in args))
    args16 = tuple(a.astype(numpy.float16) for a in args)
    gradient_check.check_backward(f, args16, gy.astype(numpy.float16),
                                  dtype=numpy.float64, atol=5e-2, rtol=5e-2)


def test_local_invalid():
    x = numpy.zeros((2, 3, 4, 4), numpy.float32)
    W = numpy.zeros((2, 3, 3, 3, 2, 2), numpy.float32)
    with pytest.raises(InvalidType, match='local_convolution_2d'):
        F.local_convolution_2d(x, W[:, :2])
    with pytest.raises(InvalidType, match='local_convolution_2d'):
        F.local_convolution_2d(x[:, :2], W)
    with pytest.raises(InvalidType, match='local_convolution_2d'):
        F.local_convolution_2d(x, W.astype(numpy.int32))
    with pytest.raises(InvalidType, match='local_convolution_2d'):
        F.local_convolution_2d(x, W, numpy.zeros((2, 3), numpy.float32))
    with pytest.raises(InvalidType, match='local_convolution_2d'):
        F.local_convolution_2d(x[0], W)


@pytest.mark.gpu
def test_gpu():
    import cupy
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (2, 2, 4, 5)).astype(numpy.float32)
    W = rng.uniform(-1, 1, (3, 2, 2, 2)).astype(numpy.float32)
    off = _offsets(rng, (2, 8, 3, 4), numpy.float32)
    Wl = rng.uniform(-1, 1, (3, 3, 4, 2, 2, 2)).astype(numpy.float32)
    for f, args in ((F.deformable_convolution_2d_sampler, (x, off, W)),
                    (F.local_convolution_2d, (x, Wl))):
        y_cpu = f(*args).array
        y_gpu = f(*[cupy.asarray(a) for a in args]).array.get()
        numpy.testing.assert_allclose(y_gpu, y_cpu, atol=1e-4)


@pytest.mark.parametrize('xd, wd', [(numpy.float16, numpy.float32),
                                    (numpy.float32, numpy.float64),
                                    (numpy.float64, numpy.float16)])
def test_local_weight_of_another_dtype(xd, wd):
    import kusari
    xs, ws, bs, st = _local_shapes(LOCAL_CASES[0])
    rng = numpy.random.RandomState(3)
    x = rng.uniform(-1, 1, xs).astype(xd)
    W = rng.uniform(-1, 1, ws).astype(wd)
    b = rng.uniform(-1, 1, bs).astype(xd)
    y = F.local_convolution_2d(x, W, b, st)
    assert y.dtype == xd
    tol = 2e-2 if numpy.float16 in (xd, wd) else 1e-5
    numpy.testing.assert_allclose(y.array, ref_local(x, W, b, st), atol=tol, rtol=tol)
    vs = [kusari.Variable(a) for a in (x, W, b)]
    out = F.local_convolution_2d(*vs, stride=st)
    out.grad = numpy.ones(out.shape, xd)
    out.backward()
    assert [v.grad.dtype for v in vs] == [xd, wd, xd]
    gy = rng.uniform(-1, 1, y.shape).astype(xd)
    opts = dict(atol=5e-2, rtol=5e-2) if tol == 2e-2 else dict(atol=1e-4, rtol=1e-3)
    gradient_check.check_backward(
        lambda x, W, b: F.local_convolution_2d(x, W, b, st), (x, W, b), gy,
        dtype=numpy.float64, **opts)


@pytest.mark.parametrize('nobias', [False, True])
def test_local_convolution_2d_function_node(nobias):
    from kusari.functions.connection.local_convolution_2d import \
        LocalConvolution2DFunction
    xs, ws, bs, st = _local_shapes(LOCAL_CASES[1])
    rng = numpy.random.RandomState(4)
    args = (rng.uniform(-1, 1, xs), rng.uniform(-1, 1, ws))
    if not nobias:
        args += (rng.uniform(-1, 1, bs),)
    y = LocalConvolution2DFunction(st).apply(args)[0]
    numpy.testing.assert_allclose(y.array, ref_local(*(args + (None,))[:3], st))
    gy = rng.uniform(-1, 1, y.shape)
    ggs = tuple(rng.uniform(-1, 1, a.shape) for a in args)

    def f(*a):
        return LocalConvolution2DFunction(st).apply(a)[0]

    gradient_check.check_backward(f, args, gy, atol=1e-4, rtol=1e-3)
    gradient_check.check_double_backward(f, args, gy, ggs, atol=1e-4, rtol=1e-3)
