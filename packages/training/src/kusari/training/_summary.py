"""Saving and loading a :class:`kusari.DictSummary` inside an extension's state.

The format is :meth:`kusari.DictSummary.serialize`'s (the names as JSON under
``_names``, the i-th summary under ``_summaries/<i>``), which also serves the two-pass
(dry run, then real) loading of :mod:`kusari.serializers`.
"""

import numpy

import kusari
from kusari import reporter
from kusari import serializer as serializer_module

_Variable = kusari.Variable


def serialize_dict_summary(summary, serializer):
    """Save or load the summaries of ``summary`` (a DictSummary) in place.

    kusari-core's :meth:`kusari.DictSummary.serialize` works with the two-pass
    loading itself (it needs kusari-core with that fix, the same 0.1 line).
    """
    summary.serialize(serializer)


def _host_scalar(value):
    # A float for host values (Python/NumPy scalars, 0-d NumPy arrays, Variables
    # holding them); None for anything else (device arrays stay on the device).
    # Exact type checks first: this runs for every reported value every iteration.
    t = type(value)
    if t is _Variable or (t is not numpy.ndarray and isinstance(value, _Variable)):
        value = value.array
        t = type(value)
    if t is numpy.ndarray:
        if value.ndim == 0 and value.dtype.kind in 'fiu':
            return float(value)
        return None
    if t is float or t is int:
        return float(value)
    if isinstance(value, numpy.generic) and value.dtype.kind in 'fiu':
        return float(value)
    return None


class FastDictSummary:
    """A :class:`kusari.DictSummary` for the per-iteration hot path of the reports.

    Host scalars are summed as Python floats (a few hundred nanoseconds per value
    instead of several NumPy operations); anything else (a GPU scalar, a
    ``(value, weight)`` tuple) goes to a regular :class:`kusari.Summary`, so GPU
    values are not synchronized every iteration.  The means equal DictSummary's
    up to float rounding, and :meth:`serialize` writes DictSummary's format.
    """

    def __init__(self):
        self._sums = {}        # key -> [sum, sum of squares, count] (host floats)
        self._summaries = {}   # key -> Summary (everything else)

    def add(self, d):
        """Add a dict of scalars (or ``(scalar, weight)`` tuples)."""
        sums = self._sums
        others = self._summaries
        for k, v in d.items():
            x = None if (others and k in others) else _host_scalar(v)
            if x is None:
                if k in sums:     # mixed kinds: move the host sums over
                    self._summaries[k] = self._to_summary(sums.pop(k))
                single = reporter.DictSummary()
                single.add({k: v})
                if k in single.summaries():   # a scalar was added
                    s = self._summaries.setdefault(k, reporter.Summary())
                    w = v[1] if isinstance(v, tuple) else 1
                    s.add(v[0] if isinstance(v, tuple) else v, weight=w)
                continue
            acc = sums.get(k)
            if acc is None:
                sums[k] = [x, x * x, 1]
            else:
                acc[0] += x
                acc[1] += x * x
                acc[2] += 1

    @staticmethod
    def _to_summary(acc):
        return reporter.Summary.from_sums(acc[0], acc[1], acc[2])

    def as_dict_summary(self):
        """An equivalent :class:`kusari.DictSummary`."""
        summaries = {k: self._to_summary(acc) for k, acc in self._sums.items()}
        summaries.update(self._summaries)
        return reporter.DictSummary.from_summaries(summaries)

    def compute_mean(self):
        """Return a dict of the mean of each key."""
        means = {k: acc[0] / acc[2] for k, acc in self._sums.items()}
        for k, s in self._summaries.items():
            means[k] = s.compute_mean()
        return means

    def make_statistics(self):
        """Return each key's mean and std (``'key.std'``), as DictSummary does."""
        return self.as_dict_summary().make_statistics()

    def serialize(self, serializer):
        """Save or load in DictSummary's format."""
        d = self.as_dict_summary()
        serialize_dict_summary(d, serializer)
        if not isinstance(serializer, serializer_module.Serializer):
            self._sums = {}
            self._summaries = d.summaries()
