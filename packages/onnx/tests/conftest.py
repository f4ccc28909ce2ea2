"""Puts this directory on sys.path so the tests can import onnx_testing (their shared
checks) under --import-mode=importlib; skips everything without ONNX Runtime."""
import os
import sys

import pytest

pytest.importorskip('onnxruntime')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
