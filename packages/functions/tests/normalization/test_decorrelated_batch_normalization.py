import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType


def _groups(x, g):
    b, c = x.shape[:2]
    return numpy.moveaxis(x, 1, 0).reshape(g, c // g, -1)


def _ungroup(y, shape):
    b, c = shape[:2]
    return numpy.moveaxis(y.reshape((c, b) + shape[2:]), 0, 1)


def ref_dbn(x, g, eps):
    xh = _groups(x.astype(numpy.float64), g)
    mean = xh.mean(axis=2, keepdims=True)
    xc = xh - mean
    ys, projs = [], []
    for k in range(g):
        cov = xc[k] @ xc[k].T / xc.shape[2] + eps * numpy.eye(xc.shape[1])
        u, sv, vt = numpy.linalg.svd(cov)            # cov is SPD: u == vt.T
        p = u @ numpy.diag(sv ** -0.5) @ u.T
        projs.append(p)
        ys.append(p @ xc[k])
    return _ungroup(numpy.stack(ys), x.shape), mean[:, :, 0], numpy.stack(projs)


SHAPES = [((10, 4), 2), ((6, 6, 3), 3), ((4, 4, 2, 3), 1)]


@pytest.mark.parametrize('shape,groups', SHAPES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward_and_running_stats(shape, groups, dtype):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, shape).astype(dtype)
    C = shape[1] // groups
    rm = rng.uniform(-1, 1, (groups, C)).astype(dtype)
    rp = rng.uniform(-1, 1, (groups, C, C)).astype(dtype)
    rm0, rp0 = rm.copy(), rp.copy()
    y = F.decorrelated_batch_normalization(x, groups=groups, eps=1e-3, running_mean=rm,
                                           running_projection=rp, decay=0.7)
    assert y.dtype == dtype and y.shape == shape
    ref, mean, proj = ref_dbn(x, groups, 1e-3)
    tol = 5e-2 if dtype == numpy.float16 else 1e-4 if dtype == numpy.float32 else 1e-9
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), ref, atol=tol, rtol=tol)
    numpy.testing.assert_allclose(rm, 0.7 * rm0 + 0.3 * mean, atol=tol)
    numpy.testing.assert_allclose(rp, 0.7 * rp0 + 0.3 * proj, atol=tol, rtol=tol)
    # non-contiguous input
    xn = numpy.asfortranarray(x)
    y2 = F.decorrelated_batch_normalization(xn, groups=groups, eps=1e-3)
    numpy.testing.assert_allclose(y2.array.astype(numpy.float64), ref, atol=tol, rtol=tol)


@pytest.mark.parametrize('shape,groups', SHAPES)
def test_backward(shape, groups):
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, shape)
    gy = rng.uniform(-1, 1, shape)
    f = lambda x: F.decorrelated_batch_normalization(x, groups=groups)  # noqa: E731
    gradient_check.check_backward(f, x, gy, eps=1e-5, atol=1e-5, rtol=1e-4)
    res = []
    for double in (False, True):
        xv = kusari.Variable(x.copy())
        gx, = kusari.grad([f(xv)], [xv], [gy], enable_double_backprop=double)
        res.append(gx.array)
    numpy.testing.assert_allclose(res[0], res[1])


def test_backward_repeated_eigenvalues_and_float16():
    # the rows are orthogonal with equal norms: a degenerate covariance
    x = numpy.array([[1., 0.], [-1., 0.], [0., 1.], [0., -1.]])
    gy = numpy.random.RandomState(2).uniform(-1, 1, x.shape)
    f = lambda x: F.decorrelated_batch_normalization(x, groups=1)  # noqa: E731
    gradient_check.check_backward(f, x, gy, eps=1e-5, atol=1e-5, rtol=1e-4)
    x16 = numpy.random.RandomState(3).uniform(-1, 1, (8, 4)).astype(numpy.float16)
    g16 = numpy.random.RandomState(4).uniform(-1, 1, (8, 4)).astype(numpy.float16)
    gradient_check.check_backward(
        lambda x: F.decorrelated_batch_normalization(x, groups=2), x16, g16,
        dtype=numpy.float64, eps=1e-3, atol=5e-2, rtol=5e-2)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_fixed(dtype):
    rng = numpy.random.RandomState(0)
    shape, groups = (3, 4, 2), 2
    x = rng.uniform(-1, 1, shape).astype(dtype)
    mean = rng.uniform(-1, 1, (2, 2)).astype(dtype)
    proj = rng.uniform(-1, 1, (2, 2, 2)).astype(dtype)
    y = F.fixed_decorrelated_batch_normalization(x, mean, proj, groups=groups)
    xh = _groups(x.astype(numpy.float64), groups) - mean[:, :, None]
    ref = _ungroup(numpy.einsum('gij,gjm->gim', proj.astype(numpy.float64), xh), shape)
    tol = 1e-2 if dtype == numpy.float16 else 1e-6
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), ref, atol=tol, rtol=tol)
    x64, m64, p64 = (a.astype(numpy.float64) for a in (x, mean, proj))
    gy = rng.uniform(-1, 1, shape)
    f = lambda x, m, p: F.fixed_decorrelated_batch_normalization(x, m, p, groups=2)  # noqa
    gradient_check.check_backward(f, (x64, m64, p64), gy)
    gradient_check.check_double_backward(
        f, (x64, m64, p64), gy, tuple(rng.uniform(-1, 1, a.shape) for a in (x, mean, proj)))


