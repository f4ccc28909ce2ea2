import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _ref(x, t, normalize=True, class_weight=None, ignore_label=-1, reduce='mean'):
    x = x.astype(numpy.float64)
    xm = numpy.moveaxis(x, 1, -1).reshape(-1, x.shape[1])
    tf = t.reshape(-1)
    lse = numpy.log(numpy.exp(xm - xm.max(1, keepdims=True)).sum(1)) + xm.max(1)
    loss = numpy.zeros(tf.shape)
    for r, c in enumerate(tf):
        if c == ignore_label:
            continue
        w = 1.0 if class_weight is None else class_weight[c]
        loss[r] = -(xm[r, c] - lse[r]) * w
    if reduce == 'no':
        return loss.reshape(t.shape)
    n = (tf != ignore_label).sum() if normalize else x.shape[0]
    return loss.sum() / max(n, 1)


def _tol(dtype):
    return dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else \
        dict(atol=1e-5, rtol=1e-5)


def _data(shape, dtype, ignore=True, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.uniform(-2, 2, shape).astype(dtype)
    tshape = (shape[0],) + shape[2:]
    t = rng.randint(0, shape[1], tshape).astype(numpy.int32)
    if ignore:
        t.reshape(-1)[0] = -1
    return x, t


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(5, 4), (3, 4, 2), (2, 3, 2, 2)])
@pytest.mark.parametrize('normalize', [True, False])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_forward(dtype, shape, normalize, reduce):
    x, t = _data(shape, dtype)
    y = F.softmax_cross_entropy(x, t, normalize=normalize, reduce=reduce)
    assert y.dtype == dtype
    assert y.shape == (() if reduce == 'mean' else t.shape)
    numpy.testing.assert_allclose(y.array.astype(numpy.float64),
                                  _ref(x, t, normalize, reduce=reduce), **_tol(dtype))


@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_forward_class_weight_and_ignore_label(reduce):
    x, t = _data((6, 3), numpy.float32, ignore=False)
    t[1] = 2
    t[2] = 7
    w = numpy.array([0.5, 2.0, 1.5], numpy.float32)
    y = F.softmax_cross_entropy(x, t, class_weight=w, ignore_label=7, reduce=reduce)
    numpy.testing.assert_allclose(
        y.array, _ref(x, t, class_weight=w, ignore_label=7, reduce=reduce), rtol=1e-5)


def test_all_ignored_gives_zero():
    x = numpy.ones((2, 3), numpy.float32)
    t = numpy.array([-1, -1], numpy.int32)
    y = F.softmax_cross_entropy(x, t)
    assert float(y.array) == 0.0


def test_int64_labels_and_noncontiguous():
    x, t = _data((4, 6), numpy.float64)
    xt = numpy.asfortranarray(x)[:, ::2]
    t = (t % 3).astype(numpy.int64)
    y = F.softmax_cross_entropy(xt, t)
    numpy.testing.assert_allclose(y.array, _ref(numpy.ascontiguousarray(xt), t))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(4, 3), (2, 3, 2)])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('cache_score', [True, False])
def test_backward(dtype, shape, reduce, cache_score):
    x, t = _data(shape, dtype)
    w = numpy.array([1.0, 0.5, 2.0], dtype)
    gy = None if reduce == 'mean' else \
        numpy.random.RandomState(1).uniform(-1, 1, t.shape).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(
        lambda x, t: F.softmax_cross_entropy(x, t, cache_score=cache_score,
                                             class_weight=w, reduce=reduce),
        (x, t), gy, dtype=numpy.float64, **tol)


def test_backward_noncontiguous():
    x, t = _data((3, 8), numpy.float64)
    x = x[:, ::2]
    t = t % 4
    gradient_check.check_backward(lambda x, t: F.softmax_cross_entropy(x, t), (x, t),
                                  None)


def test_backward_matches_softmax_minus_onehot():
    x, t = _data((5, 4), numpy.float32, ignore=False)
    v = kusari.Variable(x)
    F.softmax_cross_entropy(v, t).backward()
    e = numpy.exp(x - x.max(1, keepdims=True))
    p = e / e.sum(1, keepdims=True)
    p[numpy.arange(5), t] -= 1
    numpy.testing.assert_allclose(v.grad, p / 5, atol=1e-6)


@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('shape', [(3, 4), (2, 3, 2)])
def test_double_backward(reduce, shape):
    x, t = _data(shape, numpy.float64)
    w = numpy.array([1.0, 0.5, 2.0, 1.0][:shape[1]])
    rng = numpy.random.RandomState(2)
    gy = rng.uniform(-1, 1, () if reduce == 'mean' else t.shape)
    ggx = rng.uniform(-1, 1, shape)
    f = lambda x: F.softmax_cross_entropy(x, t, class_weight=w, reduce=reduce,  # noqa
                                          enable_double_backprop=True)
    numpy.testing.assert_allclose(
        f(x).array, F.softmax_cross_entropy(x, t, class_weight=w, reduce=reduce).array)
    gradient_check.check_backward(f, x, gy)
    gradient_check.check_double_backward(f, x, gy, ggx)


