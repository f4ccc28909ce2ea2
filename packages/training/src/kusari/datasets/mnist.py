"""get_mnist: the MNIST hand-written digits (Chainer's ``chainer.datasets.get_mnist``)."""
import numpy

from kusari.datasets import _mnist_helper

#: Where the files are downloaded from (Chainer's URL); tests point it elsewhere.
BASE_URL = 'http://yann.lecun.com/exdb/mnist/'

#: SHA-256 of each file.
FILES = {
    'train-images-idx3-ubyte.gz':
        '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
    'train-labels-idx1-ubyte.gz':
        '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
    't10k-images-idx3-ubyte.gz':
        '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
    't10k-labels-idx1-ubyte.gz':
        'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
}

_DIR = 'pfnet/chainer/mnist'


def get_mnist(withlabel=True, ndim=1, scale=1., dtype=numpy.float32,
              label_dtype=numpy.int32, rgb_format=False):
    """Get the MNIST dataset (60000 training and 10000 test 28x28 grey images).

    The four IDX gzip files are downloaded once from :data:`BASE_URL` into
    ``<dataset root>/pfnet/chainer/mnist`` (see
    :func:`kusari.dataset.get_dataset_root`), verified against their SHA-256 and
    read directly (nothing is unpickled).  Without network access, put the files
    there by hand: the error message names the URL and the path.

    Args:
        withlabel (bool): Return ``(image, label)`` tuples (a
            :class:`~kusari.datasets.TupleDataset`); else arrays of images.
        ndim (int): Image shape: 1 ``(784,)``, 2 ``(28, 28)``, 3 ``(1, 28, 28)``.
        scale (float): Pixel values are scaled to ``[0, scale]``.
        dtype: The image dtype.
        label_dtype: The label dtype.
        rgb_format (bool): With ``ndim == 3``, repeat the channel: ``(3, 28, 28)``.

    Returns:
        tuple: ``(train, test)``.

    """
    return tuple(
        _mnist_helper.preprocess(
            *_mnist_helper.retrieve(_DIR, BASE_URL, FILES, split, 'get_mnist'),
            withlabel, ndim, scale, dtype, label_dtype, rgb_format, 'get_mnist')
        for split in ('train', 't10k'))
