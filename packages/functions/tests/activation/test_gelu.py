"""Tests specific to kusari.functions.gelu (the shared checks are in
test_extra_activations.py)."""
import numpy
import pytest
from scipy import special

from kusari.functions import gelu


def test_tanh_close_to_exact():
    x = numpy.linspace(-5, 5, 101)
    numpy.testing.assert_allclose(gelu(x, 'tanh').array, gelu(x).array, atol=1e-3)
    assert not numpy.allclose(gelu(x, 'tanh').array, gelu(x).array, atol=1e-6, rtol=0)


def test_bad_approximate():
    with pytest.raises(ValueError, match='gelu'):
        gelu(numpy.zeros(3), approximate='erf')


def test_exact_tail_precision():
    # erfc keeps the tiny negative tail exact where 1 + erf would cancel to 0
    x = numpy.array([-10.0, -20.0])
    numpy.testing.assert_allclose(gelu(x).array, x * 0.5 * special.erfc(-x / numpy.sqrt(2)),
                                  rtol=1e-12)
    assert gelu(x).array[0] != 0
