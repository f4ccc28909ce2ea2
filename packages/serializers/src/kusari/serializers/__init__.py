"""Saving and loading models, optimizers and other objects (``chainer.serializers``).

Two formats, interchangeable with Chainer 7's files:

* NPZ (:func:`save_npz`, :func:`load_npz`, :class:`DictionarySerializer`,
  :class:`NpzDeserializer`): a zip of ``.npy`` members named by the values' paths.
* HDF5 (:func:`save_hdf5`, :func:`load_hdf5`, :class:`HDF5Serializer`,
  :class:`HDF5Deserializer`): one group per sub-object; needs ``h5py``
  (``pip install kusari-serializers[hdf5]``).

Loading is all-or-nothing and never unpickles; saving to a path is atomic.  Errors
are :class:`SerializationError` (a :class:`ValueError`) and its subclasses
:class:`MissingKeyError` (also a :class:`KeyError`) and
:class:`IncompatibleValueError` (also a :class:`TypeError`).
"""
from kusari.serializers._errors import (  # noqa: F401
    SerializationError,
    MissingKeyError,
    IncompatibleValueError,
)
from kusari.serializers.npz import (  # noqa: F401
    DictionarySerializer,
    NpzDeserializer,
    save_npz,
    load_npz,
)
from kusari.serializers.hdf5 import (  # noqa: F401
    HDF5Serializer,
    HDF5Deserializer,
    save_hdf5,
    load_hdf5,
)
