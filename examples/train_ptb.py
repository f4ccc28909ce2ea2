"""Chainer's PTB example with the Trainer: an LSTM language model trained by BPTT.

The structure is the one of Chainer's ``examples/ptb/train_ptb.py``: an RNNLM
(EmbedID, two LSTMs, Linear) in ``L.Classifier``, a ``ParallelSequentialIterator``
that walks the corpus at ``batchsize`` evenly spaced offsets, a ``BPTTUpdater``
(a ``StandardUpdater`` subclass that accumulates the loss over ``bproplen`` steps
before each backward and truncates the graph), and an ``Evaluator`` on a copy of
the model whose state is reset before every evaluation; ``LogReport`` gets the
perplexities (``exp`` of the mean loss) from a postprocess function.

By default the corpus is generated here (offline, a few seconds): sentences of a
small random language with ``--vocab`` words, in which every word is followed by
one of three others, so a good model's perplexity is about 3 while an untrained
one's is about the vocabulary size.  ``--dataset ptb`` uses
``kusari.datasets.get_ptb_words()``.

    python examples/train_ptb.py [--epoch 3] [--unit 64] [--bproplen 20]
"""
import argparse
import numpy as np

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import training
from kusari.training import extensions


class RNNLM(kusari.Chain):
    """Recurrent language model: embed, two LSTM layers, a linear output."""

    def __init__(self, n_vocab, n_units):
        super().__init__()
        with self.init_scope():
            self.embed = L.EmbedID(n_vocab, n_units)
            self.l1 = L.LSTM(n_units, n_units)
            self.l2 = L.LSTM(n_units, n_units)
            self.l3 = L.Linear(n_units, n_vocab)
        for param in self.params():
            param.array[...] = np.random.uniform(-0.1, 0.1, param.shape)

    def reset_state(self):
        self.l1.reset_state()
        self.l2.reset_state()

    def forward(self, x):
        h0 = self.embed(x)
        h1 = self.l1(F.dropout(h0))
        h2 = self.l2(F.dropout(h1))
        return self.l3(F.dropout(h2))


