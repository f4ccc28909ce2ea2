"""Trainer extensions: the base class, :func:`make_extension` and the priorities."""

#: Priority of extensions that write records to the observation dictionary
#: (e.g. :class:`~kusari.training.extensions.Evaluator`); they run first.
PRIORITY_WRITER = 300
#: Priority of extensions that edit the observation (e.g. ``MicroAverage``).
PRIORITY_EDITOR = 200
#: Priority of extensions that only read the observation (e.g. ``LogReport``).
PRIORITY_READER = 100


class Extension:
    """Base class of trainer extensions.

    An extension is a callable that takes the :class:`~kusari.training.Trainer`.
    Its class attributes give the defaults that
    :meth:`Trainer.extend <kusari.training.Trainer.extend>` uses when the caller
    does not override them.

    Attributes:
        trigger: Default trigger, ``(1, 'iteration')``.
        priority (int): Default priority, :data:`PRIORITY_READER`.
        name (str): Set by :meth:`Trainer.extend` to the registered name.

    Optional hooks a subclass may define: ``initialize(trainer)`` (before the loop,
    also after resuming from a snapshot), ``on_error(trainer, exc, tb)`` (when the
    loop raises), ``finalize()`` (after the loop) and ``serialize(serializer)``.

    >>> from kusari import training
    >>> class CountCalls(training.Extension):
    ...     def __init__(self):
    ...         self.count = 0
    ...     def __call__(self, trainer):
    ...         self.count += 1
    >>> CountCalls().trigger, CountCalls().priority == training.PRIORITY_READER
    ((1, 'iteration'), True)
    """

    trigger = 1, 'iteration'
    priority = PRIORITY_READER
    name = None

    @property
    def default_name(self):
        """The name used when none is given: the class name."""
        return type(self).__name__

    def __call__(self, trainer):
        """Run the extension (called when its trigger fires)."""
        raise NotImplementedError(
            '{}.__call__ is not implemented'.format(type(self).__name__))

    def finalize(self):
        """Release resources at the end of training (does nothing by default)."""
        pass

    def initialize(self, trainer):
        """Set up the trainer state before the loop (does nothing by default)."""
        pass

    def on_error(self, trainer, exc, tb):
        """Called when the training loop raised ``exc`` (does nothing by default)."""
        pass

    def serialize(self, serializer):
        """Save or load the extension's state (nothing by default)."""
        pass


def make_extension(trigger=None, default_name=None, priority=None,
                   finalizer=None, initializer=None, on_error=None, **kwargs):
    """Decorator that turns a function ``f(trainer)`` into an extension.

    It sets the attributes the trainer reads (``trigger``, ``default_name``,
    ``priority``, ``finalize``, ``initialize``, ``on_error``) on the function.

    Args:
        trigger: Default trigger (``(1, 'iteration')`` when ``None``).
        default_name (str): Default name (the function's name when ``None``).
        priority (int): Default priority (:data:`PRIORITY_READER` when ``None``).
        finalizer (callable): Called without arguments after training.
        initializer (callable): Called with the trainer before training.
        on_error (callable): Called as ``on_error(trainer, exc, tb)`` on an error.

    >>> from kusari import training
    >>> @training.make_extension(trigger=(1, 'epoch'))
    ... def hello(trainer):
    ...     pass
    >>> hello.trigger, hello.default_name, hello.priority
    ((1, 'epoch'), 'hello', 100)
    """
    if kwargs:
        if 'invoke_before_training' in kwargs:
            raise ValueError(
                'make_extension: invoke_before_training has been removed since '
                'Chainer v2.0.0; use initializer= instead')
        raise TypeError('make_extension: unexpected keyword argument(s) {}'.format(
            ', '.join(sorted(kwargs))))
    if trigger is None:
        trigger = Extension.trigger
    if priority is None:
        priority = Extension.priority

    def decorator(ext):
        ext.trigger = trigger
        ext.default_name = default_name or ext.__name__
        ext.priority = priority
        ext.finalize = finalizer
        ext.on_error = on_error
        ext.initialize = initializer
        return ext

    return decorator
