"""get_kuzushiji_mnist: Kuzushiji-MNIST (Chainer's ``get_kuzushiji_mnist``)."""
import numpy

import kusari
from kusari.datasets import _mnist_helper

#: Where the files are downloaded from (Chainer's URL); tests point it elsewhere.
BASE_URL = 'http://codh.rois.ac.jp/kmnist/dataset/kmnist/'

#: SHA-256 of each file.
FILES = {
    'train-images-idx3-ubyte.gz':
        '51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4',
    'train-labels-idx1-ubyte.gz':
        'e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17',
    't10k-images-idx3-ubyte.gz':
        'edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5',
    't10k-labels-idx1-ubyte.gz':
        '20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c',
}

_DIR = 'pfnet/chainer/kuzushiji_mnist'

_LABELS = [('o', '\u304A'), ('ki', '\u304D'), ('su', '\u3059'), ('tsu', '\u3064'),
           ('na', '\u306A'), ('ha', '\u306F'), ('ma', '\u307E'), ('ya', '\u3084'),
           ('re', '\u308C'), ('wo', '\u3092')]


def get_kuzushiji_mnist_labels():
    """Return the classes of KMNIST as ``(romaji, character)`` pairs, by label.

    >>> from kusari.datasets import get_kuzushiji_mnist_labels
    >>> get_kuzushiji_mnist_labels()[1]
    ('ki', 'き')

    """
    return list(_LABELS)


def get_kuzushiji_mnist(withlabel=True, ndim=1, scale=1., dtype=None,
                        label_dtype=numpy.int32, rgb_format=False):
    """Get Kuzushiji-MNIST (60000 training and 10000 test 28x28 grey images).

    Same arguments and return value as :func:`~kusari.datasets.get_mnist`
    (``dtype`` defaults to ``kusari.config.dtype``); the files go to
    ``<dataset root>/pfnet/chainer/kuzushiji_mnist``.
    """
    dtype = kusari.get_dtype(dtype)
    return tuple(
        _mnist_helper.preprocess(
            *_mnist_helper.retrieve(_DIR, BASE_URL, FILES, split, 'get_kuzushiji_mnist'),
            withlabel, ndim, scale, dtype, label_dtype, rgb_format, 'get_kuzushiji_mnist')
        for split in ('train', 't10k'))
