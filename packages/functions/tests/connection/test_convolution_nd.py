import itertools

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType


def _outsize(size, k, s, p, d, cover_all):
    dk = (k - 1) * d + 1
    if cover_all:
        return (size + 2 * p - dk + s - 1) // s + 1
    return (size + 2 * p - dk) // s + 1


def ref_conv(x, W, b, stride, pad, dilate, groups, cover_all):
    x = x.astype(numpy.float64)
    W = W.astype(numpy.float64)
    n, c = x.shape[:2]
    nd = x.ndim - 2
    oc = W.shape[0]
    ks = W.shape[2:]
    outs = tuple(_outsize(x.shape[2 + i], ks[i], stride[i], pad[i], dilate[i], cover_all)
                 for i in range(nd))
    xp = numpy.pad(x, [(0, 0), (0, 0)] + [(p, p + s + (k - 1) * d) for p, s, k, d in
                                          zip(pad, stride, ks, dilate)])
    y = numpy.zeros((n, oc) + outs)
    cg, ocg = c // groups, oc // groups
    for o in itertools.product(*[range(v) for v in outs]):
        for k in itertools.product(*[range(v) for v in ks]):
            pos = tuple(o[i] * stride[i] + k[i] * dilate[i] for i in range(nd))
            xs = xp[(slice(None), slice(None)) + pos]
            for g in range(groups):
                y[(slice(None), slice(g * ocg, (g + 1) * ocg)) + o] += \
                    xs[:, g * cg:(g + 1) * cg] @ W[(slice(g * ocg, (g + 1) * ocg),
                                                    slice(None)) + k].T
    if b is not None:
        y += b.reshape((1, oc) + (1,) * nd)
    return y


CASES = [
    # ndim, in dims, ksize, stride, pad, dilate, groups, cover_all
    (1, (7,), (3,), (2,), (1,), (1,), 1, False),
    (2, (5, 6), (3, 2), (1, 2), (1, 0), (1, 1), 1, False),
    (2, (6, 5), (2, 3), (2, 1), (1, 1), (2, 1), 2, True),
    (2, (4, 4), (3, 3), (1, 1), (1, 1), (1, 1), 1, True),
    (3, (4, 3, 4), (2, 2, 3), (1, 2, 1), (1, 0, 1), (1, 1, 1), 1, False),
    (3, (3, 4, 3), (2, 1, 2), (2, 1, 1), (0, 1, 1), (1, 2, 1), 2, True),
    # many output positions per image: the per-image GEMM path on the CPU
    (2, (18, 17), (3, 3), (1, 1), (1, 1), (1, 1), 1, False),
    (1, (300,), (3,), (1,), (0,), (1,), 1, False),
    (2, (18, 18), (3, 3), (1, 1), (1, 1), (1, 1), 2, False),
]


def _make(case, dtype, nobias=False, seed=0):
    nd, dims, ks, s, p, d, g, ca = case
    rng = numpy.random.RandomState(seed)
    c, oc = 2 * g, 2 * g
    x = rng.uniform(-1, 1, (2, c) + dims).astype(dtype)
    W = rng.uniform(-1, 1, (oc, c // g) + ks).astype(dtype)
    b = None if nobias else rng.uniform(-1, 1, oc).astype(dtype)
    return x, W, b


def _call(case, x, W, b):
    nd, dims, ks, s, p, d, g, ca = case
    if nd == 2 and g == 1 and d == (1, 1):
        return F.convolution_2d(x, W, b, s, p, cover_all=ca)
    if nd == 2:
        return F.convolution_2d(x, W, b, s, p, ca, dilate=d, groups=g)
    return F.convolution_nd(x, W, b, s, p, ca, d, g)


TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2), numpy.float32: dict(atol=1e-5, rtol=1e-4),
       numpy.float64: dict(atol=1e-10, rtol=1e-10)}


@pytest.mark.parametrize('case', CASES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward(case, dtype):
    x, W, b = _make(case, dtype)
    y = _call(case, x, W, b)
    assert y.dtype == dtype
    nd, dims, ks, s, p, d, g, ca = case
    ref = ref_conv(x, W, b, s, p, d, g, ca)
    assert y.shape == ref.shape
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), ref, **TOL[dtype])


