"""Tests of kusari.links.MultiHeadAttention."""
import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari import testing
from kusari.utils import type_check


def linear(x, l):
    y = x @ l.W.array.T.astype(numpy.float64)
    if l.b is not None:
        y = y + l.b.array
    return y


def ref(mha, query, key=None, value=None, mask=None, causal=False):
    key = query if key is None else key
    value = key if value is None else value
    B, Lq, _ = query.shape
    Lk = key.shape[1]
    H, d = mha.n_heads, mha.head_size

    def split(h, n):
        return h.reshape(B, n, H, d).transpose(0, 2, 1, 3)

    q = split(linear(query, mha.W_q), Lq)
    k = split(linear(key, mha.W_k), Lk)
    v = split(linear(value, mha.W_v), Lk)
    s = q @ k.transpose(0, 1, 3, 2) / numpy.sqrt(d)
    if mask is not None:
        if mask.ndim == 3:
            mask = mask[:, None]
        s = numpy.where(mask, s, -numpy.inf) if mask.dtype == bool else s + mask
    if causal:
        s = numpy.where(numpy.tri(Lq, Lk, dtype=bool), s, -numpy.inf)
    e = numpy.exp(s - s.max(-1, keepdims=True))
    h = (e / e.sum(-1, keepdims=True)) @ v
    h = h.transpose(0, 2, 1, 3).reshape(B, Lq, H * d)
    return linear(h, mha.W_o)


def make_link(n_heads=2, in_size=6, out_size=None, nobias=False):
    with kusari.using_config('dtype', numpy.float64):
        mha = L.MultiHeadAttention(n_heads, in_size, out_size=out_size, nobias=nobias)
    rng = numpy.random.RandomState(0)
    for p in mha.params():
        p.array[...] = rng.uniform(-0.7, 0.7, p.shape)
    return mha


@pytest.mark.parametrize('n_heads', [1, 2, 3])
@pytest.mark.parametrize('out_size', [None, 4])
@pytest.mark.parametrize('nobias', [False, True])
def test_self_attention(n_heads, out_size, nobias):
    mha = make_link(n_heads, 6, out_size, nobias)
    x = numpy.random.RandomState(1).randn(2, 5, 6)
    y = mha(x)
    assert y.shape == (2, 5, out_size or 6)
    testing.assert_allclose(y.array, ref(mha, x), atol=1e-10, rtol=1e-10)
    assert (mha.W_q.b is None) == nobias


def test_cross_attention_masks_and_causal():
    mha = make_link()
    rng = numpy.random.RandomState(2)
    q = rng.randn(2, 3, 6)
    kv = rng.randn(2, 7, 6)
    v = rng.randn(2, 7, 6)
    testing.assert_allclose(mha(q, kv).array, ref(mha, q, kv), atol=1e-10, rtol=1e-10)
    testing.assert_allclose(mha(q, kv, v).array, ref(mha, q, kv, v), atol=1e-10,
                            rtol=1e-10)
    pad = numpy.ones((2, 1, 1, 7), bool)
    pad[1, ..., 4:] = False
    testing.assert_allclose(mha(q, kv, mask=pad).array, ref(mha, q, kv, mask=pad),
                            atol=1e-10, rtol=1e-10)
    m3 = rng.rand(2, 3, 7) > 0.3
    m3[..., 0] = True
    testing.assert_allclose(mha(q, kv, mask=m3).array, ref(mha, q, kv, mask=m3),
                            atol=1e-10, rtol=1e-10)
    fm = rng.randn(3, 7)
    testing.assert_allclose(mha(q, kv, mask=fm).array, ref(mha, q, kv, mask=fm),
                            atol=1e-10, rtol=1e-10)
    x = rng.randn(2, 5, 6)
    testing.assert_allclose(mha(x, is_causal=True).array, ref(mha, x, causal=True),
                            atol=1e-10, rtol=1e-10)


def test_backward():
    mha = make_link()
    rng = numpy.random.RandomState(3)
    q = rng.randn(2, 3, 6)
    kv = rng.randn(2, 4, 6)
    gy = rng.randn(2, 3, 6)
    gradient_check.check_backward(lambda q, kv: mha(q, kv, is_causal=True), (q, kv), gy,
                                  params=tuple(mha.params()), atol=1e-6, rtol=1e-5)


def test_float32_default_and_noncontiguous():
    mha = L.MultiHeadAttention(2, 4)
    x = numpy.random.RandomState(4).randn(2, 4, 3).astype(numpy.float32)
    x = x.transpose(0, 2, 1)                                 # (2, 3, 4), F-ordered
    assert not x.flags.c_contiguous
    y = mha(x)
    assert y.dtype == numpy.float32
    testing.assert_allclose(y.array, ref(mha, x.astype(numpy.float64)), atol=1e-5,
                            rtol=1e-4)


def test_dropout_in_train_mode_only():
    with kusari.using_config('dtype', numpy.float64):
        mha = L.MultiHeadAttention(2, 6, dropout_ratio=0.5)
    x = numpy.random.RandomState(5).randn(2, 8, 6)
    with kusari.using_config('train', False):
        a = mha(x).array
        b = mha(x).array
    numpy.testing.assert_array_equal(a, b)
    testing.assert_allclose(a, ref(mha, x), atol=1e-10, rtol=1e-10)
    assert not numpy.allclose(mha(x).array, a)


def test_invalid():
    mha = L.MultiHeadAttention(2, 6)
    x = numpy.zeros((2, 3, 6), numpy.float32)
    for args in [(numpy.zeros((2, 3, 5), numpy.float32),), (numpy.zeros((3, 6),
                 numpy.float32),), (x, numpy.zeros((3, 4, 6), numpy.float32)),
                 (x, numpy.zeros((2, 4, 6), numpy.float32),
                  numpy.zeros((2, 5, 6), numpy.float32))]:
        with pytest.raises(type_check.InvalidType) as e:
            mha(*args)
        assert 'MultiHeadAttention' in str(e.value)
    with pytest.raises(ValueError, match='MultiHeadAttention'):
        L.MultiHeadAttention(4, 6)
    with pytest.raises(ValueError, match='MultiHeadAttention'):
        L.MultiHeadAttention(2, 6, dropout_ratio=1.0)


@pytest.mark.gpu
def test_gpu():
    import cupy
    mha = make_link()
    x = numpy.random.RandomState(6).randn(2, 5, 6)
    want = ref(mha, x, causal=True)
    mha.to_gpu()
    y = mha(cupy.asarray(x), is_causal=True)
    testing.assert_allclose(y.array, want, atol=1e-10, rtol=1e-10)
    y.grad = cupy.ones_like(y.array)
    y.backward()
    assert mha.W_q.W.grad is not None
