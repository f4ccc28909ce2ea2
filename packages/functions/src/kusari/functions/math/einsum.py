"""Einstein summation: :func:`einsum`.

The subscripts are first made explicit (``...`` becomes letters, the implicit output
is spelled out), so a single node, :class:`EinSum`, does the work.  The gradient of
one operand is again an Einstein sum: of the output gradient with the other operands,
plus constant identity matrices for letters repeated in that operand (diagonals) and
constant vectors of ones for letters summed away in it alone.  Gradients of any
order follow.
"""
import string

import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.math import _util

_LETTERS = string.ascii_uppercase + string.ascii_lowercase


def _einsum_array(xp, in_subs, out_sub, arrays, dtype):
    spec = ','.join(in_subs) + '->' + out_sub
    if len(arrays) >= 3:
        y = xp.einsum(spec, *arrays, optimize=True)
    else:
        y = xp.einsum(spec, *arrays)
    return _util.force_array(y, xp, dtype)


class EinSum(FunctionNode):
    """Einstein sum with explicit subscripts.

    Args:
        in_subs (tuple of str): the letters of each operand's axes (no ``...``).
        out_sub (str): the letters of the output's axes (each at most once).
    """

    def __init__(self, in_subs, out_sub):
        self.in_subs = tuple(in_subs)
        self.out_sub = out_sub

    def forward(self, inputs):
        xp = _core.get_array_module(*inputs)
        dtype = numpy.result_type(*[x.dtype for x in inputs])
        self.retain_inputs(tuple(range(len(inputs))))
        return _einsum_array(xp, self.in_subs, self.out_sub, inputs, dtype),

    def _grad_spec(self, i, sizes, xp, dtype):
        """Subscripts, constant operands and output letters of the i-th gradient."""
        target = self.in_subs[i]
        others = [s for j, s in enumerate(self.in_subs) if j != i]
        present = set(self.out_sub).union(*[set(s) for s in others])
        used = set(''.join(self.in_subs) + self.out_sub)
        fresh = [c for c in _LETTERS if c not in used]
        out = []
        consts = []
        seen = set()
        for c in target:
            if c in seen:
                c2 = fresh.pop(0)
                out.append(c2)
                consts.append((c + c2, xp.eye(sizes[c], dtype=dtype)))
            else:
                seen.add(c)
                out.append(c)
                if c not in present:
                    consts.append((c, xp.ones(sizes[c], dtype=dtype)))
        return others, consts, ''.join(out)

    def _sizes(self):
        sizes = {}
        for s, node in zip(self.in_subs, self.inputs):
            for c, d in zip(s, node.shape):
                sizes[c] = d
        return sizes

    def backward(self, indexes, grad_outputs):
        xs = self.get_retained_inputs()
        g, = grad_outputs
        sizes = self._sizes()
        xp = _core.get_array_module(g.array)
        ret = []
        for i in indexes:
            others, consts, out = self._grad_spec(i, sizes, xp, xs[i].dtype)
            ops = [g] + [x for j, x in enumerate(xs) if j != i]
            ops += [_util.const(c) for _, c in consts]
            subs = [self.out_sub] + others + [s for s, _ in consts]
            ret.append(EinSum(subs, out).apply(tuple(ops))[0])
        return tuple(ret)

    def backward_array(self, indexes, grad_outputs):
        xs = [n.data for n in self.inputs]
        g, = grad_outputs
        sizes = self._sizes()
        xp = _core.get_array_module(g)
        ret = []
        for i in indexes:
            dtype = xs[i].dtype
            others, consts, out = self._grad_spec(i, sizes, xp, dtype)
            ops = [g] + [x for j, x in enumerate(xs) if j != i] + [c for _, c in consts]
            subs = [self.out_sub] + others + [s for s, _ in consts]
            ret.append(_einsum_array(xp, subs, out, ops, dtype))
        return tuple(ret)


