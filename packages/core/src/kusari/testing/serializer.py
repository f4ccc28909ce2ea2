"""Round trips through a serializer: :func:`save_and_load` and its NPZ/HDF5 forms.

The NPZ and HDF5 forms need the kusari-serializers distribution; it is imported
when they are called, so kusari-core does not depend on it.
"""
import os
import shutil
import tempfile


def save_and_load(src, dst, filename, saver, loader):
    """Save ``src`` with ``saver(path, src)`` and load it into ``dst`` with
    ``loader(path, dst)``, in a temporary directory that is removed afterwards.

    Args:
        src: Object to save.
        dst: Object to load into.
        filename (str): File name inside the temporary directory.
        saver (callable): ``saver(path, obj)``.
        loader (callable): ``loader(path, obj)``.
    """
    directory = tempfile.mkdtemp()
    try:
        path = os.path.join(directory, filename)
        saver(path, src)
        loader(path, dst)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def save_and_load_npz(src, dst):
    """:func:`save_and_load` through ``kusari.serializers.save_npz``/``load_npz``."""
    from kusari import serializers
    save_and_load(src, dst, 'tmp.npz', serializers.save_npz, serializers.load_npz)


def save_and_load_hdf5(src, dst):
    """:func:`save_and_load` through ``kusari.serializers.save_hdf5``/``load_hdf5``."""
    from kusari import serializers
    save_and_load(src, dst, 'tmp.h5', serializers.save_hdf5,
                  serializers.load_hdf5)
