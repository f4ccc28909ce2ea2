"""``chainerx``, provided by kusari-compat: Chainer's stub for a build without
ChainerX.  kusari has no ChainerX backend, so :func:`is_available` is ``False``
and :class:`ndarray` only serves ``isinstance`` checks (which are always false).
"""

_available = False


class ndarray:
    """Dummy class for type testing."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError('chainerx is not available.')


def is_available():
    """Whether ChainerX is available: always ``False`` with kusari."""
    return _available
