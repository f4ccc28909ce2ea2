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


def __getattr__(name):
    # Chainer's module has ``available`` (Pillow importable); code and Chainer's
    # tests consult it.  Computed on access, without importing Pillow.
    if name == 'available':
        import importlib.util
        return importlib.util.find_spec('PIL') is not None
    raise AttributeError('module {!r} has no attribute {!r}'.format(__name__, name))


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


def _read_image_bytes(data, dtype, who):
    import io
    return _read_image_as_array(io.BytesIO(data), dtype, who)


class ZippedImageDataset(dataset_mixin.DatasetMixin):
    """A dataset of the images inside a zip file; examples are ``(C, H, W)`` arrays.

    Every file of the archive (directories excluded) is an example, in archive
    order.  The archive is reopened in a forked or unpickled copy (for example
    in a :class:`~kusari.iterators.MultiprocessIterator` worker), so that copies
    never share a file offset.

    Args:
        zipfilename (str): The zip file.
        dtype: The image dtype (``kusari.config.dtype`` by default).

    """

    def __init__(self, zipfilename, dtype=None):
        _require_pillow('ZippedImageDataset')
        import zipfile
        self._dtype = kusari.get_dtype(dtype)
        self._zipfilename = zipfilename
        self._zf = zipfile.ZipFile(zipfilename)
        self._zf_pid = os.getpid()
        self._paths = [x for x in self._zf.namelist() if not x.endswith('/')]

    def __len__(self):
        return len(self._paths)

    def _zipfile(self):
        if self._zf is None or self._zf_pid != os.getpid():
            import zipfile
            self._zf = zipfile.ZipFile(self._zipfilename)
            self._zf_pid = os.getpid()
        return self._zf

    def get_example(self, i_or_filename):
        """The image at index ``i``, or of the member named ``i_or_filename``."""
        if isinstance(i_or_filename, (int, numpy.integer)):
            name = self._paths[i_or_filename]
        else:
            name = i_or_filename
        # Pillow seeks; a zip member stream cannot, so read it into memory first.
        with self._zipfile().open(name) as member:
            data = member.read()
        return _postprocess_image(_read_image_bytes(data, self._dtype,
                                                    'ZippedImageDataset'))

    def __getstate__(self):
        state = self.__dict__.copy()
        state['_zf'] = None
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)


class MultiZippedImageDataset(dataset_mixin.DatasetMixin):
    """The images of several zip files, one archive after the other.

    Args:
        zipfilenames (list of str): The zip files.
        dtype: The image dtype (``kusari.config.dtype`` by default).

    """

    def __init__(self, zipfilenames, dtype=None):
        self._zfs = [ZippedImageDataset(fn, dtype) for fn in zipfilenames]
        self._ends = []
        total = 0
        for zf in self._zfs:
            total += len(zf)
            self._ends.append(total)

    def __len__(self):
        return self._ends[-1] if self._ends else 0

    def get_example(self, i):
        import bisect
        if not 0 <= i < len(self):
            raise IndexError('MultiZippedImageDataset: index {} out of range for {} '
                             'images'.format(i, len(self)))
        k = bisect.bisect_right(self._ends, i)
        return self._zfs[k].get_example(i - (self._ends[k - 1] if k else 0))


class LabeledZippedImageDataset(dataset_mixin.DatasetMixin):
    """``(image, label)`` pairs: images in a zip file, labels in a text file.

    Args:
        zipfilename (str): The zip file of images.
        labelfilename (str): A text file whose lines are ``member_name label``.
        dtype: The image dtype (``kusari.config.dtype`` by default).
        label_dtype: The label dtype.

    """

    def __init__(self, zipfilename, labelfilename, dtype=None, label_dtype=numpy.int32):
        self._zf = ZippedImageDataset(zipfilename, dtype)
        self._label_dtype = label_dtype
        pairs = []
        with open(labelfilename) as pairs_file:
            for i, line in enumerate(pairs_file):
                pair = line.strip().split()
                if not pair:
                    continue
                if len(pair) != 2:
                    raise ValueError(
                        'LabeledZippedImageDataset: invalid format at line {} in file '
                        '{}: expected "name label", got {!r}'.format(
                            i, labelfilename, line.rstrip('\n')))
                pairs.append((pair[0], int(pair[1])))
        self._pairs = pairs

    def __len__(self):
        return len(self._pairs)

    def get_example(self, i):
        path, int_label = self._pairs[i]
        return (self._zf.get_example(path),
                numpy.array(int_label, dtype=self._label_dtype))
