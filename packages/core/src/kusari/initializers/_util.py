"""Small array helpers shared by the initializers (CPU/GPU agnostic, no CuPy import)."""
import sys

import numpy


def _cupy():
    # CuPy is used only when an array of it is at hand, so it is already imported then.
    return sys.modules.get('cupy')


def is_cupy_array(x):
    """Return True when ``x`` is a :class:`cupy.ndarray` (never imports CuPy)."""
    cupy = _cupy()
    return cupy is not None and isinstance(x, cupy.ndarray)


def is_array(x):
    """Return True when ``x`` is a NumPy or CuPy ndarray."""
    return isinstance(x, numpy.ndarray) or is_cupy_array(x)


def is_scalar(x):
    """Return True when ``x`` is a numeric scalar (Python or NumPy; not a string)."""
    return numpy.isscalar(x) and not isinstance(x, (str, bytes))


def get_xp(array):
    """Return the array module (numpy or cupy) of ``array``."""
    if is_cupy_array(array):
        return _cupy()
    return numpy


def copy_into(dst, src):
    """Assign ``src`` (scalar, NumPy or CuPy array) to ``dst[...]`` across devices.

    The values are broadcast to ``dst.shape`` and cast to ``dst.dtype``.
    """
    if is_cupy_array(dst):
        cupy = _cupy()
        with dst.device:
            if is_cupy_array(src):
                if src.device != dst.device:
                    src = cupy.array(src, copy=True)
            else:
                src = cupy.asarray(numpy.asarray(src))
            dst[...] = src
    else:
        if is_cupy_array(src):
            src = src.get()
        dst[...] = src
