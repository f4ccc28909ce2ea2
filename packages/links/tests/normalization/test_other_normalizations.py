"""BatchRenormalization, GroupNormalization, LayerNormalization."""
import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari.utils import type_check

import _links_testing as lt


def test_batch_renormalization_params():
    brn = L.BatchRenormalization(3, rmax=2., dmax=1.)
    assert isinstance(brn, L.BatchNormalization)
    assert sorted(n for n, _ in brn.namedparams()) == ['/beta', '/gamma']
    assert brn.rmax == 2. and brn.dmax == 1.
    numpy.testing.assert_array_equal(brn.avg_var, [1, 1, 1])


def test_batch_renormalization_forward():
    lt.require_F('batch_renormalization', 'fixed_batch_normalization')
    rng = numpy.random.RandomState(0)
    brn = L.BatchRenormalization(3, rmax=1, dmax=0, dtype=numpy.float64)
    x = rng.uniform(-1, 1, (5, 3))
    with kusari.using_config('train', True):
        y = brn(x)
    # rmax=1, dmax=0: r=1, d=0, i.e. plain batch normalization
    ref = (x - x.mean(0)) / numpy.sqrt(x.var(0) + 2e-5)
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(brn.avg_mean, 0.1 * x.mean(0), rtol=1e-6)
    with kusari.using_config('train', False):
        y = brn(x)
    ref = (x - brn.avg_mean) / numpy.sqrt(brn.avg_var + 2e-5)
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-6)
    lt.check_common(lambda: L.BatchRenormalization(3), [x.astype(numpy.float32)])


def _gn_ref(x, groups, gamma, beta, eps):
    n, c = x.shape[:2]
    xg = x.reshape(n, groups, -1)
    xg = (xg - xg.mean(2, keepdims=True)) / numpy.sqrt(xg.var(2, keepdims=True) + eps)
    shape = (1, c) + (1,) * (x.ndim - 2)
    return xg.reshape(x.shape) * gamma.reshape(shape) + beta.reshape(shape)


def test_group_normalization_params():
    gn = L.GroupNormalization(2, 4)
    assert sorted(n for n, _ in gn.namedparams()) == ['/beta', '/gamma']
    numpy.testing.assert_array_equal(gn.gamma.array, [1, 1, 1, 1])
    numpy.testing.assert_array_equal(gn.beta.array, [0, 0, 0, 0])
    assert gn.eps == 1e-5 and gn.groups == 2
    assert L.GroupNormalization(2).gamma.array is None


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_group_normalization_forward_backward(dtype):
    lt.require_F('group_normalization')
    rng = numpy.random.RandomState(1)
    with kusari.using_config('dtype', dtype):
        gn = L.GroupNormalization(2)
        x = rng.uniform(-1, 1, (2, 4, 3)).astype(dtype)
        y = gn(x)
    assert y.shape == x.shape and gn.gamma.shape == (4,)
    gn.gamma.array[...] = rng.uniform(0.5, 1.5, 4)
    gn.beta.array[...] = rng.uniform(-1, 1, 4)
    numpy.testing.assert_allclose(gn(x).array,
                                  _gn_ref(x, 2, gn.gamma.array, gn.beta.array, 1e-5),
                                  rtol=1e-4, atol=1e-5)
    if dtype == numpy.float64:
        gradient_check.check_backward(gn, x, rng.uniform(-1, 1, x.shape),
                                      params=(gn.gamma, gn.beta), atol=1e-5,
                                      rtol=1e-4)
    lt.check_common(lambda: L.GroupNormalization(2, 4), [x.astype(numpy.float32)])


def test_layer_normalization_params():
    ln = L.LayerNormalization(3)
    assert sorted(n for n, _ in ln.namedparams()) == ['/beta', '/gamma']
    assert ln.eps == 1e-6
    assert L.LayerNormalization().gamma.array is None


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_layer_normalization_forward_backward(dtype):
    lt.require_F('layer_normalization')
    rng = numpy.random.RandomState(2)
    with kusari.using_config('dtype', dtype):
        ln = L.LayerNormalization()
        x = rng.uniform(-1, 1, (3, 4)).astype(dtype)
        ln(x)
    assert ln.gamma.shape == (4,)
    ln.gamma.array[...] = rng.uniform(0.5, 1.5, 4)
    ln.beta.array[...] = rng.uniform(-1, 1, 4)
    ref = (x - x.mean(1, keepdims=True)) / numpy.sqrt(x.var(1, keepdims=True) + 1e-6)
    ref = ref * ln.gamma.array + ln.beta.array
    numpy.testing.assert_allclose(ln(x).array, ref, rtol=1e-4, atol=1e-5)
    if dtype == numpy.float64:
        gradient_check.check_backward(ln, x, rng.uniform(-1, 1, x.shape),
                                      params=(ln.gamma, ln.beta), atol=1e-5,
                                      rtol=1e-4)
    lt.check_common(lambda: L.LayerNormalization(4), [x.astype(numpy.float32)])


