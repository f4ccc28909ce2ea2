"""matmul, batch_matmul, tensordot, einsum."""
import warnings

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _tol(dtype):
    if dtype == numpy.float16:
        return dict(atol=1e-2, rtol=5e-2)
    return dict(atol=1e-4, rtol=1e-3)


def _u(shape, dtype, seed=0):
    return numpy.random.RandomState(seed).uniform(-1, 1, shape).astype(dtype)


def _nc(x):
    """A non-contiguous copy of x."""
    if x.ndim == 0:
        return x
    big = numpy.repeat(x, 2, axis=-1)
    y = big[..., ::2]
    assert x.ndim == 0 or x.shape[-1] <= 1 or not y.flags.c_contiguous
    return y


def _check_all(f, inputs, dtype, double=True, num_dtype=numpy.float64, tol=None):
    y = f(*inputs)
    gy = _u(y.shape, dtype, 7)
    tol = tol or _tol(dtype)
    gradient_check.check_backward(f, inputs, gy, dtype=num_dtype, **tol)
    if double:
        ggx = tuple(_u(x.shape, dtype, 8 + i) for i, x in enumerate(inputs))
        gradient_check.check_double_backward(f, inputs, gy, ggx, dtype=num_dtype,
                                             **tol)


MATMUL_CASES = [
    ((3, 2), (2, 4), False, False),
    ((2, 3), (2, 4), True, False),
    ((3, 2), (4, 2), False, True),
    ((2, 3), (4, 2), True, True),
    ((3,), (3,), False, False),
    ((3,), (3, 2), False, False),
    ((3,), (2, 3), False, True),
    ((2, 3), (3,), False, False),
    ((3, 2), (3,), True, False),
    ((2, 3, 4), (2, 4, 5), False, False),
    ((2, 1, 3, 4), (3, 5, 4), False, True),
    ((4, 3), (2, 4, 5), True, False),
    ((), (2, 3), False, False),
]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('sa, sb, ta, tb', MATMUL_CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_matmul(dtype, sa, sb, ta, tb, contiguous):
    a, b = _u(sa, dtype, 1), _u(sb, dtype, 2)
    if not contiguous:
        a, b = _nc(a), _nc(b)
    y = F.matmul(a, b, transa=ta, transb=tb)
    a64, b64 = a.astype(numpy.float64), b.astype(numpy.float64)
    if ta and a.ndim > 1:
        a64 = numpy.swapaxes(a64, -1, -2)
    if tb and b.ndim > 1:
        b64 = numpy.swapaxes(b64, -1, -2)
    expect = a64 * b64 if a.ndim == 0 or b.ndim == 0 else numpy.matmul(a64, b64)
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))
    _check_all(lambda a, b: F.matmul(a, b, ta, tb), (a, b), dtype)


def test_matmul_bad_input():
    a = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match='matmul'):
        F.matmul(a, numpy.zeros((2, 3), numpy.float32))
    with pytest.raises(InvalidType, match='matmul'):
        F.matmul(a.astype(numpy.int32), numpy.zeros((3, 2), numpy.int32))
    with pytest.raises(InvalidType, match='matmul'):
        F.matmul(numpy.zeros((2, 2, 3), numpy.float32), numpy.zeros((3, 3, 2),
                                                                    numpy.float32))


