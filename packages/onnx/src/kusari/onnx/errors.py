"""Exceptions of kusari.onnx."""

__all__ = ['ExportError', 'UnsupportedFunctionError']


class ExportError(ValueError):
    """The model cannot be exported as asked (bad arguments, a graph ONNX cannot hold)."""


class UnsupportedFunctionError(ExportError):
    """A function of the model has no converter (for the requested opset).

    Attributes:
        function_key (str): ``module.ClassName`` of the FunctionNode.
    """

    def __init__(self, message, function_key):
        super().__init__(message)
        self.function_key = function_key
