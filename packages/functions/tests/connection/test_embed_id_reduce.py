"""Tests of the ``reduce`` option (bag pooling) of kusari.functions.embed_id."""
import numpy
import pytest

import kusari
from kusari import gradient_check
from kusari import testing
from kusari.functions import embed_id
from kusari.utils.type_check import InvalidType


def ref(x, W, ignore, reduce):
    out = numpy.zeros(x.shape[:-1] + (W.shape[1],), numpy.float64)
    for idx in numpy.ndindex(*x.shape[:-1]):
        ids = [i for i in x[idx] if ignore is None or i != ignore]
        if ids:
            s = W[ids].astype(numpy.float64).sum(0)
            out[idx] = s / len(ids) if reduce == 'mean' else s
    return out


def bags(shape, n_vocab, ignore, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.randint(0, n_vocab, shape).astype(numpy.int32)
    if ignore is not None:
        x[rng.rand(*shape) < 0.3] = ignore
        x.reshape(-1, shape[-1])[0] = ignore          # one bag of ignored ids only
    return x


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('shape', [(4,), (3, 5), (2, 3, 4)])
@pytest.mark.parametrize('ignore', [None, -1, 2])
@pytest.mark.parametrize('reduce', ['sum', 'mean'])
def test_forward(dtype, shape, ignore, reduce):
    W = numpy.random.RandomState(1).uniform(-1, 1, (6, 3)).astype(dtype)
    x = bags(shape, 6, ignore)
    y = embed_id(x, W, ignore_label=ignore, reduce=reduce)
    assert y.dtype == dtype and y.shape == shape[:-1] + (3,)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else dict(atol=1e-6,
                                                                        rtol=1e-6)
    testing.assert_allclose(y.array, ref(x, W, ignore, reduce), **tol)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('ignore', [None, -1])
@pytest.mark.parametrize('reduce', ['sum', 'mean'])
def test_backward(dtype, ignore, reduce):
    rng = numpy.random.RandomState(2)
    W = rng.uniform(-1, 1, (5, 3)).astype(dtype)
    x = bags((3, 4), 5, ignore)
    gy = rng.uniform(-1, 1, (3, 3)).astype(dtype)
    f = lambda x, W: embed_id(x, W, ignore, reduce)  # noqa: E731
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else dict(atol=1e-4,
                                                                        rtol=1e-4)
    gradient_check.check_backward(f, (x, W), gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, (x, W), gy, rng.randn(5, 3).astype(dtype),
                                         dtype=numpy.float64, **tol)
    # against an explicit scatter
    vW = kusari.Variable(W.astype(numpy.float64))
    y = embed_id(x, vW, ignore, reduce)
    y.grad = gy.astype(numpy.float64)
    y.backward()
    want = numpy.zeros((5, 3))
    for r in range(3):
        ids = [i for i in x[r] if ignore is None or i != ignore]
        for i in ids:
            want[i] += gy[r] / (len(ids) if reduce == 'mean' else 1)
    testing.assert_allclose(vW.grad, want, atol=1e-3, rtol=1e-3)


def test_noncontiguous_ids():
    W = numpy.random.RandomState(0).randn(5, 2)
    x = numpy.asfortranarray(bags((3, 4), 5, -1))
    assert not x.flags.c_contiguous
    testing.assert_allclose(embed_id(x, W, -1, 'mean').array, ref(x, W, -1, 'mean'))


def test_invalid():
    W = numpy.zeros((3, 2), numpy.float32)
    with pytest.raises(ValueError, match='embed_id'):
        embed_id(numpy.zeros((2, 2), numpy.int32), W, reduce='max')
    with pytest.raises(InvalidType, match='EmbedID'):
        embed_id(numpy.array(1, numpy.int32), W, reduce='sum')
    with pytest.raises(InvalidType, match='EmbedID'):
        embed_id(numpy.zeros((2, 2), numpy.float32), W, reduce='sum')
    with pytest.raises(ValueError, match='embed_id'):
        embed_id(numpy.array([[0, 3]], numpy.int32), W, reduce='mean')


@pytest.mark.gpu
def test_gpu():
    import cupy
    W = numpy.random.RandomState(0).randn(5, 3)
    x = bags((3, 4), 5, -1)
    for reduce in ('sum', 'mean'):
        y = embed_id(cupy.asarray(x), cupy.asarray(W), -1, reduce)
        testing.assert_allclose(y.array, ref(x, W, -1, reduce))
        gradient_check.check_backward(
            lambda x, W: embed_id(x, W, -1, reduce), (cupy.asarray(x), cupy.asarray(W)),
            cupy.asarray(numpy.random.randn(3, 3)), atol=1e-4, rtol=1e-4)
