"""Tests of kusari.functions.scaled_dot_product_attention."""
import tracemalloc

import numpy
import pytest

import kusari
from kusari import gradient_check
from kusari import testing
from kusari.functions import scaled_dot_product_attention as sdpa
from kusari.functions.attention import ScaledDotProductAttention
from kusari.functions.attention import _attention_kernels
from kusari.utils import type_check

DTYPES = (numpy.float16, numpy.float32, numpy.float64)
TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-3),
       numpy.float32: dict(atol=1e-5, rtol=1e-5),
       numpy.float64: dict(atol=1e-12, rtol=1e-12)}
GTOL = {numpy.float16: dict(atol=2e-2, rtol=2e-2),
        numpy.float32: dict(atol=1e-4, rtol=1e-4),
        numpy.float64: dict(atol=1e-11, rtol=1e-11)}


# -- the naive reference ------------------------------------------------------------

def ref_probs(q, k, mask=None, causal=False, scale=None):
    q = q.astype(numpy.float64)
    k = k.astype(numpy.float64)
    if scale is None:
        scale = 1 / numpy.sqrt(q.shape[-1])
    s = q @ k.swapaxes(-1, -2) * scale
    if mask is not None:
        if mask.dtype == bool:
            s = numpy.where(mask, s, -numpy.inf)
        else:
            s = s + mask.astype(numpy.float64)
    if causal:
        s = numpy.where(numpy.tri(s.shape[-2], s.shape[-1], dtype=bool), s, -numpy.inf)
    m = s.max(-1, keepdims=True)
    m = numpy.where(numpy.isfinite(m), m, 0)
    e = numpy.exp(s - m)
    z = e.sum(-1, keepdims=True)
    return e / numpy.where(z > 0, z, 1)        # all-masked rows: zero probabilities


def ref_forward(q, k, v, mask=None, causal=False, scale=None, dscale=None):
    p = ref_probs(q, k, mask, causal, scale)
    if dscale is not None:
        p = p * dscale
    return p @ v.astype(numpy.float64)


def ref_backward(q, k, v, gy, mask=None, causal=False, scale=None, dscale=None):
    q, k, v, gy = [a.astype(numpy.float64) for a in (q, k, v, gy)]
    if scale is None:
        scale = 1 / numpy.sqrt(q.shape[-1])
    p = ref_probs(q, k, mask, causal, scale)
    pd = p if dscale is None else p * dscale
    gv = pd.swapaxes(-1, -2) @ gy
    dp = gy @ v.swapaxes(-1, -2)
    if dscale is not None:
        dp = dp * dscale
    ds = p * (dp - (p * dp).sum(-1, keepdims=True)) * scale
    return ds @ k, ds.swapaxes(-1, -2) @ q, gv


