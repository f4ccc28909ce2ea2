"""kusari.onnx: export kusari models to ONNX, onnx-chainer's API.

Importing this package imports neither kusari.functions nor kusari.links: converters
are registered under the module and class name of the FunctionNode they convert and
are loaded on the first export.
"""
from kusari.onnx.context import Context
from kusari.onnx.errors import ExportError, UnsupportedFunctionError
from kusari.onnx.export import export
from kusari.onnx.opset import DEFAULT_OPSET, MAX_OPSET, MIN_OPSET, default_opset
from kusari.onnx.registry import register, registered_converters
from kusari.onnx.testcase import export_testcase

__all__ = ['export', 'export_testcase', 'Context', 'ExportError',
           'UnsupportedFunctionError', 'DEFAULT_OPSET', 'default_opset', 'MAX_OPSET', 'MIN_OPSET',
           'register', 'registered_converters']