def _parse(func, subscripts, arrays):
    """Explicit subscripts (tuple of str, str) for ``subscripts`` and the arrays."""
    subscripts = subscripts.replace(' ', '')
    for ch in subscripts:
        if ch not in _LETTERS and ch not in '.,->':
            raise ValueError('%s: character %r is not a valid subscript' % (func, ch))
    if '->' in subscripts:
        if subscripts.count('->') != 1 or subscripts.count('-') != 1 or \
                subscripts.count('>') != 1:
            raise ValueError("%s: subscripts can contain only one '->'" % func)
        in_part, out_part = subscripts.split('->')
    else:
        if '-' in subscripts or '>' in subscripts:
            raise ValueError("%s: invalid '->' in subscripts" % func)
        in_part, out_part = subscripts, None
    in_list = in_part.split(',')
    if len(in_list) != len(arrays):
        raise ValueError('%s: %d operand subscripts for %d operands'
                         % (func, len(in_list), len(arrays)))
    for s in in_list + ([out_part] if out_part is not None else []):
        if s.replace('...', '').count('.'):
            raise ValueError('%s: invalid ellipsis in %r' % (func, s))
        if s.count('...') > 1:
            raise ValueError('%s: more than one ellipsis in %r' % (func, s))

    used = set(c for c in subscripts if c in _LETTERS)
    fresh = [c for c in _LETTERS if c not in used]
    # The ellipsis of every operand maps to the last axes of one broadcast block.
    ell_ndims = []
    for s, a in zip(in_list, arrays):
        n_named = len(s.replace('...', ''))
        if '...' in s:
            k = a.ndim - n_named
            if k < 0:
                raise _util.invalid(func, 'operand ndim >= number of subscripts in %r'
                                    % s, '%d < %d' % (a.ndim, n_named))
            ell_ndims.append(k)
        else:
            if a.ndim != n_named:
                raise _util.invalid(func, 'operand ndim == len(%r)' % s,
                                    '%d != %d' % (a.ndim, n_named))
            ell_ndims.append(0)
    # As in Chainer, the ellipses of all operands cover the same shape (no
    # broadcasting between operands).
    ell_shapes = {a.shape[len(s.split('...')[0]):len(s.split('...')[0]) + k]
                  for s, a, k in zip(in_list, arrays, ell_ndims) if '...' in s}
    if len(ell_shapes) > 1:
        raise _util.invalid(func, 'the shapes that the ellipses cover agree',
                            ' != '.join(str(e) for e in sorted(ell_shapes)))
    n_ell = max(ell_ndims) if ell_ndims else 0
    ell_letters = ''.join(fresh[:n_ell])
    fresh = fresh[n_ell:]

    sizes = {}
    explicit = []
    for s, a, k in zip(in_list, arrays, ell_ndims):
        if '...' in s:
            left, right = s.split('...')
            s = left + ell_letters + right
        for c, d in zip(s, a.shape):
            if c in sizes and sizes[c] != d:
                raise _util.invalid(func, 'sizes of subscript %r agree' % c,
                                    '%d != %d' % (sizes[c], d))
            sizes[c] = d
        explicit.append(s)

    if out_part is None:
        letters = ''.join(in_list).replace('...', '').replace(',', '')
        out = ell_letters + ''.join(sorted(c for c in set(letters)
                                           if letters.count(c) == 1))
    else:
        for c in out_part.replace('...', ''):
            if c not in in_part:
                raise ValueError('%s: output subscript %r does not appear in the input'
                                 % (func, c))
        if len(set(out_part.replace('...', ''))) != len(out_part.replace('...', '')):
            raise ValueError('%s: output subscripts must not repeat (%r)'
                             % (func, out_part))
        if '...' in out_part:
            if '...' not in in_part:
                raise ValueError("%s: '...' in the output but in no operand (%r)"
                                 % (func, subscripts))
            left, right = out_part.split('...')
            out = left + ell_letters + right
        else:
            if n_ell:
                raise ValueError('%s: summing over an ellipsis is not supported; name '
                                 'those axes' % func)
            out = out_part
    return tuple(explicit), out


