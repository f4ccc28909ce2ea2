"""A small caching allocator for the large NumPy arrays of the CPU kernels (private).

Training repeats the same shapes step after step.  Every large ``numpy.empty`` gets
fresh pages from the operating system (glibc serves big blocks with ``mmap`` and
gives them back on ``free``), and touching fresh pages costs a page fault per 4 KiB:
on virtual machines that is several times the cost of the kernel that fills the
array.  :func:`empty` hands out an array of the requested shape that nobody
references any more instead, so the pages stay mapped.

Whether an array is free is decided by its reference count: the pool holds one
reference, so an array whose count shows no other holder (no variable, no graph
node, no view: a view keeps its base alive) can be reused.  Arrays handed out may
therefore escape freely (as outputs, gradients or retained buffers); they come back
once the last reference is gone.

Only arrays of at least ``MIN_BYTES`` are pooled, and the pool keeps at most
``max_bytes`` (the least recently used shapes are dropped first); :func:`clear`
empties it.
"""
import sys

import numpy

MIN_BYTES = 1 << 16
max_bytes = 256 << 20

_getrefcount = sys.getrefcount
_empty = numpy.empty
_pool = {}          # (shape, dtype) -> list of arrays; dict order is LRU order
_total = 0


def empty(shape, dtype):
    """An uninitialized C-contiguous array of ``shape`` and ``dtype`` (maybe reused).

    Args:
        shape (tuple of ints): shape of the array.
        dtype: a NumPy dtype (a ``numpy.dtype`` or type).

    Returns:
        numpy.ndarray: an array that no one else references.
    """
    global _total
    key = (shape, dtype)
    lst = _pool.get(key)
    if lst is not None:
        for a in lst:
            # references: the list, ``a`` and getrefcount's argument
            if _getrefcount(a) == 3:
                return a
    a = _empty(shape, dtype)
    nbytes = a.nbytes
    if nbytes < MIN_BYTES:
        return a
    if _total + nbytes > max_bytes:
        _evict(nbytes)
        if _total + nbytes > max_bytes:
            return a
    if lst is None:
        lst = _pool[key] = []
    else:
        # move to the most recently used end
        del _pool[key]
        _pool[key] = lst
    lst.append(a)
    _total += nbytes
    return a


def zeros(shape, dtype):
    """Like :func:`empty`, filled with zeros."""
    a = empty(shape, dtype)
    a.fill(0)
    return a


def _evict(need):
    global _total
    for key in list(_pool):
        if _total + need <= max_bytes:
            return
        lst = _pool[key]
        keep = []
        for a in lst:
            if _getrefcount(a) == 3:    # the list, ``a``, the argument
                _total -= a.nbytes
            else:
                keep.append(a)
            del a
        if keep:
            _pool[key] = keep
        else:
            del _pool[key]


def clear():
    """Drop every pooled array (arrays in use stay valid; they are simply forgotten)."""
    global _total
    _pool.clear()
    _total = 0


def pooled_bytes():
    """Bytes held by the pool (in use or not)."""
    return _total
