"""ImageDataset and LabeledImageDataset: images read from files with Pillow.

Pillow is optional (``pip install kusari-training[image]``); it is imported when
a dataset is created.
"""
import os

import numpy

import kusari
from kusari.dataset import dataset_mixin


def _require_pillow(who):
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError(
            '{} needs Pillow: pip install "kusari-training[image]" (or Pillow)'
            .format(who)) from e
    return Image


def _read_image_as_array(path, dtype, who):
    image_module = _require_pillow(who)
    with image_module.open(path) as f:
        return numpy.asarray(f, dtype=dtype)


def _postprocess_image(image):
    if image.ndim == 2:
        image = image[..., None]      # greyscale: one channel
    return image.transpose(2, 0, 1)   # HWC -> CHW


class ImageDataset(dataset_mixin.DatasetMixin):
    """A dataset of images read from files; each example is a ``(C, H, W)`` array.

    Args:
        paths (str or list of str): Image paths, or the path of a text file with
            one image path per line.
        root (str): The directory the paths are relative to.
        dtype: The array dtype (``kusari.config.dtype`` by default).

    """

    def __init__(self, paths, root='.', dtype=None):
        _require_pillow('ImageDataset')
        if isinstance(paths, str):
            with open(paths) as paths_file:
                paths = [path.strip() for path in paths_file if path.strip()]
        self._paths = paths
        self._root = root
        self._dtype = kusari.get_dtype(dtype)

    def __len__(self):
        return len(self._paths)

    def get_example(self, i):
        path = os.path.join(self._root, self._paths[i])
        return _postprocess_image(_read_image_as_array(path, self._dtype,
                                                       'ImageDataset'))


class LabeledImageDataset(dataset_mixin.DatasetMixin):
    """A dataset of ``(image, label)`` pairs; images are ``(C, H, W)`` arrays.

    Args:
        pairs (str or list of tuples): ``(path, int label)`` pairs, or the path of
            a text file whose lines are ``path label``.
        root (str): The directory the paths are relative to.
        dtype: The image dtype (``kusari.config.dtype`` by default).
        label_dtype: The label dtype.

    """

    def __init__(self, pairs, root='.', dtype=None, label_dtype=numpy.int32):
        _require_pillow('LabeledImageDataset')
        if isinstance(pairs, str):
            pairs_path = pairs
            with open(pairs_path) as pairs_file:
                pairs = []
                for i, line in enumerate(pairs_file):
                    pair = line.strip().split()
                    if not pair:
                        continue
                    if len(pair) != 2:
                        raise ValueError(
                            'LabeledImageDataset: invalid format at line {} in file {}: '
                            'expected "path label", got {!r}'.format(
                                i, pairs_path, line.rstrip('\n')))
                    pairs.append((pair[0], int(pair[1])))
        self._pairs = pairs
        self._root = root
        self._dtype = kusari.get_dtype(dtype)
        self._label_dtype = label_dtype

    def __len__(self):
        return len(self._pairs)

    def get_example(self, i):
        path, int_label = self._pairs[i]
        image = _read_image_as_array(os.path.join(self._root, path), self._dtype,
                                     'LabeledImageDataset')
        return _postprocess_image(image), numpy.array(int_label, dtype=self._label_dtype)
