"""Test configuration shared by every package's tests."""
import functools

import pytest


@functools.lru_cache(maxsize=None)
def _gpu_reason():
    try:
        import cupy
    except Exception:
        return 'CuPy is not installed'
    try:
        n = cupy.cuda.runtime.getDeviceCount()
    except Exception as e:  # no driver
        return 'no CUDA device (%s)' % type(e).__name__
    return None if n > 0 else 'no CUDA device'


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker('gpu') is not None:
            reason = _gpu_reason()
            if reason:
                item.add_marker(pytest.mark.skip(reason='gpu test: ' + reason))