@pytest.mark.parametrize('case', CASES)
def test_forward_nobias_noncontiguous(case):
    x, W, _ = _make(case, numpy.float32, nobias=True)
    xn = numpy.asfortranarray(x)
    assert not xn.flags.c_contiguous
    Wn = numpy.repeat(W, 2, axis=0)[::2]
    assert not Wn.flags.c_contiguous
    nd, dims, ks, s, p, d, g, ca = case
    y = _call(case, xn, Wn, None)
    numpy.testing.assert_allclose(y.array, ref_conv(x, W, None, s, p, d, g, ca),
                                  atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize('case', CASES)
@pytest.mark.parametrize('nobias', [False, True])
def test_backward(case, nobias):
    x, W, b = _make(case, numpy.float64, nobias)
    y = _call(case, x, W, b)
    gy = numpy.random.RandomState(1).uniform(-1, 1, y.shape)
    args = (x, W) if nobias else (x, W, b)
    gradient_check.check_backward(lambda *a: _call(case, *a) if len(a) == 3
                                  else _call(case, a[0], a[1], None), args, gy,
                                  atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('case', CASES[1:3] + CASES[4:5])
def test_backward_float16(case):
    x, W, b = _make(case, numpy.float16)
    gy = numpy.random.RandomState(1).uniform(-1, 1, _call(case, x, W, b).shape)
    gradient_check.check_backward(lambda *a: _call(case, *a), (x, W, b),
                                  gy.astype(numpy.float16), dtype=numpy.float64,
                                  eps=2 ** -3, atol=5e-2, rtol=5e-2)


@pytest.mark.parametrize('case', CASES[:3] + CASES[4:5])
def test_double_backward(case):
    x, W, b = _make(case, numpy.float64)
    rng = numpy.random.RandomState(2)
    gy = rng.uniform(-1, 1, _call(case, x, W, b).shape)
    ggx, ggW, ggb = (rng.uniform(-1, 1, a.shape) for a in (x, W, b))
    gradient_check.check_double_backward(lambda *a: _call(case, *a), (x, W, b), gy,
                                         (ggx, ggW, ggb), atol=1e-5, rtol=1e-4)


def test_backward_array_matches_backward():
    case = CASES[2]
    x, W, b = _make(case, numpy.float64)
    gy = numpy.random.RandomState(3).uniform(-1, 1, _call(case, x, W, b).shape)
    grads = []
    for double in (False, True):
        vs = [kusari.Variable(a.copy()) for a in (x, W, b)]
        y = _call(case, *vs)
        y.grad = gy
        y.backward(enable_double_backprop=double)
        grads.append([v.grad for v in vs])
    for a, bb in zip(*grads):
        numpy.testing.assert_allclose(a, bb, atol=1e-12)


def test_convolution_1d_3d_wrappers():
    rng = numpy.random.RandomState(0)
    x1 = rng.uniform(-1, 1, (2, 3, 6)).astype(numpy.float32)
    W1 = rng.uniform(-1, 1, (4, 3, 2)).astype(numpy.float32)
    numpy.testing.assert_allclose(F.convolution_1d(x1, W1, stride=2).array,
                                  ref_conv(x1, W1, None, (2,), (0,), (1,), 1, False),
                                  atol=1e-5)
    x3 = rng.uniform(-1, 1, (1, 2, 3, 3, 3)).astype(numpy.float32)
    W3 = rng.uniform(-1, 1, (2, 2, 2, 2, 2)).astype(numpy.float32)
    numpy.testing.assert_allclose(F.convolution_3d(x3, W3, pad=1).array,
                                  ref_conv(x3, W3, None, (1,) * 3, (1,) * 3, (1,) * 3, 1,
                                           False), atol=1e-5)
    with pytest.raises(ValueError, match='convolution'):
        F.convolution_1d(x3, W3)
    with pytest.raises(ValueError, match='convolution'):
        F.convolution_3d(x1, W1)


def test_dilated_convolution_2d():
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (2, 3, 7, 6)).astype(numpy.float32)
    W = rng.uniform(-1, 1, (2, 3, 3, 2)).astype(numpy.float32)
    b = rng.uniform(-1, 1, 2).astype(numpy.float32)
    y = F.dilated_convolution_2d(x, W, b, stride=1, pad=2, dilate=(2, 3))
    numpy.testing.assert_allclose(y.array, ref_conv(x, W, b, (1, 1), (2, 2), (2, 3), 1,
                                                    False), atol=1e-5, rtol=1e-4)
    x64, W64, b64 = (a.astype(numpy.float64) for a in (x, W, b))
    gy = rng.uniform(-1, 1, y.shape)
    gradient_check.check_backward(
        lambda *a: F.dilated_convolution_2d(*a, stride=1, pad=2, dilate=(2, 3)),
        (x64, W64, b64), gy, atol=1e-6, rtol=1e-5)


def test_depthwise_convolution_2d():
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (2, 3, 5, 5))
    W = rng.uniform(-1, 1, (2, 3, 3, 2))   # multiplier 2, 3 input channels
    b = rng.uniform(-1, 1, 6)
    y = F.depthwise_convolution_2d(x, W, b, stride=(2, 1), pad=1)
    ref = numpy.zeros(y.shape)
    for c in range(3):
        for m in range(2):
            ref[:, c * 2 + m] = ref_conv(x[:, c:c + 1], W[m:m + 1, c:c + 1], None,
                                         (2, 1), (1, 1), (1, 1), 1, False)[:, 0] + b[c * 2 + m]
    numpy.testing.assert_allclose(y.array, ref, atol=1e-10)
    gy = rng.uniform(-1, 1, y.shape)
    f = lambda *a: F.depthwise_convolution_2d(*a, stride=(2, 1), pad=1)  # noqa: E731
    gradient_check.check_backward(f, (x, W, b), gy, atol=1e-6, rtol=1e-5)
    gradient_check.check_double_backward(
        f, (x, W, b), gy, tuple(rng.uniform(-1, 1, a.shape) for a in (x, W, b)),
        atol=1e-5, rtol=1e-4)
    with pytest.raises(InvalidType, match='DepthwiseConvolution2D'):
        F.depthwise_convolution_2d(x, W[:, :2])


