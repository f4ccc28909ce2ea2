"""Train a character-level LSTM language model on the Python standard library's source.

The text is the source code of a few standard-library modules, read from the files
next to ``os.py`` (they are on every Python installation; nothing is downloaded).
The first 90% is the training text and the rest the validation text.  The model,
``EmbedID -> LSTM -> Linear``, predicts the next character; it is trained with
truncated backpropagation through time: ``--batchsize`` streams read the training
text in parallel, the losses of ``--bproplen`` steps are summed and back-propagated,
then ``loss.unchain_backward()`` cuts the graph so that the LSTM keeps its state
but the next backward stops there.  Each epoch prints the validation perplexity
(``exp`` of the mean cross entropy per character; the untrained model is near the
vocabulary size), and the script ends by sampling text from the model.  On a 2-core
machine the defaults take about 11 s with ``OMP_NUM_THREADS=1`` and about 25 s with
two BLAS threads (several times longer when other processes keep the cores busy):

    python examples/char_rnn.py [--epochs 3] [--chars 120000] [--unit 128]
"""
import argparse
import math
import os
import sys
import time

import numpy as np

import kusari as ch
import kusari.functions as F
import kusari.links as L
from kusari import optimizer_hooks
from kusari import optimizers

DEFAULT_MODULES = ('argparse', 'textwrap', 'string', 'fractions', 'shlex', 'heapq',
                   'bisect', 'glob', 'fnmatch', 'calendar', 'random', 'csv')


def load_text(modules, max_chars):
    """Concatenate the source of the standard-library ``modules`` (at most ``max_chars``)."""
    libdir = os.path.dirname(os.__file__)
    parts = []
    for name in modules:
        path = os.path.join(libdir, name.replace('.', os.sep) + '.py')
        if os.path.exists(path):
            with open(path, encoding='utf-8') as f:
                parts.append(f.read())
    if not parts:
        sys.exit('char_rnn.py: none of the modules %s has a source file in %s'
                 % (', '.join(modules), libdir))
    return ''.join(parts)[:max_chars]


class RNNLM(ch.Chain):
    """Character model: ``EmbedID(V, n) -> LSTM(n, n) -> Linear(n, V)`` (one step per call).

    ``forward(x)`` takes int32 character ids of shape ``(B,)`` and returns the
    ``(B, V)`` scores of the next character; the LSTM keeps its state between calls
    until :meth:`reset_state`.
    """

    def __init__(self, n_vocab, n_units):
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, n_units)
            self.lstm = L.LSTM(n_units, n_units)
            self.out = L.Linear(n_units, n_vocab)

    def reset_state(self):
        self.lstm.reset_state()

    def forward(self, x):
        return self.out(self.lstm(self.embed(x)))


def evaluate(model, data, n_streams):
    """Perplexity of ``model`` on the id array ``data``, read as ``n_streams`` parallel streams."""
    length = (len(data) - 1) // n_streams
    offsets = np.arange(n_streams) * length
    total = 0.0
    model.reset_state()
    with ch.using_config('train', False), ch.no_backprop_mode():
        for i in range(length):
            y = model(data[offsets + i])
            total += float(F.softmax_cross_entropy(y, data[offsets + i + 1]).array)
    model.reset_state()
    return math.exp(total / length)


def sample(model, vocab, char_to_id, prime, length, temperature, rng):
    """Feed ``prime``, then draw ``length`` characters from the softmax at ``temperature``."""
    model.reset_state()
    out = list(prime)
    with ch.using_config('train', False), ch.no_backprop_mode():
        for c in prime:
            y = model(np.array([char_to_id[c]], np.int32))
        for _ in range(length):
            p = F.softmax(y / temperature).array[0].astype(np.float64)
            k = rng.choice(len(vocab), p=p / p.sum())
            out.append(vocab[k])
            y = model(np.array([k], np.int32))
    model.reset_state()
    return ''.join(out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--epochs', '-e', type=int, default=3, help='passes over the training text')
    p.add_argument('--chars', type=int, default=120000, help='characters of text to use')
    p.add_argument('--modules', default=','.join(DEFAULT_MODULES),
                   help='comma-separated standard-library modules whose source is the text')
    p.add_argument('--batchsize', '-b', type=int, default=32, help='parallel streams')
    p.add_argument('--bproplen', type=int, default=35, help='steps of truncated backprop')
    p.add_argument('--unit', '-u', type=int, default=128, help='LSTM units')
    p.add_argument('--lr', type=float, default=3e-3, help="Adam's alpha")
    p.add_argument('--gradclip', type=float, default=5.0, help='gradient norm clipping')
    p.add_argument('--sample', type=int, default=300, help='characters to sample at the end')
    p.add_argument('--temperature', type=float, default=0.7, help='sampling temperature')
    p.add_argument('--seed', type=int, default=0, help='random seed')
    args = p.parse_args(argv)

    np.random.seed(args.seed)
    text = load_text(args.modules.split(','), args.chars)
    vocab = sorted(set(text))
    char_to_id = {c: i for i, c in enumerate(vocab)}
    ids = np.array([char_to_id[c] for c in text], np.int32)
    n_train = int(len(ids) * 0.9)
    train, valid = ids[:n_train], ids[n_train:]
    print('text: %d characters (train %d, validation %d), vocabulary %d'
          % (len(ids), len(train), len(valid), len(vocab)))

    model = RNNLM(len(vocab), args.unit)
    optimizer = optimizers.Adam(alpha=args.lr)
    optimizer.setup(model)
    optimizer.add_hook(optimizer_hooks.GradientClipping(args.gradclip))

    n_valid_streams = 8
    ppl = evaluate(model, valid, n_valid_streams)
    print('epoch   0  validation perplexity %.2f' % ppl)
    length = (len(train) - 1) // args.batchsize       # steps per stream and epoch
    offsets = np.arange(args.batchsize) * length
    start = time.time()
    for epoch in range(1, args.epochs + 1):
        model.reset_state()
        loss_sum, n_steps = 0.0, 0
        for i0 in range(0, length, args.bproplen):
            loss = 0
            for i in range(i0, min(i0 + args.bproplen, length)):
                y = model(train[offsets + i])
                loss += F.softmax_cross_entropy(y, train[offsets + i + 1])
                n_steps += 1
            model.cleargrads()
            loss.backward()
            loss.unchain_backward()     # truncate: keep the LSTM state, forget its history
            optimizer.update()
            loss_sum += float(loss.array)
        ppl = evaluate(model, valid, n_valid_streams)
        print('epoch %3d  train perplexity %.2f  validation perplexity %.2f  (%.1fs)'
              % (epoch, math.exp(loss_sum / n_steps), ppl, time.time() - start))
        sys.stdout.flush()

    rng = np.random.RandomState(args.seed)
    prime = 'def '
    print('--- sample ---')
    print(sample(model, vocab, char_to_id, prime, args.sample, args.temperature, rng))
    print('--- end of sample ---')
    print('validation perplexity: %.2f' % ppl)


if __name__ == '__main__':
    main()
