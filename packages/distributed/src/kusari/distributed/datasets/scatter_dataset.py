"""scatter_dataset / scatter_index: one part of a dataset per process."""
import numpy as np


class DataSizeError(RuntimeError):
    """A process would get no example (fewer examples than processes).

    Raised on every process at once, so that none of them is left waiting.
    """


def _mpi_comm(comm):
    return comm.mpi_comm if hasattr(comm, 'mpi_comm') else comm


def _ranges(n_total, size, force_equal_length):
    n_sub = (n_total + size - 1) // size
    out = []
    for i in range(size):
        b = n_total * i // size
        e = b + n_sub if force_equal_length else n_total * (i + 1) // size
        out.append((b, e))
    return out


def scatter_index(n_total_samples, comm, root=0, *, force_equal_length=True):
    """The ``(begin, end)`` of this process's part of ``range(n_total_samples)``.

    With ``force_equal_length`` every part has ``ceil(n / size)`` indices (parts
    may overlap by one); otherwise the parts are disjoint and differ by at most one.

    Args:
        n_total_samples (int): The number of examples.
        comm: A communicator (or an ``mpi4py`` communicator).
        root (int): The rank that decides the split.
    """
    mpi = _mpi_comm(comm)
    if not 0 <= root < mpi.size:
        raise ValueError('scatter_index: root must be in [0, {}), got {}'.format(
            mpi.size, root))
    ranges = _ranges(n_total_samples, mpi.size, force_equal_length) \
        if mpi.rank == root else None
    return mpi.scatter(ranges, root=root)


def scatter_dataset(dataset, comm, root=0, shuffle=False, seed=None,
                    max_buf_len=256 * 1024 * 1024, *, force_equal_length=True):
    """Give each process a part of ``dataset`` (held by ``root``); return this one's.

    The root splits the (optionally shuffled) indices with :func:`scatter_index`'s
    rule and sends each process only the examples of its part, as a
    ``kusari.datasets.SubDataset``.

    Args:
        dataset: The dataset on ``root`` (ignored elsewhere; may be ``None``).
        comm: A communicator.
        root (int): The rank holding the dataset.
        shuffle (bool): Shuffle before splitting (with ``seed``).
        seed (int): Seed of the shuffle.
        max_buf_len (int): Accepted for compatibility (mpi4py sends large
            objects itself).
        force_equal_length (bool): Make every part the same length.

    Raises:
        DataSizeError: on every process, when the dataset has fewer examples
            than there are processes (some process would get nothing).
    """
    from kusari.datasets import SubDataset
    mpi = _mpi_comm(comm)
    if not 0 <= root < mpi.size:
        raise ValueError('scatter_dataset: root must be in [0, {}), got {}'.format(
            mpi.size, root))
    parts = None
    if mpi.rank == root:
        n = len(dataset)
        if n < mpi.size:
            parts = [('error', n)] * mpi.size
        else:
            order = (np.random.RandomState(seed).permutation(n) if shuffle
                     else np.arange(n))
            parts = []
            for i, (b, e) in enumerate(_ranges(n, mpi.size, force_equal_length)):
                if i == root:
                    parts.append(None)
                else:
                    parts.append(('ok', [dataset[int(j)] for j in order[b:e]]))
            mine = SubDataset(dataset, *_ranges(n, mpi.size, force_equal_length)[root],
                              order=order)
    part = mpi.scatter(parts, root=root)
    if part is not None and part[0] == 'error':
        raise DataSizeError(
            'scatter_dataset: the dataset has {} examples for {} processes; every '
            'process needs at least one'.format(part[1], mpi.size))
    if mpi.rank == root:
        return mine
    examples = part[1]
    return SubDataset(examples, 0, len(examples))