def test_invalid_inputs():
    x = numpy.zeros((2, 4, 5, 5), numpy.float32)
    W = numpy.zeros((3, 4, 2, 2), numpy.float32)
    with pytest.raises(InvalidType, match='Convolution2DFunction'):
        F.convolution_2d(x, W[:, :3])
    with pytest.raises(InvalidType, match='Convolution2DFunction'):
        F.convolution_2d(x.astype(numpy.int32), W)
    with pytest.raises(InvalidType, match='Convolution2DFunction'):
        F.convolution_2d(x[0], W)
    with pytest.raises(InvalidType, match='Convolution2DFunction'):
        F.convolution_2d(x, W, numpy.zeros(4, numpy.float32))
    with pytest.raises(InvalidType, match='Convolution2DFunction'):
        F.convolution_2d(x, W, numpy.zeros(3, numpy.float64))
    with pytest.raises(InvalidType, match='Convolution2DFunction'):
        F.convolution_2d(x, numpy.zeros((3, 4, 9, 9), numpy.float32))   # empty output
    with pytest.raises(InvalidType, match='Convolution2DFunction'):
        F.convolution_2d(x, numpy.zeros((3, 2, 2, 2), numpy.float32), groups=2)  # 3 % 2
    with pytest.raises(InvalidType, match='ConvolutionND'):
        F.convolution_nd(x[:, :, :, :, None], W)
    with pytest.raises(ValueError, match='Convolution2DFunction'):
        F.convolution_2d(x, W, stride=0)
    with pytest.raises(ValueError, match='Convolution2DFunction'):
        F.convolution_2d(x, W, pad=(1, 2, 3))


def test_label_and_class():
    x = numpy.zeros((1, 1, 3, 3), numpy.float32)
    W = numpy.zeros((1, 1, 2, 2), numpy.float32)
    y = F.Convolution2DFunction(stride=1, pad=0).apply((kusari.Variable(x), W))[0]
    assert y.creator.label == 'Convolution2DFunction'
    assert y.shape == (1, 1, 2, 2)


@pytest.mark.gpu
def test_forward_backward_gpu():
    import cupy
    for case in CASES:
        x, W, b = _make(case, numpy.float32)
        y = _call(case, cupy.asarray(x), cupy.asarray(W), cupy.asarray(b))
        nd, dims, ks, s, p, d, g, ca = case
        numpy.testing.assert_allclose(y.array.get(), ref_conv(x, W, b, s, p, d, g, ca),
                                      atol=1e-4, rtol=1e-4)
        x64, W64, b64 = (cupy.asarray(a.astype(numpy.float64)) for a in (x, W, b))
        gy = cupy.random.uniform(-1, 1, y.shape)
        gradient_check.check_backward(lambda *a: _call(case, *a), (x64, W64, b64), gy,
                                      atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('per_image', [True, False])
def test_weight_gradient_without_input_gradient(dtype, per_image, monkeypatch):
    # x is data (no gradient wanted): the weight gradient may skip the transposed gy
    import importlib
    ops = importlib.import_module('kusari.functions.connection._conv_ops')
    if not per_image:
        monkeypatch.setattr(ops, 'PER_IMAGE_MIN_POSITIONS', 10 ** 9)
    rng = numpy.random.RandomState(3)
    x = rng.uniform(-1, 1, (3, 2, 20, 19)).astype(dtype)
    W = kusari.Parameter(rng.uniform(-1, 1, (4, 2, 3, 3)).astype(dtype))
    b = kusari.Parameter(rng.uniform(-1, 1, 4).astype(dtype))
    gy = rng.uniform(-1, 1, (3, 4, 18, 17)).astype(dtype)
    y = F.convolution_2d(x, W, b)
    assert ops.per_image_grad_w(gy, W.array, 1) == per_image
    y.grad = gy
    y.backward()
    x64, gy64 = x.astype(numpy.float64), gy.astype(numpy.float64)
    want = numpy.zeros((4, 2, 3, 3))
    for ky in range(3):
        for kx in range(3):
            patch = x64[:, :, ky:ky + 18, kx:kx + 17]
            want[:, :, ky, kx] = numpy.einsum('nohw,nchw->oc', gy64, patch)
    tol = TOL[dtype] if dtype != numpy.float16 else dict(atol=0.5, rtol=5e-2)
    numpy.testing.assert_allclose(W.grad.astype(numpy.float64), want, **tol)
    numpy.testing.assert_allclose(b.grad.astype(numpy.float64), gy64.sum(axis=(0, 2, 3)),
                                  **tol)
    assert W.grad.dtype == dtype and b.grad.dtype == dtype
