"""Chainer's module ``chainer.functions.math.basic_math``: the arithmetic operators.

The nodes behind ``Variable``'s operators (``+``, ``-``, ``*``, ``/``, ``**``, unary
``-`` and ``abs``) are implemented in kusari's core; this module gives them Chainer's
names, next to :func:`add` and :func:`absolute`.
"""
import numpy

from kusari import _core
from kusari import variable
from kusari.functions.math.basic_elementwise import absolute, add  # noqa: F401

Neg = _core.Neg
Absolute = _core.Absolute
Add = _core.Add
AddConstant = _core.AddConstant
Sub = _core.Sub
SubFromConstant = _core.SubFromConstant
Mul = _core.Mul
MulConstant = _core.MulConstant
Div = _core.Div
DivFromConstant = _core.DivFromConstant
PowVarVar = _core.PowVarVar
PowVarConst = _core.PowVarConst
PowConstVar = _core.PowConstVar
MatMul = _core.MatMul

__all__ = ['Absolute', 'Add', 'AddConstant', 'Div', 'DivFromConstant', 'MatMul', 'Mul',
           'MulConstant', 'Neg', 'PowConstVar', 'PowVarConst', 'PowVarVar', 'Sub',
           'SubFromConstant', 'absolute', 'add']


def _convert_value_to_string(value):
    """A constant operand as the operator labels show it (Chainer's format).

    Scalars print as themselves, negative ones in parentheses (``'(-2.0)'``); an
    array or Variable prints as ``'constant array'``.
    """
    if isinstance(value, variable.Variable):
        value = value.array
    if numpy.isscalar(value):
        return '(%s)' % value if value < 0 else str(value)
    if isinstance(value, numpy.ndarray) or hasattr(value, '__cuda_array_interface__'):
        return 'constant array'
    raise ValueError('Value must be a Variable, scalar or array, got %s'
                     % type(value).__name__)
