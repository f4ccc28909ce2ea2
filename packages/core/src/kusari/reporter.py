"""Reporting observed values (``chainer.reporter``).

A :class:`Reporter` collects named values (losses, accuracies, statistics) into an
*observation* dictionary.  Code deep inside a model calls :func:`report`, which
writes to the *current* reporter of the thread (if any); observers (usually links)
registered with :meth:`Reporter.add_observer` give the values a name prefix.
:class:`Summary` and :class:`DictSummary` accumulate reported scalars online.
"""
import collections
import contextlib
import json
import numbers
import threading
import warnings

import numpy

from kusari import backend
from kusari import configuration

_thread_local = threading.local()


def _variable_class():
    from kusari import _core
    return _core.Variable


def _is_variable(value):
    return isinstance(value, _variable_class())


def _detach(value):
    """A Variable with the array of ``value`` but no graph (non-Variables unchanged)."""
    if _is_variable(value):
        array = value.array
        if array is None:
            return value
        return _variable_class()(array, name=value.name,
                                 requires_grad=value.requires_grad)
    return value


def _get_reporters():
    try:
        return _thread_local.reporters
    except AttributeError:
        reporters = _thread_local.reporters = []
        return reporters


class Reporter:
    """Object to which observed values are reported.

    The reporter holds the *observation*, a dict from names to observed values.
    A value reported together with an *observer* object is stored under
    ``'<observer name>/<key>'``; observers must be registered beforehand with
    :meth:`add_observer` (the reporter identifies them by ``id()``).

    Example::

        >>> reporter = Reporter()
        >>> observer = object()
        >>> reporter.add_observer('my_observer', observer)
        >>> observation = {}
        >>> with reporter.scope(observation):
        ...     reporter.report({'x': 1}, observer)
        >>> observation
        {'my_observer/x': 1}

    Using the reporter as a context manager (``with reporter:``) makes it the
    current reporter of the thread, the one that :func:`report` writes to.

    Attributes:
        observation (dict): The current observation dictionary.
    """

    def __init__(self):
        self._observer_names = {}
        self.observation = {}

    def __enter__(self):
        """Make this reporter the current one of the thread; returns the reporter."""
        _get_reporters().append(self)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        """Restore the previously current reporter."""
        _get_reporters().pop()

    @contextlib.contextmanager
    def scope(self, observation):
        """Context manager: report into ``observation`` and make this reporter current.

        Inside the ``with`` block every value reported to this reporter (directly
        or through :func:`report`) is written to the given dict. The previous
        observation dict and current reporter are restored on exit, also when an
        exception is raised.

        Args:
            observation (dict): Dictionary that receives the observed values.
        """
        old = self.observation
        self.observation = observation
        self.__enter__()
        try:
            yield
        finally:
            self.__exit__(None, None, None)
            self.observation = old

    def add_observer(self, name, observer):
        """Register an observer, whose reported values get the prefix ``name + '/'``.

        Args:
            name (str): Name of the observer.
            observer: Any object; observers are told apart by ``id(observer)``.
        """
        self._observer_names[id(observer)] = name

    def add_observers(self, prefix, observers):
        """Register several observers at once.

        Args:
            prefix (str): Prefix prepended to each name.
            observers: Iterable of ``(name, observer)`` pairs, e.g.
                ``link.namedlinks(skipself=True)``.
        """
        for name, observer in observers:
            self._observer_names[id(observer)] = prefix + name

    def report(self, values, observer=None):
        """Write observed values to the observation.

        A :class:`~kusari.Variable` value is replaced by a new Variable holding
        the same array but cut off from the computational graph, unless
        ``kusari.config.keep_graph_on_report`` is true.

        Args:
            values (dict): Names to values (Variables, arrays or scalars).
            observer: Registered observer; its name prefixes every key as
                ``'<name>/<key>'``. ``None`` stores the keys as they are.

        Raises:
            KeyError: if ``observer`` is not registered to this reporter.
        """
        if not getattr(configuration.config, 'keep_graph_on_report', False):
            values = {k: _detach(v) for k, v in values.items()}
        if observer is not None:
            try:
                observer_name = self._observer_names[id(observer)]
            except KeyError:
                raise KeyError(
                    'Given observer {!r} is not registered to the reporter; '
                    'register it with Reporter.add_observer first.'.format(
                        type(observer).__name__)) from None
            for key, value in values.items():
                self.observation['{}/{}'.format(observer_name, key)] = value
        else:
            self.observation.update(values)