def make(B, H, Lq, Lk, D, Dv, dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    q = rng.randn(B, H, Lq, D).astype(dtype)
    k = rng.randn(B, H, Lk, D).astype(dtype)
    v = rng.randn(B, H, Lk, Dv).astype(dtype)
    gy = rng.randn(B, H, Lq, Dv).astype(dtype)
    return q, k, v, gy


def make_mask(kind, B, H, Lq, Lk, seed=1):
    rng = numpy.random.RandomState(seed)
    if kind is None:
        return None
    if kind == 'bool':
        m = rng.rand(1, H, Lq, Lk) > 0.3
        m[..., 0] = True                           # every row keeps one key
        return m
    if kind == 'bool2d':
        return rng.rand(Lq, Lk) > 0.4
    if kind == 'keypad':                           # (B, 1, 1, Lk) key padding
        m = numpy.ones((B, 1, 1, Lk), bool)
        m[0, ..., Lk // 2:] = False
        return m
    if kind == 'float':
        m = rng.uniform(-2, 2, (B, 1, Lq, Lk))
        m[rng.rand(*m.shape) < 0.2] = -numpy.inf
        return m
    raise ValueError(kind)


SHAPES = [(2, 3, 5, 7, 4, 6), (1, 2, 70, 130, 8, 5), (2, 1, 1, 1, 3, 2),
          (1, 1, 33, 65, 2, 1)]
MASKS = [None, 'bool', 'bool2d', 'keypad', 'float']


def grads_of(q, k, v, gy, double_bp=False, **kw):
    vs = [kusari.Variable(a.copy()) for a in (q, k, v)]
    y = sdpa(*vs, **kw)
    gs = kusari.grad([y], vs, grad_outputs=[gy.copy()], enable_double_backprop=double_bp)
    return [g.array for g in gs]


# -- forward ------------------------------------------------------------------------

@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', SHAPES)
@pytest.mark.parametrize('mask_kind', MASKS)
@pytest.mark.parametrize('causal', [False, True])
def test_forward(dtype, shape, mask_kind, causal):
    q, k, v, _ = make(*shape, dtype)
    mask = make_mask(mask_kind, *shape[:4])
    if mask is not None and mask.dtype != bool:
        mask = mask.astype(dtype)
    y = sdpa(q, k, v, mask=mask, is_causal=causal)
    assert isinstance(y, kusari.Variable)
    assert y.dtype == dtype and y.shape == shape[:3] + (shape[5],)
    testing.assert_allclose(y.array, ref_forward(q, k, v, mask, causal).astype(dtype),
                            **TOL[dtype])


@pytest.mark.parametrize('scale', [0.0, 0.3, 2.0])
def test_forward_scale(scale):
    q, k, v, _ = make(2, 2, 6, 9, 4, 3, numpy.float64)
    testing.assert_allclose(sdpa(q, k, v, scale=scale).array,
                            ref_forward(q, k, v, scale=scale), atol=1e-12, rtol=1e-12)


def test_forward_noncontiguous():
    q, k, v, _ = make(2, 2, 6, 9, 4, 3, numpy.float64)
    qn = numpy.asfortranarray(q)
    kn = k.transpose(0, 2, 1, 3).copy().transpose(0, 2, 1, 3)
    big = numpy.full(v.shape[:3] + (2 * v.shape[3],), numpy.nan)
    big[..., ::2] = v
    vn = big[..., ::2]
    assert not (qn.flags.c_contiguous or kn.flags.c_contiguous or vn.flags.c_contiguous)
    testing.assert_allclose(sdpa(qn, kn, vn, is_causal=True).array,
                            ref_forward(q, k, v, causal=True), atol=1e-12, rtol=1e-12)


def test_large_scores_are_stable():
    q, k, v, _ = make(1, 1, 40, 80, 4, 3, numpy.float32)
    y = sdpa(q * 30, k * 30, v).array
    assert numpy.isfinite(y).all()
    testing.assert_allclose(y, ref_forward(q * 30, k * 30, v).astype(numpy.float32),
                            atol=1e-4, rtol=1e-4)


def test_fully_masked_rows_are_zero():
    q, k, v, gy = make(1, 2, 4, 5, 3, 2, numpy.float64)
    mask = numpy.ones((1, 2, 4, 5), bool)
    mask[0, 1, 2] = False
    fmask = numpy.where(mask, 0.0, -numpy.inf)
    for m in (mask, fmask):
        y = sdpa(q, k, v, mask=m).array
        assert (y[0, 1, 2] == 0).all()
        testing.assert_allclose(y, ref_forward(q, k, v, m), atol=1e-12, rtol=1e-12)
        for double_bp in (False, True):
            gq, gk, gv = grads_of(q, k, v, gy, double_bp, mask=m)
            assert (gq[0, 1, 2] == 0).all()
            for got, want in zip((gq, gk, gv), ref_backward(q, k, v, gy, m)):
                testing.assert_allclose(got, want, atol=1e-12, rtol=1e-12)


def test_causal_with_longer_keys_is_top_left_aligned():
    q, k, v, _ = make(1, 1, 3, 6, 2, 2, numpy.float64)
    y = sdpa(q, k, v, is_causal=True).array
    testing.assert_allclose(y[0, 0, 0], v[0, 0, 0])      # row 0 sees key 0 only


# -- backward -----------------------------------------------------------------------

@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', SHAPES[:2] + SHAPES[3:])
@pytest.mark.parametrize('mask_kind', MASKS)
@pytest.mark.parametrize('causal', [False, True])
def test_backward_matches_reference(dtype, shape, mask_kind, causal):
    q, k, v, gy = make(*shape, dtype)
    mask = make_mask(mask_kind, *shape[:4])
    if mask is not None and mask.dtype != bool:
        mask = mask.astype(dtype)
    got = grads_of(q, k, v, gy, mask=mask, is_causal=causal)      # the fused kernel
    want = ref_backward(q, k, v, gy, mask, causal)
    for g, w in zip(got, want):
        assert g.dtype == dtype
        testing.assert_allclose(g, w.astype(dtype), **GTOL[dtype])


@pytest.mark.parametrize('mask_kind', MASKS)
@pytest.mark.parametrize('causal', [False, True])
def test_backward_paths_agree(mask_kind, causal):
    q, k, v, gy = make(2, 2, 5, 7, 3, 4, numpy.float64)
    mask = make_mask(mask_kind, 2, 2, 5, 7)
    a = grads_of(q, k, v, gy, False, mask=mask, is_causal=causal)
    b = grads_of(q, k, v, gy, True, mask=mask, is_causal=causal)
    for x, y in zip(a, b):
        testing.assert_allclose(x, y, atol=1e-12, rtol=1e-12)


@pytest.mark.parametrize('mask_kind', MASKS)
@pytest.mark.parametrize('causal', [False, True])
def test_check_backward(mask_kind, causal):
    q, k, v, gy = make(2, 2, 5, 7, 3, 4, numpy.float64)
    mask = make_mask(mask_kind, 2, 2, 5, 7)
    gradient_check.check_backward(
        lambda q, k, v: sdpa(q, k, v, mask=mask, is_causal=causal), (q, k, v), gy,
        atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32])
def test_check_backward_low_precision(dtype):
    q, k, v, gy = make(1, 2, 4, 6, 3, 2, dtype)
    gradient_check.check_backward(lambda q, k, v: sdpa(q, k, v, is_causal=True),
                                  (q, k, v), gy, dtype=numpy.float64, atol=1e-3,
                                  rtol=1e-3)


def test_check_backward_noncontiguous():
    q, k, v, gy = make(1, 2, 5, 6, 3, 2, numpy.float64)
    q = numpy.asfortranarray(q)
    gy = numpy.asfortranarray(gy)
    gradient_check.check_backward(sdpa, (q, k, v), gy, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('mask_kind', [None, 'bool', 'float'])
@pytest.mark.parametrize('causal', [False, True])
def test_double_backward(mask_kind, causal):
    q, k, v, gy = make(1, 2, 4, 5, 3, 2, numpy.float64)
    mask = make_mask(mask_kind, 1, 2, 4, 5)
    rng = numpy.random.RandomState(3)
    ggs = tuple(rng.randn(*a.shape) for a in (q, k, v))
    gradient_check.check_double_backward(
        lambda q, k, v: sdpa(q, k, v, mask=mask, is_causal=causal), (q, k, v), gy, ggs,
        atol=1e-5, rtol=1e-4)


# -- dropout ------------------------------------------------------------------------

def test_dropout_only_in_train_mode():
    q, k, v, _ = make(1, 2, 5, 7, 3, 4, numpy.float64)
    with kusari.using_config('train', False):
        y = sdpa(q, k, v, dropout_ratio=0.5).array
    testing.assert_allclose(y, ref_forward(q, k, v), atol=1e-12, rtol=1e-12)
    y1 = sdpa(q, k, v, dropout_ratio=0.5).array
    assert not numpy.allclose(y1, y)


def test_dropout_forward_and_backward_use_the_hash_mask():
    q, k, v, gy = make(2, 2, 40, 70, 3, 4, numpy.float64)
    ratio, seed = 0.3, 12345
    keep = _attention_kernels.dropout_keep(seed, (2, 2, 40, 70), ratio)
    assert keep.dtype == bool and keep.shape == (2, 2, 40, 70)
    assert abs(keep.mean() - (1 - ratio)) < 0.03
    dscale = keep / (1 - ratio)

    def f(q, k, v):
        return ScaledDotProductAttention(dropout_ratio=ratio, seed=seed).apply(
            (q, k, v))[0]

    y = f(q, k, v).array
    testing.assert_allclose(y, ref_forward(q, k, v, dscale=dscale), atol=1e-12,
                            rtol=1e-12)
    vs = [kusari.Variable(a) for a in (q, k, v)]
    for double_bp in (False, True):
        gs = kusari.grad([f(*vs)], vs, grad_outputs=[gy], enable_double_backprop=double_bp)
        for g, w in zip(gs, ref_backward(q, k, v, gy, dscale=dscale)):
            testing.assert_allclose(g.array, w, atol=1e-12, rtol=1e-12)
    gradient_check.check_backward(f, (q[:, :, :5], k[:, :, :6], v[:, :, :6]),
                                  gy[:, :, :5], atol=1e-6, rtol=1e-5)


def test_dropout_seeds_differ_per_call():
    q, k, v, _ = make(1, 1, 8, 8, 2, 2, numpy.float64)
    a = sdpa(q, k, v, dropout_ratio=0.5).array
    b = sdpa(q, k, v, dropout_ratio=0.5).array
    assert not numpy.array_equal(a, b)


# -- memory -------------------------------------------------------------------------

def test_cpu_kernel_memory_is_linear_in_length():
    L, D = 2048, 16
    q, k, v, gy = make(1, 1, L, L, D, D, numpy.float32)
    vs = [kusari.Variable(a) for a in (q, k, v)]
    full = L * L * 4                                     # one float32 L x L matrix
    tracemalloc.start()
    try:
        y = sdpa(*vs, is_causal=True)
        y.grad = gy
        y.backward()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < full / 8, (peak, full)
    # the result is still right (spot-check a few rows against the reference)
    rows = [0, 1, 777, L - 1]
    s = q[0, 0, rows].astype(numpy.float64) @ k[0, 0].T.astype(numpy.float64) / 4
    s = numpy.where(numpy.arange(L)[None, :] <= numpy.array(rows)[:, None], s, -numpy.inf)
    e = numpy.exp(s - s.max(-1, keepdims=True))
    want = (e / e.sum(-1, keepdims=True)) @ v[0, 0].astype(numpy.float64)
    testing.assert_allclose(y.array[0, 0, rows], want, atol=1e-5, rtol=1e-4)
    assert numpy.isfinite(vs[0].grad).all() and vs[1].grad.shape == (1, 1, L, D)


# -- bad input ----------------------------------------------------------------------

def _invalid(*args, **kw):
    with pytest.raises(TypeError) as e:
        sdpa(*args, **kw)
    assert isinstance(e.value, type_check.InvalidType)
    assert 'scaled_dot_product_attention' in str(e.value)


def test_invalid():
    q, k, v, _ = make(1, 2, 3, 4, 5, 6, numpy.float32)
    _invalid(q.astype(numpy.int32), k, v)
    _invalid(q[0], k[0], v[0])
    _invalid(q, k.astype(numpy.float64), v)
    _invalid(q, k[..., :4], v)
    _invalid(q, k, v[:, :, :3])
    _invalid(q, k[:1, :1], v)
    _invalid(q, k, v, mask=numpy.ones((3, 5), bool))
    _invalid(q, k, v, mask=numpy.ones((1, 1, 1, 3, 4), bool))
    _invalid(q, k, v, mask=numpy.ones((3, 4), numpy.int32))
    with pytest.raises(ValueError, match='scaled_dot_product_attention'):
        sdpa(q, k, v, dropout_ratio=1.0)


def test_kernel_validates_shapes():
    q, k, v, _ = make(1, 1, 3, 4, 2, 2, numpy.float64)
    with pytest.raises(ValueError):
        _attention_kernels.forward(q, k[..., :1], v, None, None, 0, False, 1.0, 0.0, 0)
    with pytest.raises(ValueError):
        _attention_kernels.forward(q, k, v, numpy.ones((1, 1, 3, 3), numpy.uint8), None,
                                   1, False, 1.0, 0.0, 0)


# -- GPU ----------------------------------------------------------------------------

@pytest.mark.gpu
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('mask_kind', [None, 'bool', 'float'])
@pytest.mark.parametrize('causal', [False, True])
def test_gpu(dtype, mask_kind, causal):
    import cupy
    q, k, v, gy = make(2, 2, 5, 7, 3, 4, dtype)
    mask = make_mask(mask_kind, 2, 2, 5, 7)
    if mask is not None and mask.dtype != bool:
        mask = mask.astype(dtype)
    tol = TOL[dtype] if dtype != numpy.float64 else dict(atol=1e-10, rtol=1e-10)
    gm = None if mask is None else cupy.asarray(mask)
    vs = [kusari.Variable(cupy.asarray(a)) for a in (q, k, v)]
    y = sdpa(*vs, mask=gm, is_causal=causal)
    testing.assert_allclose(y.array, ref_forward(q, k, v, mask, causal).astype(dtype),
                            **tol)
    y.grad = cupy.asarray(gy)
    y.backward()
    for g, w in zip(vs, ref_backward(q, k, v, gy, mask, causal)):
        testing.assert_allclose(g.grad, w.astype(dtype), **GTOL[dtype])


@pytest.mark.gpu
def test_gpu_dropout_matches_cpu():
    import cupy
    q, k, v, gy = make(1, 2, 9, 11, 3, 4, numpy.float64)

    def f(q, k, v):
        return ScaledDotProductAttention(dropout_ratio=0.4, seed=7).apply((q, k, v))[0]

    testing.assert_allclose(f(*[cupy.asarray(a) for a in (q, k, v)]).array,
                            f(q, k, v).array, atol=1e-10, rtol=1e-10)
    gradient_check.check_backward(f, tuple(cupy.asarray(a) for a in (q, k, v)),
                                  cupy.asarray(gy), atol=1e-6, rtol=1e-5)
