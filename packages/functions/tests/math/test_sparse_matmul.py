import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils import CooMatrix, to_coo
from kusari.utils.type_check import InvalidType


def _sparse_dense(rng, shape, dtype, density=0.5):
    x = rng.uniform(-1, 1, shape)
    x[rng.uniform(0, 1, shape) > density] = 0
    return x.astype(dtype)


def test_to_coo_and_to_dense():
    rng = numpy.random.RandomState(0)
    x = _sparse_dense(rng, (3, 4), numpy.float32)
    a = to_coo(x, ldnz=20)
    assert a.data.shape == (20,) and a.shape == (3, 4) and a.order == 'C'
    nnz = int((x != 0).sum())
    assert (a.row[nnz:] == -1).all() and (a.data.array[nnz:] == 0).all()
    numpy.testing.assert_array_equal(a.to_dense(), x)
    xb = _sparse_dense(rng, (2, 3, 4), numpy.float64)
    b = to_coo(xb, requires_grad=True)
    assert b.data.shape[0] == 2 and b.data.requires_grad
    numpy.testing.assert_array_equal(b.to_dense(), xb)
    with pytest.raises(ValueError, match='to_coo'):
        to_coo(numpy.zeros(3))
    with pytest.raises(ValueError, match='CooMatrix'):
        CooMatrix(numpy.zeros(2), numpy.zeros(2, numpy.int32), numpy.zeros(3, numpy.int32),
                  (2, 2))
    with pytest.raises(ValueError, match='CooMatrix'):
        CooMatrix(numpy.zeros(1), numpy.array([2], numpy.int32),
                  numpy.zeros(1, numpy.int32), (2, 2))


CASES = [
    # sparse is a?, batch, transa, transb
    (True, None, False, False), (True, None, True, False), (True, None, False, True),
    (True, 2, False, False), (True, 2, True, True),
    (False, None, False, False), (False, None, True, True), (False, 2, False, True),
]


def _operands(case, dtype, rng):
    sparse_a, batch, ta, tb = case
    M, K, N = 3, 4, 2
    a_shape = (K, M) if ta else (M, K)
    b_shape = (N, K) if tb else (K, N)
    if batch:
        a_shape, b_shape = (batch,) + a_shape, (batch,) + b_shape
    if sparse_a:
        sp = _sparse_dense(rng, a_shape, dtype)
        dn = rng.uniform(-1, 1, b_shape).astype(dtype)
    else:
        sp = _sparse_dense(rng, b_shape, dtype)
        dn = rng.uniform(-1, 1, a_shape).astype(dtype)
    return sp, dn


def _product(case, sp_coo, dn):
    sparse_a, _, ta, tb = case
    if sparse_a:
        return F.sparse_matmul(sp_coo, dn, ta, tb)
    return F.sparse_matmul(dn, sp_coo, ta, tb)


def _dense_ref(case, sp, dn):
    sparse_a, _, ta, tb = case
    a, b = (sp, dn) if sparse_a else (dn, sp)
    a = numpy.swapaxes(a, -1, -2) if ta else a
    b = numpy.swapaxes(b, -1, -2) if tb else b
    return numpy.matmul(a.astype(numpy.float64), b.astype(numpy.float64))


@pytest.mark.parametrize('case', CASES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward(case, dtype):
    rng = numpy.random.RandomState(0)
    sp, dn = _operands(case, dtype, rng)
    y = _product(case, to_coo(sp, ldnz=30), dn)
    assert y.dtype == dtype
    tol = 1e-2 if dtype == numpy.float16 else 1e-6
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), _dense_ref(case, sp, dn),
                                  atol=tol, rtol=tol)
    y2 = _product(case, to_coo(sp, ldnz=30), numpy.asfortranarray(dn))
    numpy.testing.assert_allclose(y2.array, y.array, atol=tol)


@pytest.mark.parametrize('case', CASES)
def test_backward(case):
    rng = numpy.random.RandomState(1)
    sp, dn = _operands(case, numpy.float64, rng)
    coo = to_coo(sp, ldnz=30)
    row, col, shape = coo.row, coo.col, coo.shape

    def f(data, dense):
        return _product(case, CooMatrix(data, row, col, shape), dense)
    # CooMatrix wraps a Variable argument: rebuild its data from the checked variable
    def g(data, dense):
        m = CooMatrix(data.array, row, col, shape)
        m.data = data
        return _product(case, m, dense)
    y = f(coo.data.array, dn)
    gy = rng.uniform(-1, 1, y.shape)
    args = (coo.data.array.copy(), dn)
    gradient_check.check_backward(g, args, gy)
    gradient_check.check_double_backward(
        g, args, gy, tuple(rng.uniform(-1, 1, a.shape) for a in args))
    a16 = tuple(a.astype(numpy.float16) for a in args)
    gradient_check.check_backward(g, a16, gy.astype(numpy.float16),
                                  dtype=numpy.float64, atol=5e-2, rtol=5e-2)
    # gradient of the padding entries is zero
    dv = kusari.Variable(args[0].copy())
    yv = g(dv, dn)
    yv.grad = gy
    yv.backward()
    pad = (row < 0)
    assert (dv.grad[pad] == 0).all()


