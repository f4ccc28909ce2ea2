"""Built-in converters, one module per family of kusari functions.

Each module registers its converters with :func:`kusari.onnx.registry.register` under
the FunctionNode's ``module.ClassName`` and imports nothing of kusari.functions.
"""
