"""Tests of the ``label_smoothing`` option of kusari.functions.softmax_cross_entropy."""
import numpy
import pytest

import kusari
from kusari import gradient_check
from kusari import testing
from kusari.functions import softmax_cross_entropy as sce

DTYPES = (numpy.float16, numpy.float32, numpy.float64)
TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-3),
       numpy.float32: dict(atol=1e-5, rtol=1e-5),
       numpy.float64: dict(atol=1e-12, rtol=1e-12)}


def ref(x, t, ls, ignore=-1, class_weight=None, reduce='mean', normalize=True):
    x = x.astype(numpy.float64)
    C = x.shape[1]
    xm = numpy.moveaxis(x, 1, -1).reshape(-1, C)
    tf = t.reshape(-1)
    logp = xm - xm.max(1, keepdims=True)
    logp = logp - numpy.log(numpy.exp(logp).sum(1, keepdims=True))
    loss = numpy.zeros(len(tf))
    for n, label in enumerate(tf):
        if label == ignore:
            continue
        q = numpy.full(C, ls / C)
        q[label] += 1 - ls
        w = 1.0 if class_weight is None else class_weight[label]
        loss[n] = -w * (q * logp[n]).sum()
    if reduce == 'no':
        return loss.reshape(t.shape)
    n = (tf != ignore).sum() if normalize else x.shape[0]
    return numpy.asarray(loss.sum() / max(n, 1))


def data(shape, dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.randn(*shape).astype(dtype)
    t = rng.randint(0, shape[1], (shape[0],) + shape[2:]).astype(numpy.int32)
    t.reshape(-1)[0] = -1
    return x, t


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(4, 3), (3, 5, 2), (2, 40)])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('ls', [0.1, 1.0])
@pytest.mark.parametrize('weighted', [False, True])
def test_forward(dtype, shape, reduce, ls, weighted):
    x, t = data(shape, dtype)
    cw = numpy.linspace(0.5, 1.5, shape[1]).astype(dtype) if weighted else None
    y = sce(x, t, reduce=reduce, label_smoothing=ls, class_weight=cw)
    want = ref(x, t, ls, class_weight=cw, reduce=reduce)
    assert y.dtype == dtype and y.shape == want.shape
    testing.assert_allclose(y.array, want, **TOL[dtype])


def test_normalize_false_and_zero_smoothing_is_unchanged():
    x, t = data((4, 3), numpy.float64)
    testing.assert_allclose(sce(x, t, label_smoothing=0.2, normalize=False).array,
                            ref(x, t, 0.2, normalize=False))
    testing.assert_allclose(sce(x, t, label_smoothing=0.0).array, sce(x, t).array)
    assert not numpy.allclose(sce(x, t, label_smoothing=0.2).array, sce(x, t).array)


def test_soft_target():
    rng = numpy.random.RandomState(3)
    x = rng.randn(4, 3)
    t = rng.dirichlet(numpy.ones(3), 4)
    ls = 0.3
    t2 = t * (1 - ls) + ls / 3
    testing.assert_allclose(sce(x, t, label_smoothing=ls).array, sce(x, t2).array)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(dtype, reduce, contiguous):
    x, t = data((3, 4, 2), dtype)
    if not contiguous:
        x = numpy.asfortranarray(x)
    rng = numpy.random.RandomState(1)
    gy = numpy.asarray(rng.randn(*(() if reduce == 'mean' else t.shape)), dtype)
    cw = numpy.linspace(0.5, 1.5, 4).astype(dtype)
    f = lambda x: sce(x, t, reduce=reduce, label_smoothing=0.2,  # noqa: E731
                      class_weight=cw)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else dict(atol=1e-4,
                                                                        rtol=1e-4)
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, x, gy, rng.randn(*x.shape).astype(dtype),
                                         dtype=numpy.float64, **tol)
    res = []
    for double_bp in (False, True):
        v = kusari.Variable(x.copy())
        g, = kusari.grad([f(v)], [v], grad_outputs=[gy], enable_double_backprop=double_bp)
        res.append(g.array)
    assert res[0].dtype == dtype
    testing.assert_allclose(res[0], res[1], **TOL[dtype])


def test_invalid():
    x, t = data((4, 3), numpy.float32)
    with pytest.raises(ValueError, match='softmax_cross_entropy'):
        sce(x, t, label_smoothing=1.5)
    with pytest.raises(ValueError, match='softmax_cross_entropy'):
        sce(x, numpy.array([0, 1, 2, 3], numpy.int32), label_smoothing=0.1)
    with pytest.raises(TypeError, match='softmax_cross_entropy'):
        sce(x.astype(numpy.int32), t, label_smoothing=0.1)
    with pytest.raises(TypeError, match='softmax_cross_entropy'):
        sce(x, t[:2], label_smoothing=0.1)


@pytest.mark.gpu
def test_gpu():
    import cupy
    x, t = data((4, 3), numpy.float64)
    for reduce in ('mean', 'no'):
        y = sce(cupy.asarray(x), cupy.asarray(t), reduce=reduce, label_smoothing=0.1)
        testing.assert_allclose(y.array, ref(x, t, 0.1, reduce=reduce))
    gradient_check.check_backward(
        lambda x: sce(x, cupy.asarray(t), label_smoothing=0.1), cupy.asarray(x), None,
        atol=1e-4, rtol=1e-4)
