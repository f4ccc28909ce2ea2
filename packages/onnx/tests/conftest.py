"""Puts this directory on sys.path so the tests can import onnx_testing (their shared
checks) under --import-mode=importlib; skips everything without ONNX Runtime."""
import os
import sys

import pytest

pytest.importorskip('onnxruntime')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def pytest_configure(config):
    # record which converters the tests run (test_zz_coverage.py checks all did)
    from kusari.onnx import registry
    registry.registered_converters()
    config._onnx_used = used = set()
    for conv in registry.registered_converters():
        def wrapped(ctx, node, inputs, outputs, _fn=conv.fn, _key=conv.key):
            used.add(_key)
            return _fn(ctx, node, inputs, outputs)
        conv.fn = wrapped
