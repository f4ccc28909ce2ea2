"""get_cifar10 / get_cifar100, read from the *binary* CIFAR distributions.

Chainer read the Python (pickled) version; kusari reads the binary version of the
same data from the same site, so nothing is ever unpickled.
"""
import tarfile

import numpy

import kusari
from kusari.datasets import _fetch
from kusari.datasets import tuple_dataset

#: Where the archives are downloaded from; tests point it elsewhere.
BASE_URL = 'https://www.cs.toronto.edu/~kriz/'

#: SHA-256 of each archive.
FILES = {
    'cifar-10-binary.tar.gz':
        'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
    'cifar-100-binary.tar.gz':
        '58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec',
}

_DIR = 'pfnet/chainer/cifar'
_PIXELS = 3072


def _read_records(archive, member, label_bytes, label_index, who, path):
    try:
        f = archive.extractfile(member)
    except KeyError:
        f = None
    if f is None:
        raise ValueError('{}: {} has no member {}'.format(who, path, member))
    data = numpy.frombuffer(f.read(), numpy.uint8)
    record = label_bytes + _PIXELS
    if data.size % record:
        raise ValueError('{}: {} in {} is {} bytes, not a multiple of the record size '
                         '{}'.format(who, member, path, data.size, record))
    data = data.reshape(-1, record)
    return data[:, label_bytes:], data[:, label_index]


def _load(name, who):
    filename = '{}-binary.tar.gz'.format(name)
    path = _fetch.fetch(_DIR, BASE_URL, filename, FILES.get(filename), who)
    try:
        with tarfile.open(path, 'r:gz') as archive:
            if name == 'cifar-10':
                parts = [_read_records(archive,
                                       'cifar-10-batches-bin/data_batch_{}.bin'.format(i),
                                       1, 0, who, path) for i in range(1, 6)]
                train_x = numpy.concatenate([p[0] for p in parts])
                train_y = numpy.concatenate([p[1] for p in parts])
                test_x, test_y = _read_records(
                    archive, 'cifar-10-batches-bin/test_batch.bin', 1, 0, who, path)
            else:
                # CIFAR-100 records: coarse label, fine label, pixels; Chainer
                # returns the fine labels.
                train_x, train_y = _read_records(
                    archive, 'cifar-100-binary/train.bin', 2, 1, who, path)
                test_x, test_y = _read_records(
                    archive, 'cifar-100-binary/test.bin', 2, 1, who, path)
    except (tarfile.TarError, OSError, EOFError) as e:
        raise ValueError('{}: cannot read {} ({})'.format(who, path, e)) from e
    return (train_x, train_y), (test_x, test_y)


def _preprocess(images, labels, withlabel, ndim, scale, dtype, who):
    if ndim == 1:
        images = images.reshape(-1, _PIXELS)
    elif ndim == 3:
        images = images.reshape(-1, 3, 32, 32)
    else:
        raise ValueError('{}: invalid ndim {!r} (expected 1 or 3)'.format(who, ndim))
    images = images.astype(kusari.get_dtype(dtype))
    images *= scale / 255.
    if withlabel:
        return tuple_dataset.TupleDataset(images, labels.astype(numpy.int32))
    return images


def _get_cifar(name, withlabel, ndim, scale, dtype, who):
    if ndim not in (1, 3):
        raise ValueError('{}: invalid ndim {!r} (expected 1 or 3)'.format(who, ndim))
    train, test = _load(name, who)
    return (_preprocess(*train, withlabel, ndim, scale, dtype, who),
            _preprocess(*test, withlabel, ndim, scale, dtype, who))


def get_cifar10(withlabel=True, ndim=3, scale=1., dtype=None):
    """Get CIFAR-10 (50000 training and 10000 test 32x32 colour images, 10 classes).

    The binary archive is downloaded once from :data:`BASE_URL` into
    ``<dataset root>/pfnet/chainer/cifar``, verified against its SHA-256 and read
    directly (nothing is unpickled).  Without network access, put
    ``cifar-10-binary.tar.gz`` there by hand: the error message names the URL and
    the path.

    Args:
        withlabel (bool): Return ``(image, label)`` tuples (int32 labels); else
            arrays of images.
        ndim (int): Image shape: 1 ``(3072,)`` or 3 ``(3, 32, 32)``.
        scale (float): Pixel values are scaled to ``[0, scale]``.
        dtype: The image dtype (``kusari.config.dtype`` by default).

    Returns:
        tuple: ``(train, test)``.

    """
    return _get_cifar('cifar-10', withlabel, ndim, scale, dtype, 'get_cifar10')


def get_cifar100(withlabel=True, ndim=3, scale=1., dtype=None):
    """Get CIFAR-100 (50000 training and 10000 test 32x32 colour images).

    Like :func:`get_cifar10`, from ``cifar-100-binary.tar.gz``; the labels are
    the 100 fine labels.
    """
    return _get_cifar('cifar-100', withlabel, ndim, scale, dtype, 'get_cifar100')
