"""Base class of function hooks: code called around every function's forward and backward."""
from kusari import _core


class FunctionHook:
    """Base class of hooks called before and after each function node runs.

    Use a hook as a context manager to register it for the current thread
    (``with TimerHook() as h: ...``), or register it on one node with
    ``FunctionNode.add_hook``.  Subclasses override the callbacks they need.

    Attributes:
        name (str): the key under which the hook is registered.
    """

    name = 'FunctionHook'

    def __enter__(self):
        hooks = _core._get_function_hooks()
        if self.name in hooks:
            raise KeyError('hook %s already exists' % self.name)
        hooks[self.name] = self
        self.added(None)
        return self

    def __exit__(self, *_):
        _core._get_function_hooks().pop(self.name, None)
        self.deleted(None)

    def added(self, function=None):
        """Called when the hook is registered (``function`` is None for a global one)."""

    def deleted(self, function=None):
        """Called when the hook is unregistered."""

    def forward_preprocess(self, function, in_data):
        """Called before ``function``'s forward with the input arrays."""

    def forward_postprocess(self, function, in_data):
        """Called after ``function``'s forward with the input arrays."""

    def backward_preprocess(self, function, in_data, out_grad):
        """Called before ``function``'s backward with inputs and output gradients."""

    def backward_postprocess(self, function, in_data, out_grad):
        """Called after ``function``'s backward with inputs and output gradients."""
