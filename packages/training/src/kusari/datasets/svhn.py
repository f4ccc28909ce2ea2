"""get_svhn: the Street View House Numbers, cropped digits (Chainer's ``get_svhn``)."""
import numpy

from kusari.datasets import _fetch
from kusari.datasets import tuple_dataset

#: Where the files are downloaded from (Chainer's URL); tests point it elsewhere.
BASE_URL = 'http://ufldl.stanford.edu/housenumbers/'

#: SHA-256 of each file.
FILES = {
    'train_32x32.mat': '435e94d69a87fde4fd4d7f3dd208dfc32cb6ae8af2240d066de1df7508d083b8',
    'test_32x32.mat': 'cdce80dfb2a2c4c6160906d0bd7c68ec5a99d7ca4831afa54f09182025b6a75b',
}

_DIR = 'pfnet/chainer/svhn'


def _load(filename):
    try:
        from scipy import io
    except ImportError as e:
        raise ImportError('get_svhn needs SciPy to read .mat files: pip install '
                          '"kusari-training[svhn]" (or scipy)') from e
    path = _fetch.fetch(_DIR, BASE_URL, filename, FILES.get(filename), 'get_svhn')
    try:
        raw = io.loadmat(path, variable_names=['X', 'y'])
    except Exception as e:
        raise ValueError('get_svhn: cannot read {} as a MATLAB file ({})'.format(
            path, e)) from e
    if 'X' not in raw or 'y' not in raw:
        raise ValueError('get_svhn: {} lacks the variables X and y'.format(path))
    return raw['X'], raw['y']


def _preprocess(images, labels, withlabel, scale, dtype, label_dtype):
    images = images.transpose(3, 2, 0, 1).astype(dtype)   # (32, 32, 3, N) -> NCHW
    images *= scale / 255.
    labels = labels.astype(label_dtype).flatten()
    # The digit 0 has label 10 in the files: give it label 0.
    labels[labels == 10] = 0
    if withlabel:
        return tuple_dataset.TupleDataset(images, labels)
    return images


def get_svhn(withlabel=True, scale=1., dtype=numpy.float32, label_dtype=numpy.int32):
    """Get SVHN (73257 training and 26032 test 32x32 colour images of digits).

    The ``.mat`` files are downloaded once from :data:`BASE_URL` into
    ``<dataset root>/pfnet/chainer/svhn``, verified against their SHA-256 and read
    with ``scipy.io.loadmat`` (SciPy is needed: the ``svhn`` extra).

    Args:
        withlabel (bool): Return ``(image, label)`` tuples; else image arrays.
        scale (float): Pixel values are scaled to ``[0, scale]``.
        dtype: The image dtype; images are ``(3, 32, 32)``.
        label_dtype: The label dtype; labels are 0-9.

    Returns:
        tuple: ``(train, test)``.

    """
    return tuple(_preprocess(*_load(name), withlabel, scale, dtype, label_dtype)
                 for name in ('train_32x32.mat', 'test_32x32.mat'))