def test_wrong_input_shape():
    with pytest.raises(type_check.InvalidType) as e:
        L.GroupNormalization(2, 4)(numpy.ones((2, 3, 2), numpy.float32))
    lt.assert_invalid(e, 'GroupNormalization')
    # groups not dividing the channels: Chainer's ValueError (from the function)
    with pytest.raises(ValueError, match='group_normalization'):
        L.GroupNormalization(2)(numpy.ones((2, 3, 2), numpy.float32))
    with pytest.raises(type_check.InvalidType) as e:
        L.LayerNormalization(4)(numpy.ones((2, 3), numpy.float32))
    lt.assert_invalid(e, 'LayerNormalization')
    with pytest.raises(type_check.InvalidType) as e:
        L.BatchRenormalization(3)(numpy.ones((2, 4), numpy.float32))
    lt.assert_invalid(e, 'BatchRenormalization')


@pytest.mark.gpu
def test_gpu():
    x = numpy.random.RandomState(3).uniform(-1, 1, (2, 4)).astype(numpy.float32)
    lt.check_gpu_round_trip(lambda: L.GroupNormalization(2, 4), [x])
    lt.check_gpu_round_trip(lambda: L.LayerNormalization(4), [x])


@pytest.mark.parametrize('name', ['bn', 'brn', 'dbn'])
@pytest.mark.parametrize('finetune', [False, True])
def test_forget_recomputation_leaves_statistics_and_gradients_as_without(name,
                                                                         finetune):
    import functools
    import kusari
    import kusari.functions as F

    def make():
        if name == 'bn':
            return L.BatchNormalization(3)
        if name == 'brn':
            return L.BatchRenormalization(3, rmax=2.0, dmax=1.0)
        return L.DecorrelatedBatchNormalization(3, groups=3)

    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    gy = rng.uniform(-1, 1, (4, 3)).astype(numpy.float32)
    link1, link2 = make(), make()
    for link in (link1, link2):   # statistics away from their initial values
        link(x * 3 + 1, finetune=finetune)
    x1, x2 = kusari.Variable(x), kusari.Variable(x)
    y1 = link1(x1, finetune=finetune)
    y1.grad = gy
    y1.backward()
    y2 = F.forget(functools.partial(link2, finetune=finetune), x2)
    y2.grad = gy
    y2.backward()
    numpy.testing.assert_allclose(x1.grad, x2.grad, rtol=1e-6, atol=1e-7)
    assert link1.N == link2.N
    for stat in ('avg_mean', 'avg_var', 'avg_projection'):
        if hasattr(link1, stat):
            numpy.testing.assert_array_equal(getattr(link1, stat), getattr(link2, stat))
    with kusari.using_config('train', False):
        numpy.testing.assert_allclose(link1(x).array, link2(x).array, rtol=1e-6)


def test_group_normalization_param_dtype_fixed_at_construction():
    # Chainer fixes the parameters' dtype when the link is built, even when they
    # are initialized lazily from arrays of another dtype later.
    with kusari.using_config('dtype', numpy.float16):
        gn = L.GroupNormalization(2, initial_gamma=numpy.ones(4, numpy.float32))
    y = gn(numpy.zeros((1, 4, 2), numpy.float16))
    assert gn.gamma.dtype == numpy.float16 and gn.beta.dtype == numpy.float16
    assert y.dtype == numpy.float16


def test_group_normalization_float32_params_with_float16_input():
    gn = L.GroupNormalization(2, 4)
    x = numpy.random.RandomState(2).uniform(-1, 1, (2, 4, 3)).astype(numpy.float16)
    y = gn(x)
    assert y.dtype == numpy.float16
    numpy.testing.assert_allclose(
        y.array, _gn_ref(x.astype(numpy.float64), 2, gn.gamma.array, gn.beta.array, 1e-5),
        atol=1e-2, rtol=1e-2)


@pytest.mark.parametrize('shape', [(2,), ()])
def test_group_normalization_too_few_dims_is_value_error(shape):
    with pytest.raises(ValueError, match='GroupNormalization'):
        L.GroupNormalization(3)(numpy.zeros(shape, numpy.float32))


def test_group_normalization_bad_groups():
    x = numpy.zeros((2, 5, 2), numpy.float32)
    with pytest.raises(ValueError):
        L.GroupNormalization(3)(x)
    with pytest.raises(TypeError):
        L.GroupNormalization(3.5)(x)
