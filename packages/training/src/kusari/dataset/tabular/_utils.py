"""Index and key arithmetic shared by the tabular views."""
import numbers

import numpy


def _is_int(x):
    return isinstance(x, (numbers.Integral, numpy.integer)) and not isinstance(
        x, (bool, numpy.bool_))


def normalize_indices(indices, length, who):
    """Rows requested of a dataset of ``length``: ``None``, a slice or a list of ints.

    A list/array of booleans of the same length is a mask; negative ints count
    from the end.  Out-of-range ints raise ``IndexError``.
    """
    if indices is None or isinstance(indices, slice):
        return indices
    if isinstance(indices, numpy.ndarray):
        if indices.dtype == numpy.bool_:
            indices = [bool(b) for b in indices]
        else:
            indices = indices.tolist()
    indices = list(indices)
    if indices and all(isinstance(i, (bool, numpy.bool_)) for i in indices):
        if len(indices) != length:
            raise ValueError('{}: a boolean mask of length {} for {} rows'.format(
                who, len(indices), length))
        return [i for i, keep in enumerate(indices) if keep]
    out = []
    for i in indices:
        if isinstance(i, (bool, numpy.bool_)):
            i = int(i)
        if not _is_int(i):
            raise TypeError('{}: row indices must be ints, got {!r}'.format(who, i))
        i = int(i)
        if not -length <= i < length:
            raise IndexError('{}: row index {} is out of range for {} rows'.format(
                who, i, length))
        out.append(i + length if i < 0 else i)
    return out


def compose_indices(outer, inner, length):
    """Rows of the base for rows ``inner`` of a view that took rows ``outer``.

    ``length`` is the length of the base.  Slices stay slices and lists stay
    lists, so that a base sees the simplest request.
    """
    if inner is None:
        return outer
    if outer is None:
        return inner
    if isinstance(outer, slice):
        base = range(*outer.indices(length))
        if isinstance(inner, slice):
            r = base[inner]
            return slice(r.start, r.stop if r.stop >= 0 else None, r.step)
        return [base[i] for i in inner]
    if isinstance(inner, slice):
        return outer[inner]
    return [outer[i] for i in inner]


def as_range(indices, length):
    """The requested rows as a sequence of ints."""
    if indices is None:
        return range(length)
    if isinstance(indices, slice):
        return range(*indices.indices(length))
    return indices


def key_index(keys, key, who):
    """The column index of ``key`` (a name or an int, negative from the end)."""
    if isinstance(key, str):
        try:
            return keys.index(key)
        except ValueError:
            raise KeyError('{}: no key {!r} (keys are {})'.format(who, key, keys)) \
                from None
    if _is_int(key):
        if not -len(keys) <= key < len(keys):
            raise IndexError('{}: key index {} out of range for {} keys'.format(
                who, key, len(keys)))
        return int(key) % len(keys)
    raise TypeError('{}: a key must be a str or an int, got {!r}'.format(who, key))


def compose_key_indices(outer, inner):
    if inner is None:
        return outer
    if outer is None:
        return tuple(inner)
    return tuple(outer[k] for k in inner)


def take_columns(columns, key_indices):
    if key_indices is None:
        return tuple(columns)
    return tuple(columns[k] for k in key_indices)