class ParallelSequentialIterator(kusari.dataset.Iterator):
    """Yields ``(word, next word)`` pairs at ``batch_size`` offsets of the corpus."""

    def __init__(self, dataset, batch_size, repeat=True):
        super().__init__()
        self.dataset = dataset
        self.batch_size = batch_size
        self.epoch = 0
        self.is_new_epoch = False
        self.repeat = repeat
        length = len(dataset)
        self.offsets = [i * length // batch_size for i in range(batch_size)]
        self.iteration = 0
        self._previous_epoch_detail = -1.

    def __next__(self):
        length = len(self.dataset)
        if not self.repeat and self.iteration * self.batch_size >= length:
            raise StopIteration
        cur_words = self.get_words()
        self._previous_epoch_detail = self.epoch_detail
        self.iteration += 1
        next_words = self.get_words()
        epoch = self.iteration * self.batch_size // length
        self.is_new_epoch = self.epoch < epoch
        if self.is_new_epoch:
            self.epoch = epoch
        return list(zip(cur_words, next_words))

    next = __next__

    @property
    def epoch_detail(self):
        return self.iteration * self.batch_size / len(self.dataset)

    @property
    def previous_epoch_detail(self):
        if self._previous_epoch_detail < 0:
            return None
        return self._previous_epoch_detail

    def get_words(self):
        return [self.dataset[(offset + self.iteration) % len(self.dataset)]
                for offset in self.offsets]

    def reset(self):
        self.epoch = 0
        self.is_new_epoch = False
        self.iteration = 0
        self._previous_epoch_detail = -1.

    def serialize(self, serializer):
        self.iteration = serializer('iteration', self.iteration)
        self.epoch = serializer('epoch', self.epoch)
        self._previous_epoch_detail = serializer('previous_epoch_detail',
                                                 self._previous_epoch_detail)


class BPTTUpdater(training.updaters.StandardUpdater):
    """Truncated backpropagation through time: ``bprop_len`` steps per update."""

    def __init__(self, train_iter, optimizer, bprop_len, device):
        super().__init__(train_iter, optimizer, device=device)
        self.bprop_len = bprop_len

    def update_core(self):
        loss = 0
        train_iter = self.get_iterator('main')
        optimizer = self.get_optimizer('main')
        for _ in range(self.bprop_len):
            batch = train_iter.__next__()
            x, t = self.converter(batch, self.device)
            loss += optimizer.target(kusari.Variable(x), kusari.Variable(t))
        optimizer.target.cleargrads()
        loss.backward()
        loss.unchain_backward()     # truncate the graph, keep the LSTM state
        optimizer.update()


def compute_perplexity(result):
    result['perplexity'] = np.exp(result['main/loss'])
    if 'validation/main/loss' in result:
        result['val_perplexity'] = np.exp(result['validation/main/loss'])


def generate_corpus(n_vocab, n_words, seed):
    """Word ids of a random language: each word has 3 possible successors."""
    rng = np.random.RandomState(seed)
    successors = np.array([rng.choice(n_vocab, 3, replace=False)
                           for _ in range(n_vocab)])
    probs = np.array([0.6, 0.3, 0.1])
    words = np.empty(n_words, np.int32)
    w = 0
    choices = rng.choice(3, size=n_words, p=probs)
    for i in range(n_words):
        words[i] = w
        w = successors[w, choices[i]]
    return words


def main(argv=None):
    parser = argparse.ArgumentParser(description='kusari example: PTB-style RNNLM')
    parser.add_argument('--batchsize', '-b', type=int, default=20)
    parser.add_argument('--bproplen', '-l', type=int, default=20)
    parser.add_argument('--epoch', '-e', type=int, default=3)
    parser.add_argument('--device', '-d', type=str, default='-1')
    parser.add_argument('--gradclip', '-c', type=float, default=5)
    parser.add_argument('--out', '-o', default='result')
    parser.add_argument('--resume', '-r', type=str)
    parser.add_argument('--unit', '-u', type=int, default=64)
    parser.add_argument('--vocab', type=int, default=50,
                        help='vocabulary size of the generated corpus')
    parser.add_argument('--words', type=int, default=20000,
                        help='training words of the generated corpus')
    parser.add_argument('--dataset', choices=('generated', 'ptb'),
                        default='generated')
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args(argv)

    np.random.seed(args.seed)
    device = kusari.get_device(int(args.device) if args.device.lstrip('-').isdigit()
                               else args.device)
    if args.dataset == 'ptb':
        train, val, test = kusari.datasets.get_ptb_words()
        n_vocab = max(train) + 1
    else:
        n_vocab = args.vocab
        corpus = generate_corpus(n_vocab, args.words + 4000, args.seed)
        train, val, test = (corpus[:args.words], corpus[args.words:args.words + 2000],
                            corpus[args.words + 2000:])
    print('#vocab = {}'.format(n_vocab))

    train_iter = ParallelSequentialIterator(train, args.batchsize)
    val_iter = ParallelSequentialIterator(val, 1, repeat=False)
    test_iter = ParallelSequentialIterator(test, 1, repeat=False)

    rnn = RNNLM(n_vocab, args.unit)
    model = L.Classifier(rnn)
    model.compute_accuracy = False   # only the perplexity is reported
    model.to_device(device)
    optimizer = kusari.optimizers.SGD(lr=1.0)
    optimizer.setup(model)
    optimizer.add_hook(kusari.optimizer_hooks.GradientClipping(args.gradclip))

    updater = BPTTUpdater(train_iter, optimizer, args.bproplen, device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)

    eval_model = model.copy()        # shares the parameters, has its own state
    eval_rnn = eval_model.predictor
    trainer.extend(extensions.Evaluator(
        val_iter, eval_model, device=device,
        eval_hook=lambda _: eval_rnn.reset_state()))

    interval = 50
    trainer.extend(extensions.LogReport(postprocess=compute_perplexity,
                                        trigger=(interval, 'iteration')))
    trainer.extend(extensions.PrintReport(
        ['epoch', 'iteration', 'perplexity', 'val_perplexity']),
        trigger=(interval, 'iteration'))
    trainer.extend(extensions.ProgressBar(update_interval=50))
    trainer.extend(extensions.snapshot(n_retains=1))
    trainer.extend(extensions.snapshot_object(
        model, 'model_iter_{.updater.iteration}', n_retains=1))
    if args.resume is not None:
        kusari.serializers.load_npz(args.resume, trainer)

    # perplexity of the untrained model on the validation data, for comparison
    eval_rnn.reset_state()
    evaluator = extensions.Evaluator(val_iter, eval_model, device=device)
    untrained = float(np.exp(evaluator()['main/loss'])) if args.resume is None \
        else None
    if untrained is not None:
        print('untrained validation perplexity: {:.2f}'.format(untrained))

    trainer.run()

    print('test')
    eval_rnn.reset_state()
    evaluator = extensions.Evaluator(test_iter, eval_model, device=device)
    result = evaluator()
    print('test perplexity: {:.2f}'.format(float(np.exp(result['main/loss']))))


if __name__ == '__main__':
    main()