@pytest.mark.parametrize('sa, sb, ta, tb', [
    ((2, 3, 4), (2, 4, 5), False, False),
    ((2, 3), (2, 3), True, False),
    ((2, 3), (2, 3), False, True),
    ((2, 4, 3), (2, 5, 4), True, True),
])
def test_batch_matmul(sa, sb, ta, tb):
    a, b = _u(sa, numpy.float32, 1), _u(sb, numpy.float32, 2)
    with pytest.warns(DeprecationWarning):
        y = F.batch_matmul(a, b, ta, tb)
    a3 = a if a.ndim == 3 else a[:, :, None]
    b3 = b if b.ndim == 3 else b[:, :, None]
    if ta:
        a3 = a3.transpose(0, 2, 1)
    if tb:
        b3 = b3.transpose(0, 2, 1)
    numpy.testing.assert_allclose(y.array, numpy.matmul(a3, b3), rtol=1e-5, atol=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        _check_all(lambda a, b: F.batch_matmul(a, b, ta, tb), (a, b), numpy.float32,
                   num_dtype=None, tol=dict(eps=1e-2, atol=1e-3, rtol=1e-2))
        # other float dtypes too (Chainer's gradient checks run it in float64)
        _check_all(lambda a, b: F.batch_matmul(a, b, ta, tb), (a, b), numpy.float32)


def test_batch_matmul_bad_input():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        with pytest.raises(InvalidType, match='batch_matmul'):
            F.batch_matmul(numpy.zeros((2, 3), numpy.int32),
                           numpy.zeros((2, 3), numpy.int32))
        with pytest.raises(InvalidType, match='batch_matmul'):
            F.batch_matmul(numpy.zeros((2, 3, 4), numpy.float32),
                           numpy.zeros((2, 3, 4), numpy.float32))


# ---- tensordot ----------------------------------------------------------------------

TD_CASES = [
    ((5, 3, 2), (3, 2, 4), 2),
    ((3, 4), (4, 2), 1),
    ((3, 4), (2, 5), 0),
    ((2, 3, 4), (4, 3, 2), ([0, 2], [2, 0])),
    ((2, 3, 4), (3, 5), ([1], [0])),
    ((2, 3, 4), (4, 3), ((2, 1), (0, 1))),
    ((2, 3), (2, 3), ([-1, 0], [1, 0])),
]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('sa, sb, axes', TD_CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_tensordot(dtype, sa, sb, axes, contiguous):
    a, b = _u(sa, dtype, 1), _u(sb, dtype, 2)
    if not contiguous:
        a, b = _nc(a), _nc(b)
    y = F.tensordot(a, b, axes)
    expect = numpy.tensordot(a.astype(numpy.float64), b.astype(numpy.float64), axes)
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))
    _check_all(lambda a, b: F.tensordot(a, b, axes), (a, b), dtype)


def test_tensordot_bad_input():
    a = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError, match='tensordot'):     # shape mismatch
        F.tensordot(a, numpy.zeros((2, 3), numpy.float32), 1)
    b = numpy.zeros((3, 2, 5), numpy.float32)
    with pytest.raises(ValueError, match='tensordot'):
        F.tensordot(numpy.zeros((4, 3, 2), numpy.float32), b, axes=((1, 2), (0)))
    with pytest.raises(ValueError, match='tensordot'):
        F.tensordot(numpy.zeros((4, 3, 2), numpy.float32), b, axes=((2), (0, 1)))
    with pytest.raises(InvalidType, match='tensordot'):
        F.tensordot(a, a, 3)
    with pytest.raises(TypeError, match='tensordot'):
        F.tensordot(a, a, 'x')
    with pytest.raises(TypeError, match='tensordot'):
        F.tensordot(a, a, 1.0)
    c = numpy.zeros((4, 3, 2), numpy.float32)
    for axes in (((0, 1, 2, 3), (0, 1, 2, 3)), (), ((), (), ())):
        with pytest.raises(ValueError, match='tensordot'):    # Chainer's ValueError
            F.tensordot(c, b, axes=axes)


# ---- einsum -------------------------------------------------------------------------

EINSUM_CASES = [
    ('ij,jk->ik', [(2, 3), (3, 4)]),
    ('ij,jk', [(2, 3), (3, 4)]),
    ('ij->ji', [(2, 3)]),
    ('ii->i', [(3, 3)]),
    ('ii', [(3, 3)]),
    ('ij->', [(2, 3)]),
    ('ij->j', [(2, 3)]),
    ('i,i->', [(3,), (3,)]),
    ('i,j->ij', [(2,), (3,)]),
    ('ij,ik,jkl->il', [(2, 3), (2, 4), (3, 4, 5)]),
    ('...j,...k,jkl', [(2, 3), (2, 4), (3, 4, 5)]),
    ('...ij,...jk->...ik', [(2, 3, 4), (2, 4, 2)]),
    ('...ij,jk->...ik', [(2, 2, 3, 4), (4, 2)]),
    ('bii,bi->b', [(2, 3, 3), (2, 3)]),
    ('iij,j->ij', [(3, 3, 2), (2,)]),
    ('...i,...i->...', [(2, 4, 3), (2, 4, 3)]),
]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('subscripts, shapes', EINSUM_CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_einsum(dtype, subscripts, shapes, contiguous):
    xs = tuple(_u(s, dtype, i) for i, s in enumerate(shapes))
    if not contiguous:
        xs = tuple(_nc(x) for x in xs)
    y = F.einsum(subscripts, *xs)
    expect = numpy.einsum(subscripts, *[x.astype(numpy.float64) for x in xs])
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))
    _check_all(lambda *xs: F.einsum(subscripts, *xs), xs, dtype)