def get_current_reporter():
    """Return the current reporter of this thread.

    Raises:
        IndexError: if no reporter is current (none is inside its ``with`` block).
    """
    reporters = _get_reporters()
    if not reporters:
        raise IndexError('no reporter is current: use "with reporter:" or '
                         '"with reporter.scope(observation):" first')
    return reporters[-1]


def report(values, observer=None):
    """Report observed values to the current reporter; does nothing if none is current.

    See :meth:`Reporter.report`.  Typical use inside a chain::

        kusari.report({'loss': loss, 'accuracy': acc}, self)

    Args:
        values (dict): Names to values (Variables, arrays or scalars).
        observer: Observer registered to the current reporter, or ``None``.
    """
    reporters = _get_reporters()
    if reporters:
        reporters[-1].report(values, observer)


@contextlib.contextmanager
def report_scope(observation):
    """Context manager: make the current reporter write into ``observation``.

    Equivalent to ``get_current_reporter().scope(observation)`` without pushing
    the reporter again.

    Args:
        observation (dict): Dictionary that receives the observed values.

    Raises:
        IndexError: if no reporter is current.
    """
    current = get_current_reporter()
    old = current.observation
    current.observation = observation
    try:
        yield
    finally:
        current.observation = old


def _unwrap(value):
    if _is_variable(value):
        return value.array
    return value


def _is_numeric_scalar(v):
    """True for Python/NumPy numbers and 0-dim arrays of a numeric dtype."""
    if isinstance(v, (numbers.Number, numpy.number, numpy.bool_)):
        return True
    dtype = getattr(v, 'dtype', None)
    return getattr(v, 'ndim', -1) == 0 and dtype is not None and dtype.kind in 'biufc'


class Summary:
    """Online summary (weighted mean and standard deviation) of a sequence of scalars.

    The sums are kept on the device of the values (NumPy or CuPy 0-dim arrays, or
    Python / NumPy scalars).
    """

    def __init__(self):
        self._x = 0.0
        self._x2 = 0.0
        self._n = 0

    @classmethod
    def from_sums(cls, total, total_of_squares, count):
        """A summary whose weighted sums are given (kusari's addition).

        For code that accumulates the sums its own way (e.g. as plain Python floats on
        a hot path) and hands them over: ``total`` = sum of ``w * x``,
        ``total_of_squares`` = sum of ``w * x * x``, ``count`` = sum of ``w``.

        >>> from kusari import Summary
        >>> float(Summary.from_sums(6.0, 14.0, 3).compute_mean())
        2.0
        """
        summary = cls()
        summary._x, summary._x2, summary._n = total, total_of_squares, count
        return summary

    def add(self, value, weight=1):
        """Add a scalar value.

        Args:
            value: A scalar: Python/NumPy scalar, 0-dim NumPy/CuPy array or a
                Variable holding one.
            weight: Weight of the value (a scalar, 0-dim array or Variable);
                default 1.
        """
        value = _unwrap(value)
        weight = _unwrap(weight)
        self._x += weight * value
        self._x2 += weight * value * value
        self._n += weight

    def compute_mean(self):
        """Return the weighted mean of the values added so far."""
        return self._x / self._n

    def make_statistics(self):
        """Return ``(mean, std)`` of the values added so far.

        The standard deviation is the weighted population one,
        ``sqrt(E[x^2] - E[x]^2)`` (clipped at 0 against rounding).
        """
        x, n = self._x, self._n
        xp = backend.get_array_module(x)
        mean = x / n
        var = self._x2 / n - mean * mean
        std = xp.sqrt(xp.maximum(var, 0))
        return mean, std

    def serialize(self, serializer):
        """Save or load the sums (``_x``, ``_x2``, ``_n``) with a (de)serializer.

        A snapshot lacking them only warns and keeps the current state.
        """
        try:
            self._x = serializer('_x', self._x)
            self._x2 = serializer('_x2', self._x2)
            self._n = serializer('_n', self._n)
        except KeyError:
            warnings.warn('The previous statistics are not saved.')


