"""Tests specific to kusari.functions.log_sigmoid (the shared checks are in
test_extra_activations.py)."""
import numpy

from kusari.functions import log_sigmoid


def test_extreme_inputs():
    with numpy.errstate(all='raise'):
        y = log_sigmoid(numpy.array([-1000.0, 1000.0])).array
    numpy.testing.assert_allclose(y, [-1000.0, 0.0])