def test_einsum_sublist_format():
    x1, x2 = _u((3, 4), numpy.float32), _u((3, 5), numpy.float32, 1)
    w = _u((4, 5, 6), numpy.float32, 2)
    y = F.einsum(x1, [0, 1], x2, [0, 2], w, [1, 2, 3], [0, 3])
    numpy.testing.assert_allclose(y.array, numpy.einsum('ij,ik,jkl->il', x1, x2, w),
                                  rtol=1e-5, atol=1e-6)
    y = F.einsum(x1, [Ellipsis, 1], x2, [Ellipsis, 2], w, [1, 2, 3])
    assert y.shape == (3, 6)


def test_einsum_bad_input():
    a = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match='einsum'):
        F.einsum('ij,jk', a, a)
    with pytest.raises(InvalidType, match='einsum'):
        F.einsum('ijk', a)
    with pytest.raises(InvalidType, match='einsum'):
        F.einsum('ij', a.astype(numpy.int32))
    with pytest.raises(ValueError, match='einsum'):
        F.einsum('ij->k', a)
    with pytest.raises(ValueError, match='einsum'):
        F.einsum('ij,jk', a)
    with pytest.raises(ValueError, match='einsum'):
        F.einsum('i$', a)


@pytest.mark.parametrize('subscripts, shapes, error', [
    # as in Chainer: the ellipses do not broadcast against each other
    ('...i,...i', [(2, 2), (3, 2)], InvalidType),
    ('...i,...i', [(2, 2), (1, 2)], InvalidType),
    ('...i,...i', [(2,), (1, 2)], InvalidType),
    ('...i,...j', [(2, 3), (3, 2)], InvalidType),
    # an ellipsis only in the output, or summed away
    ('i,i->...', [(2,), (2,)], ValueError),
    ('...->', [(2,)], ValueError),
    ('j...i->ij', [(2, 1, 3)], ValueError),
    ('i,...i->', [(2,), (3, 2)], ValueError),
])
def test_einsum_chainer_errors(subscripts, shapes, error):
    xs = [numpy.zeros(s, numpy.float32) for s in shapes]
    with pytest.raises(error, match='einsum'):
        F.einsum(subscripts, *xs)


@pytest.mark.gpu
def test_products_gpu():
    import cupy
    a, b = _u((2, 3), numpy.float32), _u((3, 4), numpy.float32, 1)
    for f in (F.matmul, lambda a, b: F.tensordot(a, b, 1),
              lambda a, b: F.einsum('ij,jk->ik', a, b)):
        ag, bg = cupy.asarray(a), cupy.asarray(b)
        numpy.testing.assert_allclose(cupy.asnumpy(f(ag, bg).array), a @ b, rtol=1e-5)
        gradient_check.check_backward(f, (ag, bg), cupy.asarray(_u((2, 4),
                                                                   numpy.float32, 2)),
                                      dtype=numpy.float64, atol=1e-3, rtol=1e-2)


# ---- mixed float dtypes (Chainer computes in the promoted dtype) -----------------------

MIXED = [(numpy.float16, numpy.float32), (numpy.float32, numpy.float16),
         (numpy.float16, numpy.float64), (numpy.float32, numpy.float64)]


