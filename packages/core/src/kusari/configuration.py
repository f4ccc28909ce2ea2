"""Configuration: ``kusari.config`` (thread-local) over ``kusari.global_config``.

The values live in the Cython core so that the hot flags (``enable_backprop``,
``train``, ``type_check``, ``debug``) cost one C read per operation.
"""
import numpy

from kusari._core import (  # noqa: F401
    GlobalConfig,
    LocalConfig,
    config,
    global_config,
    using_config,
)

__all__ = ['GlobalConfig', 'LocalConfig', 'config', 'global_config', 'using_config',
           'mixed16', 'get_dtype']


class _Mixed16:
    # NumPy reads the ``dtype`` attribute, so numpy.dtype(mixed16) is float16.
    dtype = numpy.dtype(numpy.float16)
    # the config store keeps this object as it is (other dtypes are normalized)
    _kusari_keep_as_dtype = True

    def __repr__(self):
        return "dtype('mixed16')"


#: Dtype-like object for 16/32-bit mixed precision (``config.dtype = mixed16``):
#: arrays are float16 unless a caller maps it (``get_dtype(map_mixed16=...)``).
mixed16 = _Mixed16()


def get_dtype(dtype=None, map_mixed16=None):
    """The dtype ``dtype`` names, or the configured default ``config.dtype``.

    Args:
        dtype: A dtype specifier, or ``None`` for ``config.dtype``.
        map_mixed16: What :data:`mixed16` stands for here (float16 when
            ``None``), e.g. float32 for parameters kept in single precision.

    Returns:
        numpy.dtype: The dtype.

    >>> get_dtype(numpy.float64)
    dtype('float64')
    >>> get_dtype(mixed16), get_dtype(mixed16, map_mixed16=numpy.float32)
    (dtype('float16'), dtype('float32'))
    """
    if dtype is None:
        dtype = config.dtype
    if dtype is mixed16 and map_mixed16 is not None:
        dtype = map_mixed16
    return numpy.dtype(dtype)
