"""Test attributes (pytest markers), as in ``chainer.testing.attr``.

``attr.gpu`` marks a test ``@pytest.mark.gpu`` and skips it when CuPy or a CUDA
device is unavailable; ``attr.slow`` marks ``@pytest.mark.slow``;
``attr.multi_gpu(n)`` needs ``n`` devices; ``attr.chainerx`` and ``attr.ideep`` mark
``@pytest.mark.chainerx`` / ``ideep`` and always skip (kusari has neither backend).
When pytest itself is not installed
every attribute is a no-op decorator, so importing :mod:`kusari.testing` never
requires pytest.
"""
import functools
import importlib.util

try:
    import pytest
    _error = None
except ImportError as e:  # pragma: no cover - pytest is a test-only dependency
    pytest = None
    _error = e


def is_available():
    """Whether pytest (which the markers need) is importable."""
    return _error is None


def get_error():
    """The ImportError of pytest, or ``None``."""
    return _error


def check_available():
    """Raise RuntimeError when pytest is not importable."""
    if _error is not None:
        raise RuntimeError('{} is not available.\n\nReason: {}: {}'.format(
            __name__, type(_error).__name__, _error))


@functools.lru_cache(maxsize=None)
def _gpu_count():
    """Number of CUDA devices CuPy can use (0 without CuPy, a driver or a device)."""
    if importlib.util.find_spec('cupy') is None:
        return 0
    try:
        import cupy
        return int(cupy.cuda.runtime.getDeviceCount())
    except Exception:
        return 0


def _identity(f):
    return f


def _mark(name, skip_reason=None, condition=False):
    if pytest is None:
        return _identity
    mark = getattr(pytest.mark, name)

    def decorator(f):
        f = mark(f)
        if condition:
            f = pytest.mark.skipif(True, reason=skip_reason)(f)
        return f
    return decorator


def gpu(f):
    """Decorator: mark a test (function or class) as a GPU test.

    Adds ``@pytest.mark.gpu`` and skips it unless CuPy and at least one CUDA
    device are available.
    """
    return _mark('gpu', 'needs CuPy and a CUDA device', _gpu_count() < 1)(f)


def multi_gpu(gpu_num):
    """Decorator factory: mark a test as needing ``gpu_num`` CUDA devices.

    Args:
        gpu_num (int): Number of devices the test uses.
    """
    return _mark('gpu', 'needs {} CUDA devices'.format(gpu_num),
                 _gpu_count() < gpu_num)


def cudnn(f):
    """Decorator: mark a test as using cuDNN (implies :func:`gpu`)."""
    f = gpu(f)
    if pytest is not None:
        f = pytest.mark.cudnn(f)
    return f


def slow(f):
    """Decorator: mark a test as slow (``@pytest.mark.slow``)."""
    if pytest is None:
        return f
    return pytest.mark.slow(f)


def chainerx(f):
    """Decorator: mark a test as a ChainerX test; always skipped in kusari."""
    return _mark('chainerx', 'ChainerX is not available in kusari', True)(f)


def ideep(f):
    """Decorator: mark a test as an iDeep test; always skipped in kusari."""
    return _mark('ideep', 'iDeep is not available in kusari', True)(f)