def _check_mixed(f, ref, inputs, dtypes):
    out_dtype = numpy.result_type(*dtypes)
    y = f(*inputs)
    assert y.dtype == out_dtype
    numpy.testing.assert_allclose(y.array, ref(*inputs), rtol=1e-6, atol=1e-6)
    gy = _u(y.shape, out_dtype, 7)
    vs = [kusari.Variable(x) for x in inputs]
    y = f(*vs)
    y.grad = gy
    y.backward()
    for v, x in zip(vs, inputs):
        assert v.grad.dtype == x.dtype   # each gradient in its input's dtype
    tol = dict(atol=1e-2, rtol=5e-2) if numpy.float16 in dtypes else dict(atol=1e-4,
                                                                           rtol=1e-3)
    gradient_check.check_backward(f, inputs, gy, dtype=numpy.float64, **tol)
    ggx = tuple(_u(x.shape, x.dtype, 8 + i) for i, x in enumerate(inputs))
    gradient_check.check_double_backward(f, inputs, gy, ggx, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('da, db', MIXED)
@pytest.mark.parametrize('sa, sb, ta, tb', [
    ((2, 5), (5, 3), False, False), ((5, 2), (3, 5), True, True), ((5,), (5, 2), False,
                                                                     False),
    ((2, 3, 4), (4,), False, False), ((6, 2, 5), (6, 5, 3), False, False),
])
def test_matmul_mixed_dtypes(da, db, sa, sb, ta, tb):
    a, b = _u(sa, da, 1), _u(sb, db, 2)

    def ref(a, b):
        a64, b64 = a.astype(numpy.float64), b.astype(numpy.float64)
        if ta and a.ndim > 1:
            a64 = a64.swapaxes(-1, -2)
        if tb and b.ndim > 1:
            b64 = b64.swapaxes(-1, -2)
        return numpy.matmul(a64, b64).astype(numpy.result_type(a, b))

    _check_mixed(lambda a, b: F.matmul(a, b, ta, tb), ref, (a, b), (da, db))


@pytest.mark.parametrize('da, db', MIXED)
def test_tensordot_mixed_dtypes(da, db):
    a, b = _u((3, 4, 2), da, 1), _u((4, 2, 5), db, 2)

    def ref(a, b):
        return numpy.tensordot(a.astype(numpy.float64), b.astype(numpy.float64),
                               2).astype(numpy.result_type(a, b))

    _check_mixed(lambda a, b: F.tensordot(a, b, 2), ref, (a, b), (da, db))


def test_same_dtype_product_adds_no_cast():
    a = kusari.Variable(_u((2, 3), numpy.float32))
    y = F.matmul(a, _u((3, 2), numpy.float32))
    assert y.creator.label != 'Cast' and y.creator.inputs[0] is a.node


@pytest.mark.parametrize('subs, shapes, out_shape', [
    ('i->ij', ((3,),), (3, 4)), ('->i', ((),), (3,)), (',i->ij', ((), (2,)), (2, 3)),
    (',ij->i', ((), (3, 4)), (3,)), ('i->ii', ((3,),), (3, 3)),
    ('ij->jii', ((2, 3),), (3, 2, 2)), ('ij,jk->ik', ((2, 3), (3, 4)), (2, 4)),
])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_diag_einsum(subs, shapes, out_shape, dtype):
    from kusari.functions.math.einsum import DiagEinSum
    ins, out = subs.split('->')
    xs = [_u(s, dtype, 3 + k) for k, s in enumerate(shapes)]

    def op(*a):
        return DiagEinSum(in_subs=ins, out_sub=out, out_shape=out_shape).apply(a)[0]

    # reference: y[idx] = sum of the products (letters only in the output broadcast;
    # a repeated output letter: the diagonal, zeros elsewhere)
    kept = ''.join(dict.fromkeys(c for c in out if c in ins))
    z = numpy.einsum(ins + '->' + kept, *[x.astype(numpy.float64) for x in xs])
    ref = numpy.zeros(out_shape)
    for idx in numpy.ndindex(*out_shape):
        val = dict()
        if any(val.setdefault(c, i) != i for c, i in zip(out, idx)):
            continue
        ref[idx] = z[tuple(val[c] for c in kept)]
    y = op(*xs)
    assert y.dtype == dtype and y.shape == out_shape
    numpy.testing.assert_allclose(y.array, ref, rtol=1e-5, atol=1e-6)
    gy = _u(out_shape, dtype, 9)
    ggs = [_u(s, dtype, 10 + k) for k, s in enumerate(shapes)]
    gradient_check.check_backward(op, xs, gy, atol=1e-2, rtol=5e-2, dtype=numpy.float64)
    gradient_check.check_double_backward(op, xs, gy, ggs, atol=1e-2, rtol=5e-2,
                                         dtype=numpy.float64)
