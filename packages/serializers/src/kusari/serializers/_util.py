"""Small helpers shared by the NPZ and HDF5 modules."""
import os

from kusari.serializers import _atomic


def display_name(file):
    """A printable name of a file given as a path or a file object."""
    if _atomic.is_path(file):
        return repr(os.fsdecode(os.fspath(file)))
    name = getattr(file, 'name', None)
    if isinstance(name, (str, bytes)):
        return repr(os.fsdecode(name))
    return '<{} object>'.format(type(file).__name__)
