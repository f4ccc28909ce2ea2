"""Every registered converter was run by the tests above (when the whole suite runs)."""
import pytest

from kusari.onnx import registered_converters


def test_every_converter_is_exercised(request):
    used = request.config._onnx_used
    keys = {c.key for c in registered_converters()}
    if len(used) < len(keys) // 2:
        pytest.skip('only part of the suite ran')
    missing = sorted(keys - used)
    assert not missing, 'converters no test ran: ' + ', '.join(missing)