def test_invalid():
    x = numpy.zeros((4, 6), numpy.float32)
    with pytest.raises(InvalidType, match='DecorrelatedBatchNormalization'):
        F.decorrelated_batch_normalization(x, groups=4)
    with pytest.raises(InvalidType, match='DecorrelatedBatchNormalization'):
        F.decorrelated_batch_normalization(x.astype(numpy.int32), groups=2)
    with pytest.raises(InvalidType, match='DecorrelatedBatchNormalization'):
        F.decorrelated_batch_normalization(x, groups=2, running_mean=numpy.zeros(6))
    with pytest.raises(TypeError, match='decorrelated_batch_normalization'):
        F.decorrelated_batch_normalization(x, group=2)
    m = numpy.zeros((2, 3), numpy.float32)
    p = numpy.zeros((2, 3, 3), numpy.float32)
    with pytest.raises(InvalidType, match='fixed_decorrelated_batch_normalization'):
        F.fixed_decorrelated_batch_normalization(x, m, p, groups=3)
    with pytest.raises(InvalidType, match='fixed_decorrelated_batch_normalization'):
        F.fixed_decorrelated_batch_normalization(x, m.astype(numpy.int32), p, groups=2)


@pytest.mark.gpu
def test_gpu():
    import cupy
    x = numpy.random.RandomState(0).uniform(-1, 1, (8, 4)).astype(numpy.float32)
    gy = numpy.random.RandomState(1).uniform(-1, 1, (8, 4)).astype(numpy.float32)
    res = []
    for a, g in ((x, gy), (cupy.asarray(x), cupy.asarray(gy))):
        xv = kusari.Variable(a)
        y = F.decorrelated_batch_normalization(xv, groups=2)
        y.grad = g
        y.backward()
        res.append((kusari.backends.cuda.to_cpu(y.array),
                    kusari.backends.cuda.to_cpu(xv.grad)))
    numpy.testing.assert_allclose(res[0][0], res[1][0], atol=1e-4)
    numpy.testing.assert_allclose(res[0][1], res[1][1], atol=1e-4)


@pytest.mark.parametrize('xd, pd', [(numpy.float64, numpy.float32),
                                    (numpy.float32, numpy.float64),
                                    (numpy.float16, numpy.float32)])
def test_fixed_with_statistics_of_another_dtype(xd, pd):
    rng = numpy.random.RandomState(5)
    groups, C = 2, 3
    x = rng.uniform(-1, 1, (4, groups * C, 2)).astype(xd)
    mean = rng.uniform(-1, 1, (groups, C)).astype(pd)
    proj = rng.uniform(.5, 1, (groups, C, C)).astype(pd)
    y = F.fixed_decorrelated_batch_normalization(x, mean, proj, groups=groups)
    assert y.dtype == xd
    # reference: per group, projection @ (x - mean) over channels
    xg = x.astype(numpy.float64).transpose(1, 0, 2).reshape(groups, C, -1)
    ref = numpy.matmul(proj.astype(numpy.float64), xg - mean.astype(numpy.float64)
                       [:, :, None])
    ref = ref.reshape(groups * C, 4, 2).transpose(1, 0, 2)
    tol = 1e-2 if xd == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(y.array, ref, rtol=tol, atol=tol)
    gy = rng.uniform(-1, 1, x.shape).astype(xd)
    tol = dict(atol=5e-2, rtol=5e-2) if xd == numpy.float16 else dict(atol=1e-4,
                                                                      rtol=1e-3)
    gradient_check.check_backward(
        lambda x, m, p: F.fixed_decorrelated_batch_normalization(x, m, p, groups=groups),
        (x, mean, proj), gy, dtype=numpy.float64, **tol)
