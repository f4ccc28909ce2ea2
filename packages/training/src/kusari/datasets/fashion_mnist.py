"""get_fashion_mnist: Zalando's Fashion-MNIST (Chainer's ``get_fashion_mnist``)."""
import numpy

import kusari
from kusari.datasets import _mnist_helper

#: Where the files are downloaded from (Chainer's URL); tests point it elsewhere.
BASE_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'

#: SHA-256 of each file.
FILES = {
    'train-images-idx3-ubyte.gz':
        '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
    'train-labels-idx1-ubyte.gz':
        'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
    't10k-images-idx3-ubyte.gz':
        '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
    't10k-labels-idx1-ubyte.gz':
        '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
}

_DIR = 'pfnet/chainer/fashion-mnist'

_LABELS = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt',
           'Sneaker', 'Bag', 'Ankle boot']


def get_fashion_mnist_labels(labels=None):
    """Return the class names of Fashion-MNIST.

    Args:
        labels (list of int): Labels (0-9) to name; ``None`` names all ten.

    Returns:
        list of str: The names, in the order of ``labels``.

    >>> from kusari.datasets import get_fashion_mnist_labels
    >>> get_fashion_mnist_labels([9, 0])
    ['Ankle boot', 'T-shirt/top']
    >>> len(get_fashion_mnist_labels())
    10

    """
    if labels is None:
        return list(_LABELS)
    names = []
    for label in labels:
        if isinstance(label, bool) or not isinstance(label, (int, numpy.integer)) \
                or not 0 <= label < 10:
            raise ValueError('get_fashion_mnist_labels: labels must be ints in [0, 10), '
                             'got {!r}'.format(label))
        names.append(_LABELS[label])
    return names


def get_fashion_mnist(withlabel=True, ndim=1, scale=1., dtype=None,
                      label_dtype=numpy.int32, rgb_format=False):
    """Get Fashion-MNIST (60000 training and 10000 test 28x28 grey images).

    Same arguments and return value as :func:`~kusari.datasets.get_mnist`
    (``dtype`` defaults to ``kusari.config.dtype``); the files go to
    ``<dataset root>/pfnet/chainer/fashion-mnist``.
    """
    dtype = kusari.get_dtype(dtype)
    return tuple(
        _mnist_helper.preprocess(
            *_mnist_helper.retrieve(_DIR, BASE_URL, FILES, split, 'get_fashion_mnist'),
            withlabel, ndim, scale, dtype, label_dtype, rgb_format, 'get_fashion_mnist')
        for split in ('train', 't10k'))
