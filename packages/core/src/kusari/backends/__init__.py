"""Array backends: :mod:`kusari.backends.cuda` (CuPy) beside NumPy."""
from kusari.backends import cuda  # noqa: F401
