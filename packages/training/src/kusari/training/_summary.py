"""Saving and loading a :class:`kusari.DictSummary` inside an extension's state.

The format is :meth:`kusari.DictSummary.serialize`'s (the names as JSON under
``_names``, the i-th summary under ``_summaries/<i>``).  Loading is written here so
that it works with the two-pass (dry run, then real) loading of
:mod:`kusari.serializers`: in the dry run a deserializer returns the value it is
given, so the default handed over must itself be valid JSON.
"""
import json
import warnings

from kusari import reporter
from kusari import serializer as serializer_module


def serialize_dict_summary(summary, serializer):
    """Save or load the summaries of ``summary`` (a DictSummary) in place."""
    if isinstance(serializer, serializer_module.Serializer):
        summary.serialize(serializer)
        return
    summaries = summary._summaries   # noqa: SLF001 -- the same object's state
    current = list(summaries.keys())
    try:
        names = json.loads(serializer('_names', json.dumps(current)))
    except KeyError:
        warnings.warn('The names of statistics are not saved.')
        return
    loaded = {}
    for index, name in enumerate(names):
        s = reporter.Summary()
        s.serialize(serializer['_summaries'][str(index)])
        loaded[name] = s
    summaries.clear()
    summaries.update(loaded)