def einsum(*operands):
    """Einstein summation over the axes of several arrays (:func:`numpy.einsum`).

    Two call styles are accepted: ``einsum(subscripts, x0, x1, ...)`` and
    ``einsum(x0, sublist0, x1, sublist1, ..., [sublistout])`` (sublists of ints and
    ``Ellipsis``).  ``...`` stands for the leading (broadcast) axes; without ``->``
    the output has, in alphabetical order, the letters that occur exactly once.

    Args:
        subscripts (str): e.g. ``'ij,jk->ik'``.
        *operands (Variable or array): float arrays, one per comma-separated term.

    Returns:
        Variable: the sum.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    >>> b = numpy.ones((3, 2), numpy.float32)
    >>> F.einsum('ij,jk->ik', a, b).array
    array([[ 3.,  3.],
           [12., 12.]], dtype=float32)
    >>> F.einsum('ii', numpy.eye(3, dtype=numpy.float32)).array
    array(3., dtype=float32)
    """
    if not operands:
        raise ValueError('einsum: no operands')
    if isinstance(operands[0], str):
        subscripts = operands[0]
        xs = operands[1:]
    else:
        ops = list(operands)
        xs = []
        subs = []
        while len(ops) >= 2:
            xs.append(ops.pop(0))
            subs.append(ops.pop(0))
        out_list = ops[0] if ops else None

        def conv(lst):
            r = ''
            for s in lst:
                if s is Ellipsis:
                    r += '...'
                elif isinstance(s, (int, numpy.integer)) and 0 <= s < len(_LETTERS):
                    r += _LETTERS[s]
                else:
                    raise TypeError('einsum: sublists must hold ints in [0, 52) or '
                                    'Ellipsis, got %r' % (s,))
            return r
        subscripts = ','.join(conv(s) for s in subs)
        if out_list is not None:
            subscripts += '->' + conv(out_list)
    xs = tuple(_util.as_variable(x) for x in xs)
    if not xs:
        raise ValueError('einsum: no operands')
    for k, x in enumerate(xs):
        _util.check_float('einsum', 'x%d' % k, x.array)
    in_subs, out_sub = _parse('einsum', subscripts, [x.array for x in xs])
    return EinSum(in_subs, out_sub).apply(xs)[0]


class DiagEinSum(FunctionNode):
    """Chainer's Einstein sum whose output may repeat or introduce letters.

    ``DiagEinSum(in_subs, out_sub, out_shape).apply(operands)``: the sum over the
    letters of ``in_subs`` (a comma-separated string or a sequence of strings) not in
    ``out_sub``, placed into an output of shape ``out_shape``: a letter only in
    ``out_sub`` broadcasts (its length comes from ``out_shape``), a letter repeated in
    ``out_sub`` puts the values on that diagonal (zeros elsewhere).  Gradients of any
    order work (they are :func:`einsum` s).

    >>> import numpy
    >>> from kusari.functions.math.einsum import DiagEinSum
    >>> x = numpy.array([1., 2.], numpy.float32)
    >>> DiagEinSum('i', 'ij', (2, 3)).apply((x,))[0].array
    array([[1., 1., 1.],
           [2., 2., 2.]], dtype=float32)
    >>> DiagEinSum('i', 'ii', (2, 2)).apply((x,))[0].array
    array([[1., 0.],
           [0., 2.]], dtype=float32)
    """

    def __init__(self, in_subs, out_sub, out_shape=None):
        if isinstance(in_subs, str):
            in_subs = in_subs.split(',')
        self.in_subs = tuple(in_subs)
        self.out_sub = out_sub
        self.out_shape = None if out_shape is None else tuple(out_shape)
        present = set(''.join(self.in_subs))
        # the output's distinct letters that the operands have, in output order
        self._kept = ''.join(c for i, c in enumerate(out_sub)
                             if c in present and c not in out_sub[:i])

    @property
    def label(self):
        return 'DiagEinSum'

    def _shape(self, inputs):
        if self.out_shape is not None:
            return self.out_shape
        size = {}
        for sub, x in zip(self.in_subs, inputs):
            size.update(zip(sub, x.shape))
        return tuple(size[c] for c in self.out_sub)

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        xp = _core.get_array_module(inputs[0])
        dtype = numpy.result_type(*inputs)
        z = _einsum_array(xp, self.in_subs, self._kept, inputs, dtype)
        y = xp.zeros(self._shape(inputs), dtype)
        distinct = ''.join(c for i, c in enumerate(self.out_sub)
                           if c not in self.out_sub[:i])
        # a writeable view of y over its distinct letters (the diagonals)
        view = numpy.einsum(self.out_sub + '->' + distinct, y) if xp is numpy else \
            xp.einsum(self.out_sub + '->' + distinct, y)
        z = z.reshape(tuple(z.shape[self._kept.index(c)] if c in self._kept else 1
                            for c in distinct))
        view[...] = z
        return y,

    def backward(self, indexes, grad_outputs):
        from kusari.functions.util import _ops
        gy, = grad_outputs
        # the gradient of the placement: the diagonals of gy, summed over new letters
        gz = einsum(self.out_sub + '->' + self._kept, gy)
        spec = ','.join(self.in_subs) + '->' + self._kept
        g = _ops.vjp(lambda *xs: (einsum(spec, *xs),), self.get_retained_inputs(), [gz])
        return tuple(g[i] for i in indexes)
