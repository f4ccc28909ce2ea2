"""Type checking of function inputs, in Chainer's notation but evaluated eagerly.

A function's ``check_type_forward(in_types)`` writes conditions the way Chainer code
does::

    type_check._argname(in_types, ('x', 'W'))
    x_type, w_type = in_types
    type_check.expect(
        x_type.dtype.kind == 'f',
        x_type.ndim >= 2,
        x_type.shape[1] == w_type.shape[1],
    )

Chainer builds an expression tree and evaluates it later; here every expression
carries its value from the start and builds its text only when a check fails, which
keeps the checks cheap enough to run on every call.  A failure raises
:class:`InvalidType` (a ``TypeError``) with Chainer's message::

    Expect: x.shape[1] == W.shape[1]
    Actual: 3 != 5
"""
import operator

import numpy

__all__ = ['InvalidType', 'LightTypeInfoTuple', 'get_light_types', 'expect', 'eval',
           'same_types', 'argname', 'prod',
           'make_variable', 'Variable', 'Expr', 'Testable', 'TypeInfo', 'TypeInfoTuple',
           'get_types', 'Constant']


class InvalidType(TypeError):
    """Raised when a function's inputs do not satisfy its type conditions.

    Attributes:
        expect (str): the condition that failed, e.g. ``x.shape[1] == W.shape[1]``.
        actual (str): what was found, e.g. ``3 != 5``.
    """

    def __init__(self, expect, actual, msg=None):
        if msg is None:
            msg = 'Expect: {0}\nActual: {1}'.format(expect, actual)
        super().__init__(msg)
        self.expect = expect
        self.actual = actual

    def __reduce__(self):
        return (InvalidType, (self.expect, self.actual, str(self)))


def _text(x):
    if isinstance(x, Expr):
        return x.text
    if isinstance(x, str):
        return repr(x)
    if isinstance(x, type) and issubclass(x, numpy.generic):
        return str(x)       # <class 'numpy.float32'>, as Chainer's messages
    if isinstance(x, numpy.dtype):
        return x.name
    return str(x)


def _value(x):
    return x.value if isinstance(x, Expr) else x


def _show(v):
    if isinstance(v, numpy.dtype):
        return v.name
    return str(v)    # a NumPy type shows as <class 'numpy.float32'>, as in Chainer


_INVERSE = {'==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<'}
_PRIORITY = {'+': 4, '-': 4, '*': 5, '/': 5, '//': 5, '%': 5, '**': 7}


class _Undefined:
    """The value of an expression that cannot be evaluated (an index out of range)."""

    def __repr__(self):
        return 'undefined'

    __str__ = __repr__


_UNDEFINED = _Undefined()


