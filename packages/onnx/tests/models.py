"""Small whole models for the export tests (shaped like ../shared/bench/workloads.py's,
smaller so the tests stay fast)."""
import numpy

import kusari
import kusari.functions as F
import kusari.links as L


class MLP(kusari.Chain):
    def __init__(self, n_in=64, n_units=32, n_out=10):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(n_in, n_units)
            self.l2 = L.Linear(n_units, n_units)
            self.l3 = L.Linear(n_units, n_out)

    def forward(self, x):
        return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))


class LeNet(kusari.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.c1 = L.Convolution2D(1, 6, 5)
            self.c2 = L.Convolution2D(6, 16, 5)
            self.l1 = L.Linear(256, 32)
            self.l2 = L.Linear(32, 10)

    def forward(self, x):
        h = F.max_pooling_2d(F.relu(self.c1(x)), 2)
        h = F.max_pooling_2d(F.relu(self.c2(h)), 2)
        return self.l2(F.relu(self.l1(h)))


class Block(kusari.Chain):
    def __init__(self, n_in, n_out, stride):
        super().__init__()
        with self.init_scope():
            self.c1 = L.Convolution2D(n_in, n_out, 3, stride, 1, nobias=True)
            self.b1 = L.BatchNormalization(n_out)
            self.c2 = L.Convolution2D(n_out, n_out, 3, 1, 1, nobias=True)
            self.b2 = L.BatchNormalization(n_out)
            self.cs = L.Convolution2D(n_in, n_out, 1, stride, 0, nobias=True) \
                if stride != 1 or n_in != n_out else None
            self.bs = L.BatchNormalization(n_out) if self.cs is not None else None

    def forward(self, x):
        h = F.relu(self.b1(self.c1(x)))
        h = self.b2(self.c2(h))
        s = x if self.cs is None else self.bs(self.cs(x))
        return F.relu(h + s)


class ResNet(kusari.Chain):
    """ResNet-14 of workloads.py with stages of 4, 8, 16 channels."""

    def __init__(self, w=4):
        super().__init__()
        with self.init_scope():
            self.c0 = L.Convolution2D(3, w, 3, 1, 1, nobias=True)
            self.b0 = L.BatchNormalization(w)
            self.blocks = kusari.ChainList(
                Block(w, w, 1), Block(w, w, 1), Block(w, 2 * w, 2),
                Block(2 * w, 2 * w, 1), Block(2 * w, 4 * w, 2), Block(4 * w, 4 * w, 1))
            self.fc = L.Linear(4 * w, 10)

    def forward(self, x):
        h = F.relu(self.b0(self.c0(x)))
        for b in self.blocks:
            h = b(h)
        return self.fc(F.average(h, axis=(2, 3)))


def perturb_batchnorm(model, seed=0):
    """Give every BatchNormalization non-trivial running statistics and scales."""
    rng = numpy.random.RandomState(seed)
    for _, link in model.namedlinks():
        if isinstance(link, L.BatchNormalization):
            n = link.avg_mean.shape[0]
            link.avg_mean[...] = rng.uniform(-.5, .5, n)
            link.avg_var[...] = rng.uniform(.5, 2, n)
            link.gamma.array[...] = rng.uniform(.5, 1.5, n)
            link.beta.array[...] = rng.uniform(-.5, .5, n)
    return model


class EncoderLayer(kusari.Chain):
    def __init__(self, d, heads, d_ff):
        super().__init__()
        self.heads = heads
        with self.init_scope():
            self.ln1 = L.LayerNormalization(d)
            self.qkv = L.Linear(d, 3 * d)
            self.out = L.Linear(d, d)
            self.ln2 = L.LayerNormalization(d)
            self.ff1 = L.Linear(d, d_ff)
            self.ff2 = L.Linear(d_ff, d)

    def forward(self, x):
        n, length, d = x.shape
        hd = d // self.heads
        h = self.ln1(F.reshape(x, (n * length, d)))
        qkv = F.reshape(self.qkv(h), (n, length, 3, self.heads, hd))
        qkv = F.transpose(qkv, (2, 0, 3, 1, 4))
        q, k, v = F.separate(qkv, axis=0)
        a = F.scaled_dot_product_attention(q, k, v)
        a = F.reshape(F.transpose(a, (0, 2, 1, 3)), (n * length, d))
        x2 = F.reshape(x, (n * length, d)) + self.out(a)
        y = x2 + self.ff2(F.relu(self.ff1(self.ln2(x2))))
        return F.reshape(y, (n, length, d))


class Encoder(kusari.Chain):
    def __init__(self, n_vocab=50, d=16, heads=4, d_ff=32, n_out=10, layer=None):
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, d)
            self.layers = kusari.ChainList(*[
                (layer or EncoderLayer)(d, heads, d_ff) for _ in range(2)])
            self.fc = L.Linear(d, n_out)

    def forward(self, x):
        h = self.embed(x)
        for layer in self.layers:
            h = layer(h)
        return self.fc(F.average(h, axis=1))


class RNNLM(kusari.Chain):
    """Embedding, L.LSTM, Linear, unrolled over the time axis of a (batch, time) input."""

    def __init__(self, n_vocab=30, n_units=8):
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, n_units)
            self.lstm = L.LSTM(n_units, n_units)
            self.out = L.Linear(n_units, n_vocab)

    def forward(self, xs):
        self.lstm.reset_state()
        ys = []
        for t in range(xs.shape[1]):
            h = self.lstm(self.embed(xs[:, t]))
            ys.append(self.out(h))
        return F.stack(ys, axis=1)


class NStepTagger(kusari.Chain):
    """L.NStepLSTM over a list of variable-length sequences; per-step scores."""

    def __init__(self, n_in=5, n_units=6, n_out=3):
        super().__init__()
        with self.init_scope():
            self.rnn = L.NStepLSTM(2, n_in, n_units, 0.0)
            self.out = L.Linear(n_units, n_out)

    def forward(self, *xs):
        hy, cy, ys = self.rnn(None, None, list(xs))
        return [self.out(y) for y in ys] + [hy]
