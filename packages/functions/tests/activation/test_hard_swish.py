"""Tests specific to kusari.functions.hard_swish (the shared checks are in
test_extra_activations.py)."""
import numpy

import kusari
from kusari.functions import hard_swish


def test_pieces():
    x = numpy.array([-5.0, -3.0, -1.5, 0.0, 2.0, 3.0, 7.0])
    numpy.testing.assert_allclose(hard_swish(x).array,
                                  [0.0, 0.0, -0.375, 0.0, 5 / 3, 3.0, 7.0])
    v = kusari.Variable(x)
    y = hard_swish(v)
    y.grad = numpy.ones_like(x)
    y.backward()
    # PyTorch's convention at the kinks: x < -3 -> 0, -3 <= x <= 3 -> x/3 + 1/2
    numpy.testing.assert_allclose(v.grad, [0.0, -0.5, 0.0, 0.5, 7 / 6, 1.5, 1.0])
