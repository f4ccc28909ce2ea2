"""Test configuration of kusari-training's dataset/datasets/iterators tests."""
import faulthandler

import pytest


def pytest_configure(config):
    if not config.pluginmanager.hasplugin('timeout'):
        config.addinivalue_line('markers', 'timeout(seconds): per-test time limit')


@pytest.fixture(autouse=True)
def _timeout_fallback(request):
    """Without pytest-timeout a hung test still ends: dump the stacks and exit."""
    marker = request.node.get_closest_marker('timeout')
    if marker is None or request.config.pluginmanager.hasplugin('timeout'):
        yield
        return
    faulthandler.dump_traceback_later(marker.args[0], exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
