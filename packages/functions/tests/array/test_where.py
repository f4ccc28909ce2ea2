import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _noncontig(a):
    b = numpy.empty(a.shape + (2,), a.dtype)[..., 0]
    b[...] = a
    return b


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(3, 4), (5,), ()])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, shape, contiguous):
    c = numpy.asarray(numpy.random.uniform(size=shape) > 0.5)
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = numpy.random.uniform(-1, 1, shape).astype(dtype)
    nc = (lambda a: a) if contiguous or not shape else _noncontig
    out = F.where(nc(c), nc(x), nc(y))
    expected = numpy.array([xi if ci else yi for ci, xi, yi in
                            zip(c.ravel(), x.ravel(), y.ravel())],
                           dtype).reshape(shape)
    numpy.testing.assert_array_equal(out.array, expected)
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    gradient_check.check_backward(F.where, (c, x, y), gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(F.where, (c, x, y), gy, (x, y),
                                         dtype=numpy.float64, **tol)


def test_gradient_values():
    c = numpy.array([True, False])
    x = kusari.Variable(numpy.zeros(2, numpy.float32))
    y = kusari.Variable(numpy.zeros(2, numpy.float32))
    out = F.where(kusari.Variable(c), x, y)
    out.grad = numpy.array([3, 4], numpy.float32)
    out.backward()
    numpy.testing.assert_array_equal(x.grad, [3, 0])
    numpy.testing.assert_array_equal(y.grad, [0, 4])


@pytest.mark.parametrize('c,x,y', [
    (numpy.zeros(3, numpy.int32), numpy.zeros(3, numpy.float32),
     numpy.zeros(3, numpy.float32)),
    (numpy.zeros(3, bool), numpy.zeros(3, numpy.float32), numpy.zeros(3, numpy.float64)),
    (numpy.zeros(3, bool), numpy.zeros(2, numpy.float32), numpy.zeros(3, numpy.float32)),
    (numpy.zeros(3, bool), numpy.zeros(3, numpy.float32), numpy.zeros(2, numpy.float32)),
])
def test_invalid(c, x, y):
    with pytest.raises(InvalidType, match='Where'):
        F.where(c, x, y)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('cs, xs, ys', [((4,), (3, 1, 1), (2, 1)),
                                        ((3, 2, 4), (4,), ()),
                                        ((1,), (3, 2), (3, 2))])
def test_broadcast(dtype, cs, xs, ys):
    rng = numpy.random.RandomState(0)
    c = rng.uniform(-1, 1, cs) > 0
    x = rng.uniform(-1, 1, xs).astype(dtype)
    y = rng.uniform(-1, 1, ys).astype(dtype)
    z = F.where(c, x, y)
    numpy.testing.assert_array_equal(z.array, numpy.where(c, x, y))
    gz = rng.uniform(-1, 1, z.shape).astype(dtype)
    # reference gradients: gz where chosen, summed over the broadcast axes
    cb = numpy.broadcast_to(c, z.shape)
    vx, vy = kusari.Variable(x), kusari.Variable(y)
    out = F.where(c, vx, vy)
    out.grad = gz
    out.backward()

    def reduce_to(g, shape):
        g = g.sum(axis=tuple(range(g.ndim - len(shape))))
        return g.sum(axis=tuple(i for i, n in enumerate(shape) if n == 1),
                     keepdims=True).reshape(shape)

    numpy.testing.assert_allclose(vx.grad, reduce_to(numpy.where(cb, gz, 0), xs),
                                  rtol=1e-3)
    numpy.testing.assert_allclose(vy.grad, reduce_to(numpy.where(cb, 0, gz), ys),
                                  rtol=1e-3)
    opts = dict(atol=1e-3, rtol=1e-3) if dtype == numpy.float16 else {}
    ggs = (rng.uniform(-1, 1, xs).astype(dtype), rng.uniform(-1, 1, ys).astype(dtype))
    gradient_check.check_double_backward(lambda x, y: F.where(c, x, y), (x, y), gz, ggs,
                                         dtype=numpy.float64, **opts)
