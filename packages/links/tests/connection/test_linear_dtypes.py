"""L.Linear with input and weights of different float dtypes: Chainer v7's rules.

Chainer's ``LinearFunction`` asks only that ``x`` and ``W`` be floating point and that
the bias, when there is one, have ``x``'s dtype; the output has ``x``'s dtype and each
gradient its input's.  So a layer without bias takes float64 input with float32
weights, and a layer with a float32 bias rejects it (``b.dtype == x.dtype``).
"""
import numpy
import pytest

import kusari
import kusari.links as L
from kusari.utils import type_check


def test_nobias_takes_other_float_input_and_keeps_its_dtype():
    rng = numpy.random.RandomState(0)
    link = L.Linear(3, 4, nobias=True)
    assert link.W.dtype == numpy.float32
    x = kusari.Variable(rng.rand(2, 3))                     # float64
    y = link(x)
    assert y.dtype == numpy.float64
    expected = x.array @ link.W.array.astype(numpy.float64).T
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-6)
    gy = rng.rand(2, 4)
    link.cleargrads()          # a new Parameter's gradient is NaN until cleared (Chainer)
    y.grad = gy
    y.backward()
    assert x.grad.dtype == numpy.float64 and link.W.grad.dtype == numpy.float32
    numpy.testing.assert_allclose(x.grad, gy @ link.W.array.astype(numpy.float64),
                                  rtol=1e-6)
    numpy.testing.assert_allclose(link.W.grad, (gy.T @ x.array).astype(numpy.float32),
                                  rtol=1e-6)


def test_bias_must_have_the_input_dtype():
    link = L.Linear(3, 4)
    with pytest.raises(type_check.InvalidType, match=r'b\.dtype == x\.dtype'):
        link(numpy.ones((2, 3), numpy.float64))


def test_integer_input_is_rejected():
    link = L.Linear(3, 4, nobias=True)
    with pytest.raises(type_check.InvalidType):
        link(numpy.ones((2, 3), numpy.int32))
