"""Tests specific to kusari.functions.mish (the shared checks are in
test_extra_activations.py)."""
import numpy

from kusari.functions import mish


def test_large_inputs_do_not_overflow():
    with numpy.errstate(all='raise'):
        y = mish(numpy.array([-1000.0, 1000.0])).array
    numpy.testing.assert_allclose(y, [0.0, 1000.0])
