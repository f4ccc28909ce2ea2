"""The base class of dataset iterators (Chainer's ``chainer.dataset.Iterator``)."""


class Iterator:
    """Base class of dataset iterators.

    An iterator returns a minibatch (a list of examples) on each ``next()`` and
    exposes the progress through ``epoch``, ``epoch_detail``,
    ``previous_epoch_detail`` and ``is_new_epoch``.  It is a context manager that
    calls :meth:`finalize` on exit.
    """

    def __iter__(self):
        return self

    def __next__(self):
        """Return the next minibatch."""
        raise NotImplementedError(
            '{}.__next__ is not implemented'.format(type(self).__name__))

    def next(self):
        """Python 2 style alias of ``__next__``."""
        return self.__next__()

    def finalize(self):
        """Release resources (threads, worker processes); a no-op by default."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.finalize()

    def serialize(self, serializer):
        """Save or load the iteration state; a no-op by default."""
