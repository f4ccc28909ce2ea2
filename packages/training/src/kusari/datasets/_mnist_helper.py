"""Reading MNIST-style IDX gzip files and shaping them as Chainer's loaders do."""
import gzip
import struct

import numpy

from kusari.datasets import _fetch
from kusari.datasets import tuple_dataset


def read_idx(path, expected_magic, who):
    """Read an IDX file (gzip): magic 2051 = images (N, rows*cols), 2049 = labels (N,)."""
    try:
        with gzip.open(path, 'rb') as f:
            data = f.read()
    except (OSError, EOFError) as e:
        raise ValueError('{}: {} is not a readable gzip file ({})'.format(
            who, path, e)) from e
    if len(data) < 8:
        raise ValueError('{}: {} is too short for an IDX file'.format(who, path))
    magic, n = struct.unpack('>ii', data[:8])
    if magic != expected_magic:
        raise ValueError('{}: {} has IDX magic number {}, expected {}'.format(
            who, path, magic, expected_magic))
    if magic == 2051:
        rows, cols = struct.unpack('>ii', data[8:16])
        body, shape = data[16:], (n, rows * cols)
    else:
        body, shape = data[8:], (n,)
    size = int(numpy.prod(shape))
    if len(body) != size:
        raise ValueError('{}: {} holds {} bytes of data, expected {} for shape {}'.format(
            who, path, len(body), size, shape))
    return numpy.frombuffer(body, numpy.uint8).reshape(shape)


def retrieve(dataset_dir, base_url, files, split, who):
    """Download (once) and read the images and labels of ``split`` ('train'/'t10k')."""
    x_name = '{}-images-idx3-ubyte.gz'.format(split)
    y_name = '{}-labels-idx1-ubyte.gz'.format(split)
    x_path = _fetch.fetch(dataset_dir, base_url, x_name, files.get(x_name), who)
    y_path = _fetch.fetch(dataset_dir, base_url, y_name, files.get(y_name), who)
    x = read_idx(x_path, 2051, who)
    y = read_idx(y_path, 2049, who)
    if len(x) != len(y):
        raise ValueError('{}: wrong pair of images and labels: {} images in {}, {} '
                         'labels in {}'.format(who, len(x), x_path, len(y), y_path))
    return x, y


def preprocess(images, labels, withlabel, ndim, scale, image_dtype, label_dtype,
               rgb_format, who):
    """Chainer's MNIST shaping: ndim 1 (784,), 2 (28, 28), 3 (1 or 3, 28, 28)."""
    side = int(round(images.shape[1] ** 0.5)) if images.ndim == 2 else 28
    if ndim == 1:
        pass
    elif ndim == 2:
        images = images.reshape(-1, side, side)
    elif ndim == 3:
        images = images.reshape(-1, 1, side, side)
        if rgb_format:
            images = numpy.concatenate((images, images, images), axis=1)
    else:
        raise ValueError('{}: invalid ndim {!r} (expected 1, 2 or 3)'.format(who, ndim))
    images = images.astype(image_dtype)
    images *= scale / 255.
    if withlabel:
        return tuple_dataset.TupleDataset(images, labels.astype(label_dtype))
    return images