def test_invalid():
    a = to_coo(numpy.eye(3, dtype=numpy.float32))
    with pytest.raises(InvalidType, match='sparse_matmul'):
        F.sparse_matmul(a, numpy.zeros((4, 2), numpy.float32))
    with pytest.raises(InvalidType, match='sparse_matmul'):
        F.sparse_matmul(a, numpy.zeros((2, 3, 2), numpy.float32))
    with pytest.raises(ValueError, match='sparse_matmul'):
        F.sparse_matmul(numpy.eye(3), numpy.eye(3))


@pytest.mark.gpu
def test_gpu():
    import cupy
    rng = numpy.random.RandomState(0)
    sp = _sparse_dense(rng, (3, 4), numpy.float32)
    dn = rng.uniform(-1, 1, (4, 2)).astype(numpy.float32)
    y = F.sparse_matmul(to_coo(cupy.asarray(sp)), cupy.asarray(dn))
    numpy.testing.assert_allclose(y.array.get(), sp @ dn, atol=1e-5)


# ---- mixed float dtypes and Chainer's CooMatMul node --------------------------------

@pytest.mark.parametrize('ds, dd', [(numpy.float16, numpy.float32),
                                    (numpy.float32, numpy.float64),
                                    (numpy.float64, numpy.float16)])
@pytest.mark.parametrize('sparse_first', [True, False])
def test_mixed_dtypes(ds, dd, sparse_first):
    rng = numpy.random.RandomState(3)
    s = _sparse_dense(rng, (3, 4), ds)
    d = rng.uniform(-1, 1, (4, 2) if sparse_first else (2, 3)).astype(dd)
    out = numpy.result_type(ds, dd)
    sp = to_coo(s, requires_grad=True)
    dv = kusari.Variable(d)
    y = F.sparse_matmul(sp, dv) if sparse_first else F.sparse_matmul(dv, sp)
    ref = (s.astype(numpy.float64) @ d if sparse_first else d.astype(numpy.float64) @ s)
    assert y.dtype == out
    numpy.testing.assert_allclose(y.array, ref.astype(out), rtol=1e-3, atol=1e-3)
    y.grad = numpy.ones(y.shape, out)
    y.backward()
    assert sp.data.grad.dtype == ds and dv.grad.dtype == dd


@pytest.mark.parametrize('transa, transb, transc', [
    (False, False, False), (True, False, False), (False, True, False),
    (True, True, True), (False, False, True)])
@pytest.mark.parametrize('ds, dd', [(numpy.float32, numpy.float32),
                                    (numpy.float16, numpy.float64)])
def test_coo_mat_mul_node(transa, transb, transc, ds, dd):
    from kusari.functions.math.sparse_matmul import CooMatMul
    rng = numpy.random.RandomState(4)
    s = _sparse_dense(rng, (4, 3) if transa else (3, 4), ds)
    d = rng.uniform(-1, 1, (2, 4) if transb else (4, 2)).astype(dd)
    sp = to_coo(s)
    node = CooMatMul(sp.row, sp.col, sp.shape, sp.order, transa=transa, transb=transb,
                     transc=transc)
    y = node.apply((sp.data.array, d))[0]
    ref = ((s.T if transa else s).astype(numpy.float64)
           @ (d.T if transb else d).astype(numpy.float64))
    ref = ref.T if transc else ref
    assert y.dtype == numpy.result_type(ds, dd)
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-2, atol=1e-2)
    gy = rng.uniform(-1, 1, y.shape).astype(y.dtype)

    def f(values, dense):
        return CooMatMul(sp.row, sp.col, sp.shape, sp.order, transa=transa,
                         transb=transb, transc=transc).apply((values, dense))[0]

    tol = dict(atol=5e-2, rtol=5e-2) if numpy.float16 in (ds, dd) else {}
    gradient_check.check_backward(f, (sp.data.array, d), gy, dtype=numpy.float64, **tol)
    gga = to_coo(_sparse_dense(rng, s.shape, ds) * (s != 0)).data.array
    ggv = numpy.zeros(sp.data.shape, ds)
    ggv[:len(gga)] = gga[:len(ggv)]
    ggd = rng.uniform(-1, 1, d.shape).astype(dd)
    gradient_check.check_double_backward(f, (sp.data.array, d), gy, (ggv, ggd),
                                         dtype=numpy.float64, **tol)
