"""The updater interface (``chainer.training.updater``)."""


class Updater:
    """Interface of updater objects for trainers.

    An updater implements one step of training (:meth:`update`) and keeps the
    iteration count; :class:`~kusari.training.updaters.StandardUpdater` is the
    usual implementation.
    """

    def connect_trainer(self, trainer):
        """Called by the trainer that owns this updater (does nothing by default)."""
        pass

    def finalize(self):
        """Release resources after training (does nothing by default)."""
        pass

    def get_optimizer(self, name):
        """Return the optimizer called ``name``."""
        raise NotImplementedError

    def get_all_optimizers(self):
        """Return a dict of all optimizers by name."""
        raise NotImplementedError

    def update(self):
        """Run one update step and increment the iteration count."""
        raise NotImplementedError

    def serialize(self, serializer):
        """Save or load the state of the updater."""
        raise NotImplementedError


def __getattr__(name):
    # chainer.training.updater re-exports the updaters; import lazily (no cycle).
    if name in ('StandardUpdater', 'ParallelUpdater'):
        from kusari.training import updaters
        return getattr(updaters, name)
    raise AttributeError('module {!r} has no attribute {!r}'.format(__name__, name))
