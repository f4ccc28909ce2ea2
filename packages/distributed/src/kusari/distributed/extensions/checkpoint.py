"""create_multi_node_checkpointer: per-rank snapshots that resume consistently."""
import os
import re

from kusari import serializers
from kusari.training import extension


def create_multi_node_checkpointer(name, comm, cp_interval=5, gc_interval=5, path=None):
    """A trainer extension saving one NPZ snapshot per rank, and resuming from them.

    Every call (by default every epoch, through the trainer) saves
    ``{name}.{rank}-of-{size}.{iteration}.npz`` in ``path`` (default: the
    trainer's ``out``), written atomically by ``kusari.serializers.save_npz``
    (never pickled).  Every ``gc_interval`` saves, all but the newest
    ``cp_interval`` snapshots of this rank are removed.  :meth:`maybe_load`
    resumes from the newest iteration that every rank has.

    Args:
        name (str): Prefix of the snapshot files.
        comm: A communicator.
        cp_interval (int): How many snapshots to keep.
        gc_interval (int): How often (in saves) to remove old ones.
        path (str): Directory of the snapshots.
    """
    return _MultiNodeCheckpointer(name, comm, cp_interval, gc_interval, path)


class _MultiNodeCheckpointer(extension.Extension):
    trigger = 1, 'epoch'
    priority = 100                              # as PRIORITY_READER: after updates
    default_name = 'multi_node_checkpointer'

    def __init__(self, name, comm, cp_interval, gc_interval, path):
        if '/' in name or os.sep in name:
            raise ValueError('create_multi_node_checkpointer: name must not contain '
                             'a path separator, got {!r}'.format(name))
        if cp_interval < 1 or gc_interval < 1:
            raise ValueError('create_multi_node_checkpointer: cp_interval and '
                             'gc_interval must be >= 1, got {} and {}'.format(
                                 cp_interval, gc_interval))
        self.prefix = name
        self.comm = comm
        self.cp_interval = cp_interval
        self.gc_interval = gc_interval
        self.path = path
        self._saves = 0

    def _pattern(self):
        return re.compile(r'^{}\.(\d+)-of-(\d+)\.(\d+)\.npz$'.format(re.escape(self.prefix)))

    def _filename(self, iteration):
        return '{}.{}-of-{}.{}.npz'.format(self.prefix, self.comm.rank, self.comm.size,
                                          iteration)

    def _scan(self, directory):
        """``{iteration}`` of this rank's snapshots; raise if the rank count differs."""
        found = set()
        if not os.path.isdir(directory):
            return found
        pattern = self._pattern()
        for entry in os.listdir(directory):
            m = pattern.match(entry)
            if not m:
                continue
            rank, size, it = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if size != self.comm.size:
                raise ValueError(
                    'multi-node checkpointer {!r}: the snapshots in {} were written by '
                    '{} processes, this job has {}; resume with the same number of '
                    'processes'.format(self.prefix, directory, size, self.comm.size))
            if rank == self.comm.rank:
                found.add(it)
        return found

    def __call__(self, trainer):
        directory = self.path or trainer.out
        os.makedirs(directory, exist_ok=True)
        iteration = trainer.updater.iteration
        serializers.save_npz(os.path.join(directory, self._filename(iteration)), trainer)
        self._saves += 1
        if self._saves % self.gc_interval == 0:
            self._gc(directory)

    def _gc(self, directory):
        its = sorted(self._scan(directory))
        for it in its[:-self.cp_interval]:
            try:
                os.remove(os.path.join(directory, self._filename(it)))
            except FileNotFoundError:
                pass

    def get_stats(self):
        """Number of snapshots saved by this object (on this rank)."""
        return {'saves': self._saves}

    def maybe_load(self, trainer, optimizer=None, path=None):
        """Load the newest snapshot that every rank has, if any; return its iteration.

        Raises:
            ValueError: if the snapshots were written by a different number of
                processes (checked on every rank before anything is loaded).
        """
        directory = path or self.path or trainer.out
        try:
            mine = self._scan(directory)
            error = None
        except ValueError as e:
            mine, error = set(), str(e)
        errors = [e for e in self.comm.mpi_comm.allgather(error) if e]
        if errors:
            raise ValueError(errors[0])
        common = set.intersection(*self.comm.mpi_comm.allgather(mine))
        if not common:
            return None
        iteration = max(common)
        serializers.load_npz(os.path.join(directory, self._filename(iteration)), trainer)
        return iteration