class Expr:
    """A value with a lazily built text that says where it came from."""

    __slots__ = ('value', '_text', '_priority')

    def __init__(self, value, text, priority=8):
        self.value = value
        self._text = text
        self._priority = priority

    @property
    def text(self):
        t = self._text
        if not isinstance(t, str):
            t = t()
            self._text = t
        return t

    def __repr__(self):
        return self.text

    def __bool__(self):
        return bool(self.value)

    # ---- comparisons produce Testables ------------------------------------------------
    def _cmp(self, other, op, fn):
        a, b = self.value, _value(other)
        if a is _UNDEFINED or b is _UNDEFINED:
            # e.g. x.shape[1] of a 1-d x: the condition fails (an earlier condition
            # of the same expect() usually explains why, as Chainer's lazy checks do)
            return Testable(False, self, op, other)
        return Testable(fn(a, b), self, op, other)

    def __eq__(self, other):
        return self._cmp(other, '==', operator.eq)

    def __ne__(self, other):
        return self._cmp(other, '!=', operator.ne)

    def __lt__(self, other):
        return self._cmp(other, '<', operator.lt)

    def __le__(self, other):
        return self._cmp(other, '<=', operator.le)

    def __gt__(self, other):
        return self._cmp(other, '>', operator.gt)

    def __ge__(self, other):
        return self._cmp(other, '>=', operator.ge)

    __hash__ = object.__hash__

    # ---- arithmetic ---------------------------------------------------------------
    def _bin(self, other, op, fn, reverse=False):
        a, b = (other, self) if reverse else (self, other)
        va, vb = _value(a), _value(b)
        value = _UNDEFINED if va is _UNDEFINED or vb is _UNDEFINED else fn(va, vb)
        pr = _PRIORITY[op]

        def text():
            ta, tb = _text(a), _text(b)
            if isinstance(a, Expr) and a._priority < pr:
                ta = '(%s)' % ta
            if isinstance(b, Expr) and b._priority <= pr:
                tb = '(%s)' % tb
            return '%s %s %s' % (ta, op, tb)
        return Expr(value, text, pr)

    def __add__(self, o):
        return self._bin(o, '+', operator.add)

    def __radd__(self, o):
        return self._bin(o, '+', operator.add, True)

    def __sub__(self, o):
        return self._bin(o, '-', operator.sub)

    def __rsub__(self, o):
        return self._bin(o, '-', operator.sub, True)

    def __mul__(self, o):
        return self._bin(o, '*', operator.mul)

    def __rmul__(self, o):
        return self._bin(o, '*', operator.mul, True)

    def __truediv__(self, o):
        return self._bin(o, '/', operator.truediv)

    def __floordiv__(self, o):
        return self._bin(o, '//', operator.floordiv)

    def __rfloordiv__(self, o):
        return self._bin(o, '//', operator.floordiv, True)

    def __mod__(self, o):
        return self._bin(o, '%', operator.mod)

    def __pow__(self, o):
        return self._bin(o, '**', operator.pow)

    def __neg__(self):
        return Expr(-self.value, lambda: '-' + self.text, 6)

    # ---- element access -----------------------------------------------------------
    def __getitem__(self, key):
        k = _value(key)
        if isinstance(k, slice):
            k = slice(_value(k.start), _value(k.stop), _value(k.step))
        try:
            value = _UNDEFINED if self.value is _UNDEFINED else self.value[k]
        except (IndexError, KeyError, TypeError):
            value = _UNDEFINED

        def text():
            if isinstance(key, slice):
                parts = ['' if v is None else _text(v)
                         for v in (key.start, key.stop)]
                s = ':'.join(parts)
                if key.step is not None:
                    s += ':' + _text(key.step)
            else:
                s = _text(key)
            return '%s[%s]' % (self.text, s)
        return Expr(value, text)

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        value = _UNDEFINED if self.value is _UNDEFINED else getattr(self.value, name)
        return Expr(value, lambda: '%s.%s' % (self.text, name))

    def __call__(self, *args):
        value = self.value(*[_value(a) for a in args])
        return Expr(value, lambda: '%s(%s)' % (self.text, ', '.join(_text(a) for a in args)))

    def __len__(self):
        return len(self.value)

    def __iter__(self):
        for i in range(len(self.value)):
            yield self[i]


class Testable:
    """The result of a comparison: its truth value and how to explain a failure."""

    __slots__ = ('result', 'lhs', 'op', 'rhs')

    def __init__(self, result, lhs, op, rhs):
        self.result = bool(result)
        self.lhs = lhs
        self.op = op
        self.rhs = rhs

    def __bool__(self):
        return self.result

    def expect(self):
        if not self.result:
            raise InvalidType(
                '%s %s %s' % (_text(self.lhs), self.op, _text(self.rhs)),
                '%s %s %s' % (_show(_value(self.lhs)), _INVERSE[self.op],
                              _show(_value(self.rhs))))


class Constant(Expr):
    """A constant that shows as its value."""

    def __init__(self, value):
        super().__init__(value, _show(value))


def make_variable(value, name):
    """An expression with ``value`` that shows as ``name``."""
    return Expr(value, name)


Variable = make_variable


class _Attr(Expr):
    """``<input>.<attribute>``: the text is made from the input's (re)name on demand."""

    __slots__ = ('_info', '_attr')

    def __init__(self, value, info, attr):
        self.value = value
        self._info = info
        self._attr = attr
        self._priority = 8
        self._text = self._make_text

    def _make_text(self):
        return '%s.%s' % (self._info.name, self._attr)


