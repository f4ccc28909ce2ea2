"""AllreducePersistent: average the persistent arrays (e.g. BatchNorm statistics)."""
import numpy as np

from kusari import serializer as serializer_module
from kusari.training import extension


class _PersistentCollector(serializer_module.Serializer):
    """Walks ``link.serialize`` and records every array value by its path."""

    def __init__(self, path='', found=None):
        self.path = path
        self.found = {} if found is None else found

    def __getitem__(self, key):
        return _PersistentCollector(self.path + key.strip('/') + '/', self.found)

    def __call__(self, key, value):
        if value is not None and hasattr(value, 'dtype') and hasattr(value, 'shape'):
            self.found['/' + self.path + key] = value
        return value


class AllreducePersistent(extension.Extension):
    """Replace every persistent array of ``model`` by its mean over the processes.

    Each process's BatchNormalization statistics see only its own data; averaging
    them (e.g. before evaluation or a snapshot) gives every process the same model.
    Parameters are left alone (the multi-node optimizer keeps them equal).

    Args:
        model: The link whose persistent arrays are averaged.
        comm: A communicator.
    """

    trigger = 1, 'epoch'
    priority = extension.PRIORITY_WRITER + 1    # before a snapshot is written

    def __init__(self, model, comm):
        self.model = model
        self.comm = comm

    def __call__(self, trainer=None):
        collector = _PersistentCollector()
        self.model.serialize(collector)
        params = {'/' + name.lstrip('/') for name, _ in self.model.namedparams()}
        for name in sorted(collector.found):
            if name in params:
                continue
            value = collector.found[name]
            if value.dtype.kind not in 'fc':
                continue
            host = value if isinstance(value, np.ndarray) else value.get()
            mean = self.comm.allreduce(np.asarray(host, dtype=np.float64)) / self.comm.size
            if isinstance(value, np.ndarray):
                value[...] = mean
            else:
                value.set(mean.astype(value.dtype))
