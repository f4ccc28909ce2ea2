"""Inputs of the function benchmarks: per family, a small and a large case.

Each case is ``(family, name, make)`` where ``make(size, rng)`` returns
``(fn, inputs, out_index)``: ``fn(*inputs)`` runs the function (inputs that are
Variables get gradients in the backward benchmark) and ``out_index`` picks the
output to backpropagate from when ``fn`` returns a tuple (None: a single output).
"""
import numpy

import kusari
import kusari.functions as F

f32 = numpy.float32


def _v(a):
    return kusari.Variable(a)


def _rand(rng, *shape):
    return rng.standard_normal(shape).astype(f32)


def _unary(fn, small, large):
    def make(size, rng):
        shape = small if size == 'small' else large
        return fn, (_v(_rand(rng, *shape)),), None
    return make


def _linear(size, rng):
    n, i, o = (32, 64, 32) if size == 'small' else (256, 1024, 1024)
    return F.linear, (_v(_rand(rng, n, i)), _v(_rand(rng, o, i)), _v(_rand(rng, o))), None


def _conv(size, rng):
    if size == 'small':
        x, w = _rand(rng, 8, 3, 16, 16), _rand(rng, 8, 3, 3, 3)
    else:
        x, w = _rand(rng, 64, 20, 12, 12), _rand(rng, 50, 20, 5, 5)
    b = _rand(rng, w.shape[0])
    return (lambda x, W, b: F.convolution_2d(x, W, b, pad=1 if size == 'small' else 0),
            (_v(x), _v(w), _v(b)), None)


def _deconv(size, rng):
    if size == 'small':
        x, w = _rand(rng, 8, 8, 8, 8), _rand(rng, 8, 3, 3, 3)
    else:
        x, w = _rand(rng, 32, 32, 16, 16), _rand(rng, 32, 16, 4, 4)
    return (lambda x, W: F.deconvolution_2d(x, W, stride=2), (_v(x), _v(w)), None)


def _embed(size, rng):
    v, u, n = (100, 16, 32) if size == 'small' else (10000, 256, 2048)
    ids = rng.integers(0, v, n).astype(numpy.int32)
    return F.embed_id, (ids, _v(_rand(rng, v, u))), None


def _max_pool(size, rng):
    shape = (8, 4, 16, 16) if size == 'small' else (64, 20, 24, 24)
    return (lambda x: F.max_pooling_2d(x, 2), (_v(_rand(rng, *shape)),), None)


def _max_pool3(size, rng):
    shape = (8, 4, 16, 16) if size == 'small' else (32, 32, 28, 28)
    return (lambda x: F.max_pooling_2d(x, 3, 2, 1), (_v(_rand(rng, *shape)),), None)


def _avg_pool(size, rng):
    shape = (8, 4, 16, 16) if size == 'small' else (64, 20, 24, 24)
    return (lambda x: F.average_pooling_2d(x, 2), (_v(_rand(rng, *shape)),), None)


def _lstm(size, rng):
    b, u = (8, 16) if size == 'small' else (64, 512)
    return F.lstm, (_v(_rand(rng, b, u)), _v(_rand(rng, b, 4 * u))), 1


def _sce(size, rng):
    n, c = (16, 10) if size == 'small' else (256, 1000)
    t = rng.integers(0, c, n).astype(numpy.int32)
    return F.softmax_cross_entropy, (_v(_rand(rng, n, c)), t), None


def _mse(size, rng):
    shape = (16, 10) if size == 'small' else (256, 4096)
    return F.mean_squared_error, (_v(_rand(rng, *shape)), _v(_rand(rng, *shape))), None


def _matmul(size, rng):
    n = 32 if size == 'small' else 512
    return F.matmul, (_v(_rand(rng, n, n)), _v(_rand(rng, n, n))), None


def _concat(size, rng):
    shape = (16, 8) if size == 'small' else (256, 1024)
    xs = [_v(_rand(rng, *shape)) for _ in range(4)]
    return (lambda *xs: F.concat(xs, axis=1)), tuple(xs), None


def _transpose(size, rng):
    shape = (8, 4, 16, 16) if size == 'small' else (64, 32, 32, 32)
    return (lambda x: F.transpose(x, (0, 2, 3, 1))), (_v(_rand(rng, *shape)),), None


def _getitem(size, rng):
    shape = (16, 32) if size == 'small' else (1024, 1024)
    return (lambda x: x[::2, 1:-1]), (_v(_rand(rng, *shape)),), None


def _batchnorm(size, rng):
    n, c = (16, 8) if size == 'small' else (256, 1024)
    return (F.batch_normalization,
            (_v(_rand(rng, n, c)), _v(numpy.ones(c, f32)), _v(numpy.zeros(c, f32))), None)


def _layernorm(size, rng):
    n, c = (16, 8) if size == 'small' else (256, 1024)
    return (F.layer_normalization,
            (_v(_rand(rng, n, c)), _v(numpy.ones(c, f32)), _v(numpy.zeros(c, f32))), None)


def _dropout(size, rng):
    shape = (16, 32) if size == 'small' else (512, 2048)
    return (lambda x: F.dropout(x, 0.5)), (_v(_rand(rng, *shape)),), None


SMALL = (16, 32)
LARGE = (512, 2048)

CASES = [
    ('activation', 'relu', _unary(F.relu, SMALL, LARGE)),
    ('activation', 'sigmoid', _unary(F.sigmoid, SMALL, LARGE)),
    ('activation', 'tanh', _unary(F.tanh, SMALL, LARGE)),
    ('activation', 'softmax', _unary(F.softmax, SMALL, LARGE)),
    ('activation', 'log_softmax', _unary(F.log_softmax, SMALL, LARGE)),
    ('connection', 'linear', _linear),
    ('connection', 'convolution_2d', _conv),
    ('connection', 'deconvolution_2d', _deconv),
    ('connection', 'embed_id', _embed),
    ('pooling', 'max_pooling_2d_k2', _max_pool),
    ('pooling', 'max_pooling_2d_k3s2p1', _max_pool3),
    ('pooling', 'average_pooling_2d', _avg_pool),
    ('rnn', 'lstm', _lstm),
    ('loss', 'softmax_cross_entropy', _sce),
    ('loss', 'mean_squared_error', _mse),
    ('math', 'exp', _unary(F.exp, SMALL, LARGE)),
    ('math', 'sum', _unary(F.sum, SMALL, LARGE)),
    ('math', 'matmul', _matmul),
    ('array', 'concat', _concat),
    ('array', 'transpose', _transpose),
    ('array', 'get_item', _getitem),
    ('normalization', 'batch_normalization', _batchnorm),
    ('normalization', 'layer_normalization', _layernorm),
    ('noise', 'dropout', _dropout),
]
