"""Initializers drawing from zero-mean Gaussian distributions."""
import math

import numpy

from kusari import initializer
from kusari.initializers import _util


def _fill_normal(array, scale, rng):
    # Fill ``array`` with N(0, scale^2) samples.  Without ``rng`` the global RNG of
    # the array's module is used (numpy.random on CPU, cupy.random on GPU).
    shape = array.shape
    if rng is not None:
        _util.copy_into(array, rng.normal(loc=0.0, scale=scale, size=shape))
        return
    if _util.is_cupy_array(array):
        cupy = _util.get_xp(array)
        kwargs = {}
        if array.dtype in (numpy.float16, numpy.float32):
            # cuRAND has no float16; float32 is enough for both.
            kwargs['dtype'] = numpy.float32
        with array.device:
            array[...] = cupy.random.normal(loc=0.0, scale=scale, size=shape, **kwargs)
    else:
        array[...] = numpy.random.normal(loc=0.0, scale=scale, size=shape)


class Normal(initializer.Initializer):
    """Initializes an array with samples of a zero-mean normal distribution.

    Each element is drawn independently from :math:`N(0, scale^2)`.  The samples are
    drawn in float64 (float32 on GPU for float16/float32 arrays) and cast to the
    array's dtype.

    Args:
        scale (float): Standard deviation of the distribution.
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).
        rng: Random number generator with a ``normal(loc, scale, size)`` method
            (``numpy.random.RandomState``, ``numpy.random.Generator`` or
            ``cupy.random.RandomState``).  ``None`` (default) uses the global RNG of
            the array's module: ``numpy.random`` for NumPy arrays, ``cupy.random``
            for CuPy arrays.

    Attributes:
        scale (float): Standard deviation.
        dtype: Data type specifier.
        rng: The random number generator, or ``None``.

    """

    def __init__(self, scale=0.05, dtype=None, *, rng=None):
        self.scale = scale
        self.rng = rng
        super().__init__(dtype)

    def __call__(self, array):
        """Fill ``array`` (any shape) with :math:`N(0, scale^2)` samples."""
        self._check_dtype(array)
        _fill_normal(array, self.scale, self.rng)


class LeCunNormal(initializer.Initializer):
    """Initializes an array with LeCun's scaled normal distribution.

    Each element is drawn from a zero-mean normal distribution with standard
    deviation :math:`scale \\sqrt{1 / fan_{in}}`, where :math:`fan_{in}` is given by
    :func:`~kusari.initializer.get_fans` (so the array needs at least 2 axes).

    Reference: LeCun et al., *Efficient BackProp*, 1998.

    Args:
        scale (float): Multiplier of the standard deviation.
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).
        rng: Random number generator, or ``None`` for the global one (see
            :class:`Normal`).

    """

    def __init__(self, scale=1.0, dtype=None, *, rng=None):
        self.scale = scale
        self.rng = rng
        super().__init__(dtype)

    def __call__(self, array):
        """Fill ``array`` (shape ``(out, in, ...)``) with the scaled normal samples."""
        self._check_dtype(array)
        fan_in, _ = initializer.get_fans(array.shape)
        _fill_normal(array, self.scale * math.sqrt(1.0 / fan_in), self.rng)


class GlorotNormal(initializer.Initializer):
    """Initializes an array with Glorot's (Xavier's) scaled normal distribution.

    Each element is drawn from a zero-mean normal distribution with standard
    deviation :math:`scale \\sqrt{2 / (fan_{in} + fan_{out})}` (fans from
    :func:`~kusari.initializer.get_fans`).

    Reference: Glorot & Bengio, AISTATS 2010.

    Args:
        scale (float): Multiplier of the standard deviation.
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).
        rng: Random number generator, or ``None`` for the global one (see
            :class:`Normal`).

    """

    def __init__(self, scale=1.0, dtype=None, *, rng=None):
        self.scale = scale
        self.rng = rng
        super().__init__(dtype)

    def __call__(self, array):
        """Fill ``array`` (shape ``(out, in, ...)``) with the scaled normal samples."""
        self._check_dtype(array)
        fan_in, fan_out = initializer.get_fans(array.shape)
        _fill_normal(array, self.scale * math.sqrt(2.0 / (fan_in + fan_out)), self.rng)


class HeNormal(initializer.Initializer):
    """Initializes an array with He's (Kaiming's) scaled normal distribution.

    Each element is drawn from a zero-mean normal distribution with standard
    deviation :math:`scale \\sqrt{2 / fan}`, where :math:`fan` is
    :math:`fan_{in}` when ``fan_option == 'fan_in'`` and :math:`fan_{out}` when
    ``fan_option == 'fan_out'`` (fans from :func:`~kusari.initializer.get_fans`).

    Reference: He et al., https://arxiv.org/abs/1502.01852

    Args:
        scale (float): Multiplier of the standard deviation.
        dtype: Data type specifier (see :class:`~kusari.initializer.Initializer`).
        fan_option ({'fan_in', 'fan_out'}): Which fan sets the standard deviation.
        rng: Random number generator, or ``None`` for the global one (see
            :class:`Normal`).

    """

    def __init__(self, scale=1.0, dtype=None, fan_option='fan_in', *, rng=None):
        if fan_option not in ('fan_in', 'fan_out'):
            raise ValueError(
                "HeNormal: fan_option must be 'fan_in' or 'fan_out', but got "
                '{!r}'.format(fan_option))
        self.scale = scale
        self.fan_option = fan_option
        self.rng = rng
        super().__init__(dtype)

    def __call__(self, array):
        """Fill ``array`` (shape ``(out, in, ...)``) with the scaled normal samples."""
        self._check_dtype(array)
        fan_in, fan_out = initializer.get_fans(array.shape)
        if self.fan_option == 'fan_in':
            fan = fan_in
        elif self.fan_option == 'fan_out':
            fan = fan_out
        else:
            raise ValueError(
                "HeNormal: fan_option must be 'fan_in' or 'fan_out', but got "
                '{!r}'.format(self.fan_option))
        _fill_normal(array, self.scale * math.sqrt(2.0 / fan), self.rng)
