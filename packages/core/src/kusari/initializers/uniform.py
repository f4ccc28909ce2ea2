"""Initializers drawing from symmetric uniform distributions."""
import math

import numpy

from kusari import initializer
from kusari.initializers import _util


def _fill_uniform(array, scale, rng):
    # Fill ``array`` with U(-scale, scale) samples.  Without ``rng`` the global RNG
    # of the array's module is used (numpy.random on CPU, cupy.random on GPU).
    shape = array.shape
    if rng is not None:
        _util.copy_into(array, rng.uniform(low=-scale, high=scale, size=shape))
        return
    if _util.is_cupy_array(array):
        cupy = _util.get_xp(array)
        kwargs = {}
        if array.dtype in (numpy.float16, numpy.float32):
            kwargs['dtype'] = numpy.float32
        with array.device:
            array[...] = cupy.random.uniform(low=-scale, high=scale, size=shape, **kwargs)
    else:
        array[...] = numpy.random.uniform(low=-scale, high=scale, size=shape)


class Uniform(initializer.Initializer):
    """Initializes an array with samples of the uniform distribution on ``[-scale, scale]``.

    The samples are drawn in float64 (float32 on GPU for float16/float32 arrays)
    and cast to the array's dtype.

    Args:
        scale (float): Half-width of the interval.
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).
        rng: Random number generator with a ``uniform(low, high, size)`` method
            (``numpy.random.RandomState``, ``numpy.random.Generator`` or
            ``cupy.random.RandomState``).  ``None`` (default) uses the global RNG of
            the array's module: ``numpy.random`` for NumPy arrays, ``cupy.random``
            for CuPy arrays.

    Attributes:
        scale (float): Half-width of the interval.
        dtype: Data type specifier.
        rng: The random number generator, or ``None``.

    """

    def __init__(self, scale=0.05, dtype=None, *, rng=None):
        self.scale = scale
        self.rng = rng
        super().__init__(dtype)

    def __call__(self, array):
        """Fill ``array`` (any shape) with :math:`U(-scale, scale)` samples."""
        self._check_dtype(array)
        _fill_uniform(array, self.scale, self.rng)


class LeCunUniform(initializer.Initializer):
    """Initializes an array with LeCun's scaled uniform distribution.

    Each element is drawn from :math:`U(-s, s)` with
    :math:`s = scale \\sqrt{3 / fan_{in}}` (fan from
    :func:`~kusari.initializer.get_fans`), i.e. the variance is
    :math:`scale^2 / fan_{in}`.

    Reference: LeCun et al., *Efficient BackProp*, 1998.

    Args:
        scale (float): Multiplier of the half-width.
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).
        rng: Random number generator, or ``None`` for the global one (see
            :class:`Uniform`).

    """

    def __init__(self, scale=1.0, dtype=None, *, rng=None):
        self.scale = scale
        self.rng = rng
        super().__init__(dtype)

    def __call__(self, array):
        """Fill ``array`` (shape ``(out, in, ...)``) with the scaled uniform samples."""
        self._check_dtype(array)
        fan_in, _ = initializer.get_fans(array.shape)
        _fill_uniform(array, self.scale * math.sqrt(3.0 / fan_in), self.rng)


class GlorotUniform(initializer.Initializer):
    """Initializes an array with Glorot's (Xavier's) scaled uniform distribution.

    Each element is drawn from :math:`U(-s, s)` with
    :math:`s = scale \\sqrt{6 / (fan_{in} + fan_{out})}` (fans from
    :func:`~kusari.initializer.get_fans`).

    Reference: Glorot & Bengio, AISTATS 2010.

    Args:
        scale (float): Multiplier of the half-width.
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).
        rng: Random number generator, or ``None`` for the global one (see
            :class:`Uniform`).

    """

    def __init__(self, scale=1.0, dtype=None, *, rng=None):
        self.scale = scale
        self.rng = rng
        super().__init__(dtype)

    def __call__(self, array):
        """Fill ``array`` (shape ``(out, in, ...)``) with the scaled uniform samples."""
        self._check_dtype(array)
        fan_in, fan_out = initializer.get_fans(array.shape)
        _fill_uniform(array, self.scale * math.sqrt(6.0 / (fan_in + fan_out)), self.rng)


class HeUniform(initializer.Initializer):
    """Initializes an array with He's (Kaiming's) scaled uniform distribution.

    Each element is drawn from :math:`U(-s, s)` with
    :math:`s = scale \\sqrt{6 / fan_{in}}` (fan from
    :func:`~kusari.initializer.get_fans`).

    Reference: He et al., https://arxiv.org/abs/1502.01852

    Args:
        scale (float): Multiplier of the half-width.
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).
        rng: Random number generator, or ``None`` for the global one (see
            :class:`Uniform`).

    """

    def __init__(self, scale=1.0, dtype=None, *, rng=None):
        self.scale = scale
        self.rng = rng
        super().__init__(dtype)

    def __call__(self, array):
        """Fill ``array`` (shape ``(out, in, ...)``) with the scaled uniform samples."""
        self._check_dtype(array)
        fan_in, _ = initializer.get_fans(array.shape)
        _fill_uniform(array, self.scale * math.sqrt(6.0 / fan_in), self.rng)
