"""Chainer's ``chainer.backends._cpu`` names (code and tests import them).

>>> import numpy
>>> from kusari.backends import _cpu
>>> _cpu._to_cpu(numpy.zeros(2)).tolist()
[0.0, 0.0]
"""
from kusari.backend import CpuDevice  # noqa: F401


def _to_cpu(array):
    """``array`` as a NumPy array (``None`` stays ``None``)."""
    if array is None:
        return None
    from kusari import backend
    return backend.to_cpu(array)
