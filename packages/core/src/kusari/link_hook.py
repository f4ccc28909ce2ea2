"""Link hooks: code called before and after the forward computation of links.

A :class:`LinkHook` is registered either for every link called in a ``with`` block of
the current thread (``with hook:``), or for one link (:meth:`kusari.Link.add_hook`).
:meth:`kusari.Link.__call__` then calls the hooks' :meth:`~LinkHook.forward_preprocess`
before and :meth:`~LinkHook.forward_postprocess` after the link's ``forward``.
"""
import collections
import threading

_thread_local = threading.local()

# How many hooks are registered, globally (all threads) or to links.  While it is
# zero, ``kusari.link._link_hooks_active`` is False and Link.__call__ skips everything
# hook related with one test of a module global: calling a link costs nothing extra
# while no hook is in use.
_n_hooks = 0
_count_lock = threading.Lock()


def _get_link_hooks():
    """The ordered dictionary ``name -> hook`` of the current thread's global hooks."""
    try:
        return _thread_local.link_hooks
    except AttributeError:
        hooks = _thread_local.link_hooks = collections.OrderedDict()
        return hooks


def _count(n):
    # Called when a hook is registered (+1) or unregistered (-1), globally or to a link.
    global _n_hooks
    from kusari import link
    with _count_lock:
        _n_hooks += n
        link._link_hooks_active = _n_hooks > 0


def _repr(obj, **fields):
    return '<{}.{} {}>'.format(
        type(obj).__module__, type(obj).__name__,
        ', '.join('{}={!r}'.format(k, v) for k, v in fields.items()))


class _ForwardPreprocessCallbackArgs:
    """What :meth:`LinkHook.forward_preprocess` receives.

    Attributes:
        link (~kusari.Link): the link being called.
        forward_name (str): the name of the forward method (``'forward'``).
        args (tuple): the positional arguments of the call.
        kwargs (dict): the keyword arguments of the call.
    """

    def __init__(self, link, forward_name, args, kwargs):
        self.link = link
        self.forward_name = forward_name
        self.args = args
        self.kwargs = kwargs

    def __repr__(self):
        return _repr(self, link=self.link, forward_name=self.forward_name,
                     args=self.args, kwargs=self.kwargs)


class _ForwardPostprocessCallbackArgs:
    """What :meth:`LinkHook.forward_postprocess` receives.

    Attributes:
        link (~kusari.Link): the link that was called.
        forward_name (str): the name of the forward method (``'forward'``).
        args (tuple): the positional arguments of the call.
        kwargs (dict): the keyword arguments of the call.
        out: what the forward method returned.
    """

    def __init__(self, link, forward_name, args, kwargs, out):
        self.link = link
        self.forward_name = forward_name
        self.args = args
        self.kwargs = kwargs
        self.out = out

    def __repr__(self):
        return _repr(self, link=self.link, forward_name=self.forward_name,
                     args=self.args, kwargs=self.kwargs, out=self.out)


class LinkHook:
    """Base class of hooks called before and after the forward computation of links.

    Subclasses override any of :meth:`added`, :meth:`deleted`,
    :meth:`forward_preprocess` and :meth:`forward_postprocess` (which do nothing
    here).  Register a hook

    * for every link called in a block of the current thread: ``with hook: ...``;
    * for one link: ``link.add_hook(hook)`` (removed with ``link.delete_hook(name)``).

    Global hooks run before a link's own hooks; a link's own hook of the same name as
    a global one replaces it for that link.

    Attributes:
        name (str): the hook's name, unique among the hooks of a link (or of the
            thread's global hooks).

    >>> import numpy, kusari
    >>> class Count(kusari.link_hook.LinkHook):
    ...     name = 'Count'
    ...     def __init__(self):
    ...         self.n = 0
    ...     def forward_preprocess(self, args):
    ...         self.n += 1
    >>> class Double(kusari.Link):
    ...     def forward(self, x):
    ...         return 2 * x
    >>> link = Double()
    >>> with Count() as hook:
    ...     _ = link(numpy.ones(1))
    ...     _ = link(numpy.ones(1))
    >>> hook.n
    2
    """

    name = 'LinkHook'

    def __enter__(self):
        hooks = _get_link_hooks()
        if self.name in hooks:
            raise KeyError('LinkHook: hook {} already exists'.format(self.name))
        hooks[self.name] = self
        _count(1)
        self.added(None)
        return self

    def __exit__(self, *_):
        hooks = _get_link_hooks()
        hook = hooks.pop(self.name, None)
        if hook is not None:
            _count(-1)
            hook.deleted(None)

    def added(self, link):
        """Called when the hook is registered: to ``link``, or globally (``None``)."""

    def deleted(self, link):
        """Called when the hook is unregistered from ``link`` (``None``: globally)."""

    def forward_preprocess(self, args):
        """Called before a link's forward, with a :class:`_ForwardPreprocessCallbackArgs`."""

    def forward_postprocess(self, args):
        """Called after a link's forward, with a :class:`_ForwardPostprocessCallbackArgs`."""


def call_with_hooks(link, local_hooks, forward, args, kwargs):
    """Run ``forward(*args, **kwargs)`` of ``link`` between the applicable hooks."""
    hooks = _get_link_hooks()
    if local_hooks:
        hooks = collections.OrderedDict(hooks)
        hooks.update(local_hooks)
    elif not hooks:
        return forward(*args, **kwargs)   # hooks exist, but none for this call
    hooks = list(hooks.values())
    pre = _ForwardPreprocessCallbackArgs(link, 'forward', args, kwargs)
    for hook in hooks:
        hook.forward_preprocess(pre)
    out = forward(*args, **kwargs)
    post = _ForwardPostprocessCallbackArgs(link, 'forward', args, kwargs, out)
    for hook in hooks:
        hook.forward_postprocess(post)
    return out
