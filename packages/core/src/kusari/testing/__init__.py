"""Testing utilities (``chainer.testing``).

* :func:`assert_allclose`: elementwise closeness of Variables / NumPy / CuPy arrays
  with an informative failure message.
* :mod:`~kusari.testing.attr`: pytest markers (``attr.gpu``, ``attr.slow``, ...).
* :func:`parameterize`, :func:`product`, :func:`product_dict`: parameterized test
  classes.
* :func:`fix_random`: fixed random seeds for a test.
* :mod:`~kusari.testing.condition`: ``repeat`` / ``retry`` of stochastic tests.
"""
from kusari.testing import attr  # NOQA
from kusari.testing import condition  # NOQA
from kusari.testing.array import assert_allclose  # NOQA
from kusari.testing.parameterized import parameterize  # NOQA
from kusari.testing.parameterized import product  # NOQA
from kusari.testing.parameterized import product_dict  # NOQA
from kusari.testing.random import fix_random  # NOQA

__all__ = ['attr', 'condition', 'assert_allclose', 'parameterize', 'product',
           'product_dict', 'fix_random']
