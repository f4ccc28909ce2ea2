"""Tests of kusari.links.TransformerEncoderLayer, and a tiny transformer that learns."""
import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import gradient_check
from kusari import link
from kusari import optimizers
from kusari import testing
from kusari import variable
from kusari.utils import type_check


def linear(x, l):
    y = x @ l.W.array.T.astype(numpy.float64)
    if l.b is not None:
        y = y + l.b.array
    return y


def mha_ref(mha, query, key=None, value=None, mask=None, causal=False):
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


def layer_norm(x, ln):
    mu = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mu) / numpy.sqrt(var + ln.eps) * ln.gamma.array + ln.beta.array


def gelu(x):
    from scipy.special import erf
    return 0.5 * x * (1 + erf(x / numpy.sqrt(2)))


def ref(layer, x, act=gelu, mask=None, causal=False):
    def ff(h):
        h = act(h @ layer.W_1.W.array.T + layer.W_1.b.array)
        return h @ layer.W_2.W.array.T + layer.W_2.b.array

    def attn(h):
        return mha_ref(layer.self_attn, h, mask=mask, causal=causal)

    if layer.norm_first:
        x = x + attn(layer_norm(x, layer.norm1))
        return x + ff(layer_norm(x, layer.norm2))
    x = layer_norm(x + attn(x), layer.norm1)
    return layer_norm(x + ff(x), layer.norm2)


def make_layer(norm_first=True, activation='gelu', dropout_ratio=0.0, d_ff=None):
    with kusari.using_config('dtype', numpy.float64):
        layer = L.TransformerEncoderLayer(6, 2, d_ff=d_ff, dropout_ratio=dropout_ratio,
                                          activation=activation, norm_first=norm_first)
    rng = numpy.random.RandomState(0)
    for p in layer.params():
        p.array[...] = rng.uniform(-0.6, 0.6, p.shape)
    return layer


@pytest.mark.parametrize('norm_first', [True, False])
@pytest.mark.parametrize('activation', ['gelu', 'relu', 'tanh'])
@pytest.mark.parametrize('causal', [False, True])
def test_forward(norm_first, activation, causal):
    act_fn = {'gelu': 'gelu', 'relu': 'relu', 'tanh': F.tanh}[activation]
    act_ref = {'gelu': gelu, 'relu': lambda h: numpy.maximum(h, 0),
               'tanh': numpy.tanh}[activation]
    layer = make_layer(norm_first, act_fn, d_ff=10)
    assert layer.W_1.W.shape == (10, 6)
    x = numpy.random.RandomState(1).randn(2, 5, 6)
    y = layer(x, is_causal=causal)
    assert y.shape == (2, 5, 6)
    testing.assert_allclose(y.array, ref(layer, x, act_ref, causal=causal), atol=1e-10,
                            rtol=1e-10)


def test_mask_and_default_d_ff():
    layer = make_layer()
    assert layer.W_1.W.shape == (24, 6)
    x = numpy.random.RandomState(2).randn(2, 4, 6)
    pad = numpy.ones((2, 1, 1, 4), bool)
    pad[0, ..., 2:] = False
    testing.assert_allclose(layer(x, mask=pad).array, ref(layer, x, mask=pad),
                            atol=1e-10, rtol=1e-10)


@pytest.mark.parametrize('norm_first', [True, False])
def test_backward(norm_first):
    layer = make_layer(norm_first, d_ff=8)
    rng = numpy.random.RandomState(3)
    x = rng.randn(2, 3, 6)
    gy = rng.randn(2, 3, 6)
    gradient_check.check_backward(lambda x: layer(x, is_causal=True), x, gy,
                                  params=tuple(layer.params()), atol=1e-6, rtol=1e-5)


def test_dropout_train_and_test_modes():
    layer = make_layer(dropout_ratio=0.3)
    x = numpy.random.RandomState(4).randn(2, 5, 6)
    with kusari.using_config('train', False):
        a = layer(x).array
    testing.assert_allclose(a, ref(layer, x), atol=1e-10, rtol=1e-10)
    assert not numpy.allclose(layer(x).array, a)


def test_invalid():
    layer = L.TransformerEncoderLayer(6, 2)
    with pytest.raises(type_check.InvalidType, match='TransformerEncoderLayer'):
        layer(numpy.zeros((2, 3, 5), numpy.float32))
    with pytest.raises(type_check.InvalidType, match='TransformerEncoderLayer'):
        layer(numpy.zeros((3, 6), numpy.float32))
    with pytest.raises(ValueError, match='TransformerEncoderLayer'):
        L.TransformerEncoderLayer(6, 2, activation='swish')
    with pytest.raises(ValueError, match='MultiHeadAttention'):
        L.TransformerEncoderLayer(6, 4)


# -- end to end: a 1-layer transformer learns to reverse sequences --------------------

class TinyTransformer(link.Chain):
    """Token + learned position embeddings, one encoder layer, a linear read-out."""

    def __init__(self, n_vocab, length, d_model=32, n_heads=4):
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, d_model)
            self.pos = variable.Parameter(
                numpy.random.RandomState(0).normal(0, 0.5, (length, d_model))
                .astype(numpy.float32))
            self.encoder = L.TransformerEncoderLayer(d_model, n_heads, d_ff=64,
                                                     dropout_ratio=0.0)
            self.out = L.Linear(d_model, n_vocab)

    def forward(self, ids):
        B, T = ids.shape
        h = self.embed(ids) + F.broadcast_to(self.pos, (B, T, self.pos.shape[1]))
        h = self.encoder(h)
        return self.out(h, n_batch_axes=2)                 # (B, T, n_vocab)


def test_tiny_transformer_learns_to_reverse():
    numpy.random.seed(0)
    V, T, B = 8, 6, 32
    model = TinyTransformer(V, T)
    opt = optimizers.Adam(alpha=3e-3)
    opt.setup(model)
    rng = numpy.random.RandomState(1)

    def batch(n):
        x = rng.randint(0, V, (n, T)).astype(numpy.int32)
        return x, x[:, ::-1].copy()

    def accuracy(n=256):
        x, t = batch(n)
        with kusari.using_config('train', False), kusari.no_backprop_mode():
            y = model(x).array
        return float((y.argmax(-1) == t).mean())

    before = accuracy()
    for _ in range(200):
        x, t = batch(B)
        y = model(x)
        loss = F.softmax_cross_entropy(F.reshape(y, (B * T, V)), t.reshape(-1),
                                       label_smoothing=0.05)
        model.cleargrads()
        loss.backward()
        opt.update()
    after = accuracy()
    assert before < 0.3                                   # chance is 1/8
    assert after > 0.9, (before, after)