def test_double_backprop_without_flag_raises():
    x, t = _data((3, 4), numpy.float64)
    v = kusari.Variable(x)
    loss = F.softmax_cross_entropy(v, t)
    gx, = kusari.grad([loss], [v], enable_double_backprop=True)
    with pytest.raises(RuntimeError, match='enable_double_backprop'):
        kusari.grad([kusari.functions.mean_squared_error(gx, gx * 0)], [v])


@pytest.mark.parametrize('soft_target_loss', ['cross-entropy', 'kl-divergence'])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_soft_target(soft_target_loss, reduce):
    rng = numpy.random.RandomState(3)
    x = rng.uniform(-1, 1, (3, 4))
    t = rng.uniform(0.1, 1, (3, 4))
    t /= t.sum(1, keepdims=True)
    y = F.softmax_cross_entropy(x, t, reduce=reduce, soft_target_loss=soft_target_loss)
    ls = x - numpy.log(numpy.exp(x).sum(1, keepdims=True))
    if soft_target_loss == 'cross-entropy':
        ref = -(t * ls).sum(1)
    else:
        ref = (t * (numpy.log(t + 1e-7) - ls)).sum(1)
    numpy.testing.assert_allclose(y.array, ref.mean() if reduce == 'mean' else ref)
    gy = None if reduce == 'mean' else rng.uniform(-1, 1, (3,))
    gradient_check.check_backward(
        lambda x, t: F.softmax_cross_entropy(x, t, reduce=reduce,
                                             soft_target_loss=soft_target_loss),
        (x, t), gy, no_grads=[False, True])


def test_bad_dtype():
    with pytest.raises(InvalidType, match='softmax_cross_entropy'):
        F.softmax_cross_entropy(numpy.zeros((2, 3), numpy.int32),
                                numpy.zeros(2, numpy.int32))


def test_bad_shape():
    with pytest.raises(InvalidType, match='softmax_cross_entropy'):
        F.softmax_cross_entropy(numpy.zeros((2, 3), numpy.float32),
                                numpy.zeros(3, numpy.int32))


@pytest.mark.parametrize('label', [3, -2])
def test_label_out_of_range(label):
    t = numpy.array([0, label], numpy.int32)
    with pytest.raises(ValueError, match='softmax_cross_entropy'):
        F.softmax_cross_entropy(numpy.zeros((2, 3), numpy.float32), t)


def test_bad_options():
    x, t = _data((2, 3), numpy.float32)
    with pytest.raises(ValueError, match='softmax_cross_entropy'):
        F.softmax_cross_entropy(x, t, reduce='sum')
    with pytest.raises(ValueError, match='softmax_cross_entropy'):
        F.softmax_cross_entropy(x, t, class_weight=numpy.ones((3, 1), numpy.float32))


@pytest.mark.gpu
@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('shape', [(4, 3), (2, 3, 2)])
def test_gpu(reduce, shape):
    import cupy
    x, t = _data(shape, numpy.float32)
    w = numpy.array([1.0, 0.5, 2.0], numpy.float32)
    y_cpu = F.softmax_cross_entropy(x, t, class_weight=w, reduce=reduce)
    xg = kusari.Variable(cupy.asarray(x))
    y = F.softmax_cross_entropy(xg, cupy.asarray(t), class_weight=cupy.asarray(w),
                                reduce=reduce)
    numpy.testing.assert_allclose(cupy.asnumpy(y.array), y_cpu.array, rtol=1e-5,
                                  atol=1e-6)
    gy = numpy.ones(y.shape, numpy.float32)
    xc = kusari.Variable(x)
    kusari.backward([F.softmax_cross_entropy(xc, t, class_weight=w, reduce=reduce)], [gy])
    kusari.backward([y], [cupy.asarray(gy)])
    numpy.testing.assert_allclose(cupy.asnumpy(xg.grad), xc.grad, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('cache_score', [True, False])
def test_many_classes(dtype, reduce, cache_score):
    # from 32 classes on the forward takes the vectorized path
    x, t = _data((4, 40), dtype)
    t[2] = 39
    w = numpy.linspace(0.5, 2, 40).astype(dtype)
    y = F.softmax_cross_entropy(x, t, class_weight=w, reduce=reduce,
                                cache_score=cache_score)
    numpy.testing.assert_allclose(y.array.astype(numpy.float64),
                                  _ref(x, t, class_weight=w, reduce=reduce), **_tol(dtype))
    gy = None if reduce == 'mean' else numpy.ones(t.shape, dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(
        lambda x, t: F.softmax_cross_entropy(x, t, class_weight=w, reduce=reduce,
                                             cache_score=cache_score),
        (x, t), gy, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('double', [False, True])
def test_float16_mean_of_many_samples_does_not_overflow(double):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (100000, 2)).astype(numpy.float16)
    t = rng.randint(0, 2, 100000).astype(numpy.int32)
    w = numpy.array([8., 9.], numpy.float16)
    y = F.softmax_cross_entropy(x, t, normalize=False, class_weight=w,
                                enable_double_backprop=double)
    x64 = x.astype(numpy.float64)
    logz = numpy.logaddexp(x64[:, 0], x64[:, 1])
    want = (-(x64[numpy.arange(len(t)), t] - logz) * w.astype(numpy.float64)[t]).mean()
    assert y.dtype == numpy.float16
    numpy.testing.assert_allclose(float(y.array), want, rtol=5e-3)
