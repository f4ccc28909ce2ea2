"""The float32 one-call path of F.softmax_cross_entropy (``forward_mean_f32`` /
``backward_mean_f32``): the loss and softmax against a float64 NumPy reference, the
gradient numerically, the same results as the general path, and the fallbacks."""
import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.functions.loss import _softmax_cross_entropy_kernels as K


def _data(R, C, ltype=numpy.int32, seed=0, ignore=()):
    rng = numpy.random.default_rng(seed)
    x = rng.uniform(-3, 3, (R, C)).astype(numpy.float32)
    t = rng.integers(0, C, R).astype(ltype)
    for i in ignore:
        t[i] = -1
    return x, t


def _ref(x, t, ignore_label=-1, normalize=True):
    x = x.astype(numpy.float64)
    lse = numpy.log(numpy.exp(x - x.max(1, keepdims=True)).sum(1)) + x.max(1)
    keep = t != ignore_label
    loss = -(x[numpy.arange(len(t)), numpy.where(keep, t, 0)] - lse) * keep
    n = keep.sum() if normalize else len(t)
    return loss.sum() / max(n, 1), numpy.exp(x - lse[:, None])


@pytest.mark.parametrize('ltype', [numpy.int32, numpy.int64])
@pytest.mark.parametrize('R,C', [(1, 1), (4, 3), (32, 10), (20, 1000), (0, 5)])
@pytest.mark.parametrize('normalize', [True, False])
def test_forward_against_reference(R, C, ltype, normalize):
    x, t = _data(R, C, ltype, ignore=(0,) if R > 1 else ())
    loss, coeff, y = K.forward_mean_f32(x, t, -1, normalize)
    ref, soft = _ref(x, t, normalize=normalize)
    assert loss.dtype == numpy.float32 and loss.shape == ()
    numpy.testing.assert_allclose(loss, ref, rtol=2e-6, atol=1e-6)
    numpy.testing.assert_allclose(y, soft, rtol=2e-6, atol=1e-7)
    n = (t != -1).sum() if normalize else R
    assert coeff == 1.0 / max(n, 1)


def test_backward_against_reference():
    x, t = _data(6, 4, ignore=(2,))
    _, coeff, y = K.forward_mean_f32(x, t, -1, True)
    gx = K.backward_mean_f32(y, t, -1, 0.5 * coeff)
    _, soft = _ref(x, t)
    onehot = numpy.eye(4)[numpy.where(t >= 0, t, 0)]
    ref = (soft - onehot) * 0.5 * coeff
    ref[2] = 0
    numpy.testing.assert_allclose(gx, ref, rtol=1e-5, atol=1e-7)


def test_bad_label_is_named():
    x, t = _data(3, 4)
    t[1] = 4
    with pytest.raises(ValueError, match=r'softmax_cross_entropy.*0 <= t < x.shape\[1\]'):
        K.forward_mean_f32(x, t, -1, True)
    with pytest.raises(ValueError, match='softmax_cross_entropy'):
        F.softmax_cross_entropy(x, t)


@pytest.mark.parametrize('make', [
    lambda x, t: (x.astype(numpy.float64), t),          # float64: general path
    lambda x, t: (x.astype(numpy.float16), t),
    lambda x, t: (numpy.asfortranarray(x), t),
    lambda x, t: (x, t.astype(numpy.int16)),
    lambda x, t: (x, t[:-1]),                            # length mismatch
    lambda x, t: (x[None], t[None]),                     # (1, R, C)
    lambda x, t: (x[:, :0], t),                          # no class
])
def test_other_inputs_are_left_to_the_general_path(make):
    x, t = _data(5, 3)
    assert K.forward_mean_f32(*make(x, t), -1, True) is None


def test_fast_and_general_paths_agree():
    # the general path sees the same numbers through a strided view
    x, t = _data(16, 7, ignore=(3,))
    wide = numpy.zeros((16, 14), numpy.float32)
    wide[:, ::2] = x
    strided = wide[:, ::2]
    xa, xb = kusari.Variable(x), kusari.Variable(strided)
    la, lb = F.softmax_cross_entropy(xa, t), F.softmax_cross_entropy(xb, t)
    assert la.creator._fast and not lb.creator._fast
    numpy.testing.assert_array_equal(la.array, lb.array)
    la.backward()
    lb.backward()
    numpy.testing.assert_array_equal(xa.grad, xb.grad)


@pytest.mark.parametrize('ltype', [numpy.int32, numpy.int64])
def test_gradient_check(ltype):
    x, t = _data(5, 4, ltype, seed=3, ignore=(1,))
    gradient_check.check_backward(
        lambda x: F.softmax_cross_entropy(x, t), x.astype(numpy.float32),
        numpy.array(1.3, numpy.float32), dtype=numpy.float64, atol=1e-3, rtol=1e-3)


def test_large_batches_use_pooled_buffers_and_stay_correct():
    x, t = _data(64, 1000, seed=4)
    for _ in range(3):      # the pooled buffer of a previous step is reused
        v = kusari.Variable(x)
        loss = F.softmax_cross_entropy(v, t)
        loss.backward()
    ref, soft = _ref(x, t)
    numpy.testing.assert_allclose(loss.array, ref, rtol=2e-6)
    onehot = numpy.eye(1000)[t]
    numpy.testing.assert_allclose(v.grad, (soft - onehot) / 64, rtol=1e-4, atol=1e-8)


def test_output_buffers_are_checked():
    x, t = _data(4, 3)
    good = numpy.empty((4, 3), numpy.float32)
    loss, coeff, y = K.forward_mean_f32(x, t, -1, True, good)
    assert y is good
    gx = numpy.empty((4, 3), numpy.float32)
    assert K.backward_mean_f32(y, t, -1, coeff, gx) is gx
    ro = numpy.empty((4, 3), numpy.float32)
    ro.flags.writeable = False
    for bad in (numpy.empty((3, 4), numpy.float32), numpy.empty((4, 3), numpy.float64),
                numpy.empty((4, 6), numpy.float32)[:, ::2], ro):
        assert K.forward_mean_f32(x, t, -1, True, bad) is None
        assert K.backward_mean_f32(y, t, -1, coeff, bad) is None