class TypeInfo:
    """What a check sees of one input array: ``shape``, ``dtype``, ``ndim``, ``size``."""

    __slots__ = ('name', 'array')

    def __init__(self, name, array):
        self.name = name
        self.array = array

    @property
    def shape(self):
        return _Attr(self.array.shape, self, 'shape')

    @property
    def dtype(self):
        return _Attr(self.array.dtype, self, 'dtype')

    @property
    def ndim(self):
        return _Attr(self.array.ndim, self, 'ndim')

    @property
    def size(self):
        return _Attr(self.array.size, self, 'size')

    def is_none(self):
        return False


class _NoneTypeInfo:
    __slots__ = ('name',)

    def __init__(self, name):
        self.name = name

    def is_none(self):
        return True


class LightTypeInfoTuple(tuple):
    """Chainer's tuple of raw arrays for its light-weight first type check.

    kusari's checks always build :class:`TypeInfoTuple`, a subclass whose items
    compare eagerly as Chainer's light-mode items do, so code that tests for this
    class (or the items' ``shape``/``dtype``) works on either (``size()`` is the
    plain length here).
    """

    def size(self):
        """The number of elements (an int)."""
        return len(self)


class TypeInfoTuple(LightTypeInfoTuple):
    """The tuple of :class:`TypeInfo` given to ``check_type_forward``."""

    name = 'in_types'

    def size(self):
        return Expr(len(self), lambda: '%s.size()' % self.name)


def get_light_types(data, shapes=None):
    """A :class:`LightTypeInfoTuple` of ``data`` (the arrays themselves)."""
    if shapes is not None:
        raise NotImplementedError('get_light_types: shapes are not supported')
    return LightTypeInfoTuple(data)


def get_types(data, name, accept_none, shapes=None):
    """Wrap a tuple of arrays as a :class:`TypeInfoTuple` named ``name``."""
    infos = []
    for i, d in enumerate(data):
        n = '%s[%d]' % (name, i)
        if d is None:
            if not accept_none:
                raise InvalidType('%s is an array' % n, 'None')
            infos.append(_NoneTypeInfo(n))
        else:
            infos.append(TypeInfo(n, d))
    t = TypeInfoTuple(infos)
    t.name = name
    return t


def expect(*conditions):
    """Raise :class:`InvalidType` for the first condition that does not hold.

    Each condition is a comparison of type expressions (or a plain bool).
    """
    for cond in conditions:
        if isinstance(cond, Testable):
            cond.expect()
        elif not cond:
            raise InvalidType('a condition of the function', 'it was false')


def eval(expr):
    """The value of an expression (plain values pass through)."""
    return _value(expr)


def prod(xs):
    """Product of a sequence of expressions (e.g. ``prod(x_type.shape[1:])``)."""
    value = 1
    for v in _value(xs):
        value *= v
    return Expr(value, lambda: 'prod(%s)' % _text(xs))


def same_types(*arrays):
    """Check that all arrays are of one array type (all NumPy or all CuPy)."""
    types = {type(a) for a in arrays if a is not None}
    if len(types) > 1:
        raise InvalidType('all arrays of one type',
                          ', '.join(sorted(t.__module__ + '.' + t.__name__ for t in types)))


def argname(in_types, names):
    """Name the inputs for messages and check their number.

    Args:
        in_types (TypeInfoTuple): the inputs.
        names (tuple of str): one name per input.
    """
    if len(in_types) != len(names):
        raise InvalidType('%s.size() == %d' % (getattr(in_types, 'name', 'in_types'),
                                               len(names)),
                          '%d != %d' % (len(in_types), len(names)))
    for info, n in zip(in_types, names):
        info.name = n


_argname = argname


def _size_equal(in_types, n):
    expect(in_types.size() == n)


class _LightMode:
    """Placeholder of Chainer's light mode (checks here are always eager)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


light_mode = _LightMode()
