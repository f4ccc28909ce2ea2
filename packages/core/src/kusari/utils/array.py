"""Array helpers (Chainer's ``chainer.utils.array``).

>>> import numpy
>>> from kusari.utils import array
>>> array.sum_to(numpy.ones((2, 3)), (1, 3))
array([[2., 2., 2.]])
"""
from kusari import backend
from kusari.utils import size_of_shape, sum_to  # noqa: F401  (Chainer's home for them)

__all__ = ['as_vec', 'as_mat', 'empty_like', 'size_of_shape', 'sum_to']


def as_vec(x):
    """``x`` flattened to 1-d (a view when possible); 1-d input is returned as is."""
    if x.ndim == 1:
        return x
    return x.ravel()


def as_mat(x):
    """``x`` as a 2-d array of shape ``(len(x), -1)``; 2-d input is returned as is."""
    if x.ndim == 2:
        return x
    return x.reshape(len(x), -1)


def empty_like(x):
    """An uninitialized array of ``x``'s shape and dtype on its device."""
    return backend.get_array_module(x).empty_like(x)
