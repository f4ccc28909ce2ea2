"""The arithmetic of Variables as function nodes (Chainer's ``chainer.basic_math``).

``x + y``, ``x * 2``, ``-x``, ``abs(x)``, ``x ** y``, ``x @ y`` ... on Variables
apply these :class:`~kusari.FunctionNode` classes (implemented in kusari's core);
they are public here so that code can refer to them, e.g. in function hooks or
when walking a graph (``isinstance(node, basic_math.Add)``).

>>> import numpy, kusari
>>> x = kusari.Variable(numpy.array([1., 2.]))
>>> isinstance((x + x).creator, Add), (x * 2.0).creator.label
(True, '_ * 2.0')
"""
import numpy

from kusari._core import (  # noqa: F401
    Absolute,
    Add,
    AddConstant,
    Div,
    DivFromConstant,
    MatMul,
    Mul,
    MulConstant,
    Neg,
    PowConstVar,
    PowVarConst,
    PowVarVar,
    Sub,
    SubFromConstant,
)

__all__ = ['Absolute', 'Add', 'AddConstant', 'Div', 'DivFromConstant', 'MatMul',
           'Mul', 'MulConstant', 'Neg', 'PowConstVar', 'PowVarConst', 'PowVarVar',
           'Sub', 'SubFromConstant']


def _convert_value_to_string(value):
    # How a constant operand is shown in a node's label: '2.0', '(-2)', or
    # 'constant array' (Chainer's format).
    from kusari import backend
    from kusari import variable
    if isinstance(value, variable.Variable):
        value = value.array
    if numpy.isscalar(value) and not isinstance(value, (str, bytes)):
        return '({})'.format(value) if value < 0 else str(value)
    types = backend.get_array_types()
    if isinstance(value, types):
        return 'constant array'
    raise ValueError('Value must be a Variable, scalar or one of {}. Actual: {}'
                     .format(', '.join(t.__name__ for t in types), type(value)))
