import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check


def _f(x, y):
    return x * y * 2 + x * x


def _g(x, y):
    return x + y, x * y


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward_backward(dtype):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (3, 2)).astype(dtype)
    y = rng.uniform(-1, 1, (3, 2)).astype(dtype)
    out = F.forget(_f, x, y)
    assert out.dtype == dtype
    numpy.testing.assert_allclose(out.array, _f(x, y))
    # the intermediate nodes are not kept: the output's creator is the Forget node
    out_v = F.forget(_f, kusari.Variable(x), kusari.Variable(y))
    assert type(out_v.creator).__name__ == 'Forget'
    assert all(n.creator is None for n in out_v.creator.inputs)
    gy = rng.uniform(-1, 1, (3, 2)).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(lambda x, y: F.forget(_f, x, y), (x, y), gy,
                                  dtype=numpy.float64, **tol)


def test_multiple_outputs_and_partial_grads():
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, (2, 3))
    y = rng.uniform(-1, 1, (2, 3))
    gys = (rng.uniform(-1, 1, (2, 3)), rng.uniform(-1, 1, (2, 3)))
    gradient_check.check_backward(lambda x, y: F.forget(_g, x, y), (x, y), gys)
    xv, yv = kusari.Variable(x), kusari.Variable(y)
    a, b = F.forget(_g, xv, yv)
    kusari.backward([b], [numpy.ones((2, 3))])    # only the second output
    numpy.testing.assert_allclose(xv.grad, y)
    numpy.testing.assert_allclose(yv.grad, x)


def test_noncontiguous_and_unused_input():
    x = numpy.asfortranarray(numpy.arange(6.).reshape(2, 3))
    y = numpy.ones((2, 3))
    xv, yv = kusari.Variable(x), kusari.Variable(y)
    out = F.forget(lambda a, b: a * 3.0, xv, yv)
    kusari.backward([out], [numpy.ones((2, 3))])
    numpy.testing.assert_allclose(xv.grad, numpy.full((2, 3), 3.0))
    assert yv.grad is None


def test_double_backprop_not_allowed():
    xv = kusari.Variable(numpy.ones(3))
    out = F.forget(lambda a: a * a, xv)
    with pytest.raises(RuntimeError, match='forget'):
        kusari.grad([out], [xv], [kusari.Variable(numpy.ones(3))],
                    enable_double_backprop=True)


def test_bad_input():
    with pytest.raises(RuntimeError, match='forget'):
        F.forget(lambda a: a.array, numpy.ones(3))
    with pytest.raises(TypeError, match='forget'):
        F.forget(3, numpy.ones(3))


@pytest.mark.gpu
def test_gpu():
    import cupy
    xv = kusari.Variable(cupy.arange(3, dtype=numpy.float32))
    out = F.forget(lambda a: a * a, xv)
    kusari.backward([out], [cupy.ones(3, numpy.float32)])
    cupy.testing.assert_allclose(xv.grad, 2 * xv.array)


@pytest.mark.parametrize('n, word', [(1, '1st'), (2, '2nd'), (3, '3rd'), (4, '4th'),
                                     (11, '11th'), (12, '12th'), (13, '13th'),
                                     (21, '21st')])
def test_non_variable_output_is_named_by_its_ordinal(n, word):
    x = kusari.Variable(numpy.ones(2))

    def f(x):
        return tuple(x for _ in range(n - 1)) + (1,)

    with pytest.raises(RuntimeError, match=word + '.*int'):
        F.forget(f, x)


def test_the_recomputation_runs_in_recomputing_mode():
    seen = []

    def f(x):
        seen.append((kusari.config.in_recomputing,
                     getattr(kusari.config, '_will_recompute', False)))
        return x * 2

    x = kusari.Variable(numpy.ones(2))
    y = F.forget(f, x)
    y.grad = numpy.ones(2)
    y.backward()
    assert seen == [(False, True), (True, False)]
