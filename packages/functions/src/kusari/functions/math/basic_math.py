"""Chainer's module ``chainer.functions.math.basic_math``: the arithmetic operators.

The nodes behind ``Variable``'s operators (``+``, ``-``, ``*``, ``/``, ``**``, unary
``-``, ``abs`` and ``@``) are kusari-core's, published there as
:mod:`kusari.basic_math` (Chainer's ``chainer.basic_math``); this module gives them
Chainer's second home, next to :func:`add` and :func:`absolute`.
"""
from kusari.basic_math import (  # noqa: F401
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
from kusari.functions.math.basic_elementwise import absolute, add  # noqa: F401

__all__ = ['Absolute', 'Add', 'AddConstant', 'Div', 'DivFromConstant', 'MatMul', 'Mul',
           'MulConstant', 'Neg', 'PowConstVar', 'PowVarConst', 'PowVarVar', 'Sub',
           'SubFromConstant', 'absolute', 'add']
