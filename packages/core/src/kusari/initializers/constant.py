"""Deterministic initializers: constants and the (scaled) identity matrix."""
import numpy

from kusari import initializer
from kusari.initializers import _util


class Identity(initializer.Initializer):
    """Initializes a square matrix with a multiple of the identity matrix.

    The array becomes ``scale * I``: ``scale`` on the diagonal, zero elsewhere.

    Args:
        scale (scalar): The value put on the diagonal.
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).

    Attributes:
        scale (scalar): The value put on the diagonal.
        dtype: Data type specifier.

    Raises (on call):
        ValueError: the array is not a 2-D square matrix ``(n, n)``.

    """

    def __init__(self, scale=1.0, dtype=None):
        self.scale = scale
        super().__init__(dtype)

    def __call__(self, array):
        """Fill ``array`` (shape ``(n, n)``) with ``scale`` times the identity."""
        self._check_dtype(array)
        shape = array.shape
        if len(shape) != 2 or shape[0] != shape[1]:
            raise ValueError(
                'Identity: the identity initializer can only be used for 2-D square '
                'matrices, but the array has shape {}'.format(shape))
        xp = _util.get_xp(array)
        array[...] = 0
        xp.fill_diagonal(array, self.scale)


class _Constant(initializer.Initializer):
    # Base of the constant initializers: fills the array with ``fill_value``.

    fill_value = None

    def __init__(self, dtype=None):
        value = self.fill_value
        if not (_util.is_array(value) or _util.is_scalar(value)):
            raise ValueError(
                '{}: fill_value must be a scalar, a numpy.ndarray or a cupy.ndarray, '
                'but got {}'.format(type(self).__name__, type(value).__name__))
        super().__init__(dtype)

    def __call__(self, array):
        """Fill ``array`` with ``fill_value`` (broadcast to the array's shape)."""
        self._check_dtype(array)
        try:
            _util.copy_into(array, self.fill_value)
        except ValueError as e:
            raise ValueError(
                '{}: cannot broadcast fill_value of shape {} to the array shape {}'
                .format(type(self).__name__, numpy.shape(self.fill_value),
                        array.shape)) from e


class Constant(_Constant):
    """Initializes an array with a constant value.

    Args:
        fill_value (scalar, numpy.ndarray or cupy.ndarray): The value assigned to
            the array.  An array value is broadcast to the initialized array's
            shape.
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).

    Attributes:
        fill_value: The value assigned to initialized arrays.
        dtype: Data type specifier.

    """

    def __init__(self, fill_value, dtype=None):
        self.fill_value = fill_value
        super().__init__(dtype)


class Zero(_Constant):
    """Initializes an array with zeros.

    Args:
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).

    """

    fill_value = 0.0


class One(_Constant):
    """Initializes an array with ones.

    Args:
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).

    """

    fill_value = 1.0


class NaN(_Constant):
    """Initializes an array with NaN (the default of not-yet-set parameters).

    Args:
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).

    """

    fill_value = numpy.nan
