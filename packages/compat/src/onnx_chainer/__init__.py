"""``onnx_chainer``, provided by kusari-compat: the module ``kusari.onnx``.

Raises ImportError when the kusari ONNX package is not installed.
"""
import importlib
import sys

from kusari.compat import aliasing

aliasing.install()
sys.modules[__name__] = importlib.import_module(aliasing.ALIASES[__name__])
