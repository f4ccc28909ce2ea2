import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType


def _sig(x):
    return 1 / (1 + numpy.exp(-x))


def ref_tree_lstm(cs, x):
    n = len(cs)
    x = x.astype(numpy.float64)
    u = x.shape[1] // (3 + n)
    blocks = [x[:, k * u:(k + 1) * u] for k in range(3 + n)]
    c = numpy.tanh(blocks[0]) * _sig(blocks[1])
    for k in range(n):
        c = c + _sig(blocks[3 + k]) * cs[k].astype(numpy.float64)
    return c, _sig(blocks[2]) * numpy.tanh(c)


CASES = [(1, (3, 2)), (2, (2, 3)), (3, (2, 2, 2))]   # n children, c shape


@pytest.mark.parametrize('n,cshape', CASES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward(n, cshape, dtype):
    rng = numpy.random.RandomState(0)
    cs = [rng.uniform(-1, 1, cshape).astype(dtype) for _ in range(n)]
    x = rng.uniform(-2, 2, (cshape[0], (3 + n) * cshape[1]) + cshape[2:]).astype(dtype)
    c, h = F.tree_lstm(*cs, x)
    rc, rh = ref_tree_lstm(cs, x)
    tol = 5e-3 if dtype == numpy.float16 else 1e-6
    assert c.dtype == dtype and h.dtype == dtype
    numpy.testing.assert_allclose(c.array.astype(numpy.float64), rc, atol=tol, rtol=tol)
    numpy.testing.assert_allclose(h.array.astype(numpy.float64), rh, atol=tol, rtol=tol)
    xn = numpy.asfortranarray(x)
    c2, h2 = F.tree_lstm(*[numpy.asfortranarray(v) for v in cs], xn)
    numpy.testing.assert_allclose(h2.array, h.array, atol=tol)


@pytest.mark.parametrize('n,cshape', CASES)
def test_backward(n, cshape):
    rng = numpy.random.RandomState(1)
    args = [rng.uniform(-1, 1, cshape) for _ in range(n)]
    args.append(rng.uniform(-2, 2, (cshape[0], (3 + n) * cshape[1]) + cshape[2:]))
    gys = (rng.uniform(-1, 1, cshape), rng.uniform(-1, 1, cshape))
    gradient_check.check_backward(F.tree_lstm, tuple(args), gys)
    gradient_check.check_double_backward(
        F.tree_lstm, tuple(args), gys, tuple(rng.uniform(-1, 1, a.shape) for a in args))
    a16 = tuple(a.astype(numpy.float16) for a in args)
    gradient_check.check_backward(F.tree_lstm, a16,
                                  tuple(g.astype(numpy.float16) for g in gys),
                                  dtype=numpy.float64, atol=5e-2, rtol=5e-2)


def test_invalid():
    c = numpy.zeros((2, 3), numpy.float32)
    x = numpy.zeros((2, 15), numpy.float32)
    with pytest.raises(InvalidType, match='tree_lstm'):
        F.tree_lstm(c, x)                 # needs 4 * 3 columns
    with pytest.raises(InvalidType, match='tree_lstm'):
        F.tree_lstm(c, c.astype(numpy.float64), x)
    with pytest.raises(InvalidType, match='tree_lstm'):
        F.tree_lstm(c[:1], c, x)
    with pytest.raises(InvalidType, match='tree_lstm'):
        F.tree_lstm(x)


@pytest.mark.gpu
def test_gpu():
    import cupy
    rng = numpy.random.RandomState(0)
    c = rng.uniform(-1, 1, (2, 3)).astype(numpy.float32)
    x = rng.uniform(-1, 1, (2, 12)).astype(numpy.float32)
    cg, hg = F.tree_lstm(cupy.asarray(c), cupy.asarray(x))
    cc, hc = F.tree_lstm(c, x)
    numpy.testing.assert_allclose(hg.array.get(), hc.array, atol=1e-6)