class DictSummary:
    """Online summary of a sequence of dicts of scalars (one :class:`Summary` per key).

    Only scalar entries (Python/NumPy scalars, 0-dim arrays and Variables holding
    them) are accumulated; other values are ignored.  A value given as a tuple
    ``(value, weight)`` is added with that weight.
    """

    def __init__(self):
        self._summaries = collections.defaultdict(Summary)

    def add(self, d):
        """Add a dict of scalars.

        Args:
            d (dict): Names to scalars, or to ``(scalar, weight)`` tuples.

        Raises:
            ValueError: if a given weight is not a scalar.
        """
        summaries = self._summaries
        for k, v in d.items():
            w = 1
            if isinstance(v, tuple):
                v, w = v[0], _unwrap(v[1])
                if not _is_numeric_scalar(w):
                    raise ValueError('Given weight to {} was not scalar.'.format(k))
            v = _unwrap(v)
            if _is_numeric_scalar(v):
                summaries[k].add(v, weight=w)

    def compute_mean(self):
        """Return a dict of the mean of each key."""
        return {name: summary.compute_mean()
                for name, summary in self._summaries.items()}

    def summaries(self):
        """A new dict of each key's :class:`Summary` (the objects themselves; kusari's addition)."""
        return dict(self._summaries)

    @classmethod
    def from_summaries(cls, summaries):
        """A DictSummary made of the given ``{key: Summary}`` (kusari's addition).

        >>> from kusari import DictSummary, Summary
        >>> d = DictSummary.from_summaries({'loss': Summary.from_sums(3.0, 5.0, 2)})
        >>> float(d.compute_mean()['loss'])
        1.5
        """
        out = cls()
        for name, summary in summaries.items():
            if not isinstance(summary, Summary):
                raise TypeError('DictSummary.from_summaries: the value of %r must be a '
                                'Summary, not %s' % (name, type(summary).__name__))
            out._summaries[name] = summary
        return out

    def make_statistics(self):
        """Return a dict of each key's mean (``'key'``) and std (``'key.std'``)."""
        stats = {}
        for name, summary in self._summaries.items():
            mean, std = summary.make_statistics()
            stats[name] = mean
            stats[name + '.std'] = std
        return stats

    def serialize(self, serializer):
        """Save or load every summary.

        The key names are stored as JSON under ``'_names'`` and the summary of the
        i-th name under ``'_summaries/<i>'``.
        """
        from kusari import serializer as serializer_module

        if isinstance(serializer, serializer_module.Serializer):
            names = list(self._summaries.keys())
            serializer('_names', json.dumps(names))
            for index, name in enumerate(names):
                self._summaries[name].serialize(
                    serializer['_summaries'][str(index)])
        else:
            # The default handed over is the current names, as valid JSON: a
            # deserializer that first runs dry (kusari.serializers' all-or-nothing
            # loading) returns it unchanged, and the summaries asked for are then the
            # current objects, so the dry run changes nothing.
            current = list(self._summaries.keys())
            try:
                names = json.loads(serializer('_names', json.dumps(current)))
            except KeyError:
                warnings.warn('The names of statistics are not saved.')
                return
            loaded = {}
            for index, name in enumerate(names):
                summary = self._summaries.get(name)
                if summary is None:
                    summary = Summary()
                summary.serialize(serializer['_summaries'][str(index)])
                loaded[name] = summary
            self._summaries.clear()
            self._summaries.update(loaded)
