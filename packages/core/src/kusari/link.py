"""Links: the building blocks of models, holding parameters and child links.

* :class:`Link` holds :class:`~kusari.Parameter`\\ s and *persistent values* (arrays or
  other objects saved by serialization but not trained, e.g. running statistics).
* :class:`Chain` holds child links by attribute name.
* :class:`ChainList` holds child links in a list.

Parameters and child links are registered by assigning them to attributes inside
``with self.init_scope():``.  Registered objects take part in :meth:`Link.params`,
:meth:`Link.namedparams`, copying, device transfer and serialization.
"""
import collections
import collections.abc
import contextlib
import copy
import operator
import warnings

import numpy

import kusari
from kusari import _core
from kusari import backend
from kusari import initializers
from kusari import link_hook as _link_hook
from kusari.initializers import _util as _array_util

_Variable = _core.Variable


def _is_shape(value):
    # True for None, a non-negative int, or a sequence of non-negative ints.
    if value is None:
        return True
    if isinstance(value, collections.abc.Sequence) and not isinstance(value, str):
        try:
            return all(operator.index(x) >= 0 for x in value)
        except TypeError:
            return False
    try:
        return operator.index(value) >= 0
    except TypeError:
        return False


def _ensure_shape_dtype(value):
    # A shape alone means float32; otherwise the value is a (shape, dtype) pair.
    if _is_shape(value):
        return value, numpy.float32
    try:
        shape, dtype = value
    except (TypeError, ValueError):
        raise TypeError(
            'Link: a parameter given as a keyword argument must be a shape or a '
            '(shape, dtype) pair, but got {!r}'.format(value)) from None
    return shape, dtype


def _is_gpu_device(device):
    return device.xp is not numpy


def _copyto(dst, src):
    # Copy array ``src`` into array ``dst`` in place, across host and devices.
    _array_util.copy_into(dst, src)


class _ToDeviceVisitor:
    """Moves the parameters and persistent arrays of a link hierarchy to a device.

    ``Link.device_resident_accept(visitor)`` calls :meth:`visit_device_resident`
    for each link, :meth:`visit_variable` for each parameter and
    :meth:`visit_array` for each persistent array (whose result replaces it).
    Links holding other arrays override ``device_resident_accept`` to visit them.
    """

    def __init__(self, device, skip_between_cupy_devices=False):
        self._device = device
        self._skip_between_cupy_devices = skip_between_cupy_devices

    @property
    def device(self):
        """The destination device."""
        return self._device

    def _skip(self, array):
        return (self._skip_between_cupy_devices
                and _is_gpu_device(self._device)
                and _array_util.is_cupy_array(array))

    def visit_device_resident(self, link):
        """Record the destination device as the device of ``link``."""
        link._device = self._device

    def visit_variable(self, var):
        """Move a variable (parameter) to the destination device in place."""
        if self._skip(var.array):
            return
        var.to_device(self._device)

    def visit_array(self, array):
        """Return ``array`` transferred to the destination device."""
        if self._skip(array):
            return array
        return self._device.send(array)


def _gpu_device(device, who):
    # Resolve the ``device`` argument of ``to_gpu`` to a kusari GPU device.
    try:
        import cupy
    except ImportError as e:
        raise RuntimeError(
            '{}.to_gpu: CUDA is not available: cupy cannot be imported ({}). '
            'Install kusari-core[cuda12] on a machine with a CUDA GPU.'.format(
                who, e)) from e
    if device is None:
        device_id = cupy.cuda.Device().id
    elif isinstance(device, cupy.cuda.Device):
        device_id = device.id
    elif isinstance(device, (int, numpy.integer)) and not isinstance(device, bool):
        device_id = int(device)
        if device_id < 0:
            raise ValueError(
                '{}.to_gpu: a GPU device id must be non-negative, but got {}'.format(
                    who, device_id))
    else:
        dev = backend.get_device(device)
        if not _is_gpu_device(dev):
            raise ValueError(
                '{}.to_gpu: {!r} is not a GPU device; use to_cpu() or '
                'to_device() instead'.format(who, device))
        return dev
    return backend.get_device('@cupy:{}'.format(device_id))


def _reinitialize(param):
    # Re-create an initialized parameter's array with its initializer, on the
    # device where the array is now.
    device = backend.get_device_from_array(param.array)
    param.initialize(param.shape)
    if backend.get_device_from_array(param.array) != device:
        param.to_device(device)


def _check_copy_mode(mode):
    if mode not in ('share', 'copy', 'init'):
        raise ValueError(
            "The 'mode' argument should be either 'init', 'copy', or 'share'. "
            'But {!r} was given.'.format(mode))



class _NameSet(set):
    """A set of attribute names that caches its sorted order.

    Traversals (``params``, ``namedparams``, ``links`` ...) run on every training
    step and visit names in sorted order; sorting again each time showed up in
    profiles, so the order is kept until the set changes.
    """

    __slots__ = ('_order',)

    def __init__(self, *args):
        super().__init__(*args)
        self._order = None

    def add(self, name):
        if name not in self:
            set.add(self, name)
            self._order = None

    def discard(self, name):
        if name in self:
            set.discard(self, name)
            self._order = None

    def remove(self, name):
        set.remove(self, name)
        self._order = None

    def clear(self):
        set.clear(self)
        self._order = None

    def update(self, *others):
        set.update(self, *others)
        self._order = None

    def sorted(self):
        order = self._order
        if order is None:
            order = self._order = tuple(sorted(self))
        return order


_mixin_call = {}

# True while some LinkHook is registered (globally or to a link); kusari.link_hook
# keeps it up to date.
_link_hooks_active = False


def _collect_child_params(child, out, include_uninit):
    # A child whose class overrides params() (a user's link) is asked through it, so
    # that the override is honoured; the others append straight to ``out``.
    if type(child).params is Link.params:
        child._collect_params(out, include_uninit)
    else:
        out.extend(child.params(include_uninit))


def _sorted_names(names):
    if type(names) is _NameSet:
        return names.sorted()
    return sorted(names)

def _indent_children(pairs):
    # Format ``(label, obj)`` pairs as Chainer's nested repr: one indented
    # "(label): repr," block per child, preceded by a newline when non-empty.
    lines = []
    for label, rep in pairs:
        block = '({}): {},'.format(label, rep)
        for line in block.splitlines():
            lines.append('  {}\n'.format(line))
    text = ''.join(lines)
    return '\n' + text if text else text


class Link:
    """Building block of models: a holder of parameters and persistent values.

    A :class:`~kusari.Parameter` assigned to an attribute inside
    ``with self.init_scope():`` is registered as a parameter of the link under the
    attribute name (its ``name`` is set to it).  *Persistent values* are other
    attributes saved by serialization, registered with :meth:`add_persistent` or
    :meth:`register_persistent`.  Only parameters and persistent values are moved by
    :meth:`to_device`, copied by :meth:`copyparams` and saved/loaded by
    :meth:`serialize`; other attributes belong to the program.

    Calling a link calls its ``forward`` method, which subclasses define.

    Example::

        class LinearLayer(kusari.Link):
            def __init__(self, n_in, n_out):
                super().__init__()
                with self.init_scope():
                    self.W = kusari.Parameter(initializers.Normal(), (n_out, n_in))
                    self.b = kusari.Parameter(initializers.Zero(), (n_out,))

            def forward(self, x):
                return F.linear(x, self.W, self.b)

    Args:
        params: Parameters to add, as ``name=shape`` or ``name=(shape, dtype)``
            (the old style; the dtype defaults to float32).  Each becomes a
            parameter filled with NaN (see :meth:`add_param`).

    Attributes:
        name (str): Name of this link given by the parent chain, or ``None``.

    """

    _init_done = False
    _local_link_hooks = None    # OrderedDict name -> LinkHook, created on first use

    def __init__(self, **params):
        self._device = backend.CpuDevice()
        self._params = _NameSet()
        self._persistent = set()
        self._within_init_scope = False
        self.name = None
        self._init_done = True
        for name, value in params.items():
            shape, dtype = _ensure_shape_dtype(value)
            self.add_param(name, shape, dtype=dtype)

    def _check_init_done(self):
        if not self._init_done:
            raise RuntimeError(
                '{0}: Link.__init__() has not been called; call super().__init__() '
                'at the beginning of {0}.__init__'.format(type(self).__name__))

    # -- representation ---------------------------------------------------------------

    @property
    def printable_specs(self):
        """Generator of ``(keyword, value)`` pairs shown by ``str(link)``.

        Subclasses yield the constructor arguments that describe them (for example
        ``('in_size', 3)``); the base class yields nothing.
        """
        if False:  # pragma: no cover - makes this a generator
            yield

    def __str__(self):
        specs = ', '.join('{}={}'.format(k, v) for k, v in self.printable_specs)
        return '{}({})'.format(type(self).__name__, specs)

    def __repr__(self):
        return self.__str__()

    # -- device ---------------------------------------------------------------------

    @property
    def device(self):
        """The :class:`~kusari.backend.Device` this link's data lives on."""
        return self._device

    @property
    def xp(self):
        """The array module of this link's device (:mod:`numpy` or :mod:`cupy`)."""
        return self._device.xp

    def device_resident_accept(self, visitor):
        """Let ``visitor`` visit this link, its parameters and persistent arrays.

        Used by :meth:`to_device`, :meth:`to_cpu` and :meth:`to_gpu`.  A link that
        holds arrays outside its parameters and persistent values overrides this
        method, calls ``super().device_resident_accept(visitor)`` and replaces each
        such array by ``visitor.visit_array(array)``.

        Args:
            visitor: The visitor (see ``_ToDeviceVisitor``).

        """
        visitor.visit_device_resident(self)
        d = self.__dict__
        for name in self._params:
            visitor.visit_variable(d[name])
        for name in self._persistent:
            value = d[name]
            if _array_util.is_array(value):
                d[name] = visitor.visit_array(value)

    def to_device(self, device):
        """Move the parameters and persistent arrays of the hierarchy to a device.

        Args:
            device: A device specifier accepted by :func:`kusari.get_device`
                (``'@numpy'``, ``'@cupy:0'``, a Device, ...).

        Returns:
            Link: ``self``.

        """
        dev = backend.get_device(device)
        self.device_resident_accept(_ToDeviceVisitor(dev))
        return self

    def __init_subclass__(cls, **kwargs):
        # Chainer v7: to_device and the ChainerX transfers are final; overriding
        # the legacy transfer methods still works but is deprecated
        super().__init_subclass__(**kwargs)
        for name in ('to_device', 'to_chx', 'from_chx'):
            if name in cls.__dict__:
                raise TypeError('{}: Link.{} cannot be overridden'.format(
                    cls.__name__, name))
        for name in ('to_cpu', 'to_gpu', 'to_intel64'):
            if name in cls.__dict__:
                warnings.warn(
                    '{}: overriding Link.{} is deprecated; the method is not '
                    'called by to_device'.format(cls.__name__, name),
                    DeprecationWarning, stacklevel=2)

    def to_cpu(self):
        """Move the parameters and persistent arrays of the hierarchy to the CPU.

        .. deprecated:: Chainer v7
           Use ``to_device('@numpy')``.

        Returns:
            Link: ``self``.

        """
        warnings.warn('Link.to_cpu is deprecated. Use Link.to_device instead.',
                      DeprecationWarning, stacklevel=2)
        self.device_resident_accept(
            _ToDeviceVisitor(backend.CpuDevice(), skip_between_cupy_devices=True))
        return self

    def to_gpu(self, device=None):
        """Move the parameters and persistent arrays of the hierarchy to a GPU.

        Arrays that are already on some GPU are left where they are.

        Args:
            device: GPU device id (int), :class:`cupy.cuda.Device` or kusari GPU
                device; ``None`` means the current CUDA device.

        .. deprecated:: Chainer v7
           Use ``to_device('@cupy:N')``.

        Returns:
            Link: ``self``.

        """
        warnings.warn('Link.to_gpu is deprecated. Use Link.to_device instead.',
                      DeprecationWarning, stacklevel=2)
        dev = _gpu_device(device, type(self).__name__)
        self.device_resident_accept(
            _ToDeviceVisitor(dev, skip_between_cupy_devices=True))
        return self

    # -- registration ---------------------------------------------------------------

    @property
    def within_init_scope(self):
        """``True`` while the code runs inside :meth:`init_scope`."""
        return getattr(self, '_within_init_scope', False)

    @contextlib.contextmanager
    def init_scope(self):
        """Context manager in which attribute assignment registers parameters.

        Inside ``with link.init_scope():``, assigning a :class:`~kusari.Parameter`
        to an attribute registers it as a parameter of the link (and, for a
        :class:`Chain`, assigning a :class:`Link` registers it as a child).  Scopes
        may be nested; the previous state is restored on exit.

        Raises:
            RuntimeError: ``Link.__init__`` has not been called.

        """
        self._check_init_done()
        old_flag = self.within_init_scope
        self._within_init_scope = True
        try:
            yield
        finally:
            self._within_init_scope = old_flag

    def __setattr__(self, name, value):
        if value is None or type(value) is _Variable:
            # the common per-step case (a model storing its outputs): nothing to
            # register, and Chain's check below would find no Link either
            object.__setattr__(self, name, value)
            return
        if isinstance(value, kusari.Parameter) and self.within_init_scope:
            value.name = name
            self._params.add(name)
            self._persistent.discard(name)
        super().__setattr__(name, value)

    def __delattr__(self, name):
        self._params.discard(name)
        self._persistent.discard(name)
        super().__delattr__(name)

    def add_param(self, name, shape=None, dtype=numpy.float32, initializer=None):
        """Register a new parameter (the pre-``init_scope`` way).

        Equivalent to ``with self.init_scope(): setattr(self, name,
        Parameter(initializer, shape))``, where ``initializer`` defaults to
        ``initializers.NaN(dtype)``.

        Args:
            name (str): Name of the parameter, also the attribute name.
            shape (int or tuple of ints): Shape of the parameter array; ``None``
                leaves the parameter uninitialized until its first use.
            dtype: Data type of the array when ``initializer`` is ``None``.
            initializer: An initializer, a scalar or an array (see
                :class:`~kusari.Parameter`); ``dtype`` is then ignored.

        Raises:
            AttributeError: an attribute called ``name`` already exists.

        """
        if name in self.__dict__:
            raise AttributeError(
                '{}.add_param: cannot register a new parameter {!r}: the attribute '
                'already exists'.format(type(self).__name__, name))
        if initializer is None:
            initializer = initializers.NaN(dtype)
        param = kusari.Parameter(initializer, shape)
        with self.init_scope():
            setattr(self, name, param)

    def add_persistent(self, name, value):
        """Register a new persistent value and set it as an attribute.

        Persistent values are saved and loaded by :meth:`serialize`, copied by
        :meth:`copyparams` and (when arrays) moved by :meth:`to_device`.

        Args:
            name (str): Name of the value, also the attribute name.
            value: The value (an array, a scalar, any serializable object).

        Raises:
            AttributeError: an attribute called ``name`` already exists.

        """
        d = self.__dict__
        if name in d:
            raise AttributeError(
                '{}.add_persistent: cannot register a new persistent value {!r}: '
                'the attribute already exists'.format(type(self).__name__, name))
        self._persistent.add(name)
        self._params.discard(name)
        d[name] = value

    def register_persistent(self, name):
        """Register an existing attribute as a persistent value.

        If ``name`` is a registered parameter, it becomes a persistent value instead.

        Args:
            name (str): Name of the attribute.

        Raises:
            AttributeError: there is no attribute called ``name``.

        """
        if not hasattr(self, name):
            raise AttributeError(
                '{}.register_persistent: cannot register non-existent attribute '
                '{!r} as a persistent value'.format(type(self).__name__, name))
        self._persistent.add(name)
        self._params.discard(name)

    # -- copying ----------------------------------------------------------------------

    def _copy_self(self, mode):
        # Copy this link object without its children: the object itself is copied
        # shallowly; its parameters are shallow copies without gradients ('share'),
        # or deep copies ('copy'), re-initialized ('init'); in 'copy' and 'init'
        # modes, persistent values are deep-copied too.
        _check_copy_mode(mode)
        cls = type(self)
        ret = cls.__new__(cls)
        ret.__dict__.update(self.__dict__)
        ret._params = _NameSet(self._params)
        ret._persistent = set(self._persistent)
        ret.name = None
        d = ret.__dict__
        if mode == 'share':
            for name in ret._params:
                param = copy.copy(d[name])
                param.grad = None
                d[name] = param
        else:
            memo = {id(self._device): self._device}   # share the device object
            for name in ret._params:
                d[name] = copy.deepcopy(d[name], memo)
            for name in ret._persistent:
                d[name] = copy.deepcopy(d[name], memo)
            if mode == 'init':
                for name in ret._params:
                    param = d[name]
                    if param.array is not None:
                        _reinitialize(param)
        return ret

    def __deepcopy__(self, memo):
        # Devices are immutable descriptors: the copy shares them (a GPU device
        # wraps a cupy.cuda.Device, which need not be deep-copyable).
        device = self.__dict__.get('_device')
        if device is not None:
            memo.setdefault(id(device), device)
        cls = type(self)
        ret = cls.__new__(cls)
        memo[id(self)] = ret
        state = copy.deepcopy(self.__getstate__(), memo)
        setstate = getattr(ret, '__setstate__', None)
        if setstate is not None:
            setstate(state)
        else:
            ret.__dict__.update(state)
        return ret

    def copy(self, mode='share'):
        """Copy the link hierarchy rooted at this link.

        The copy's :attr:`name` is ``None`` (it belongs to no parent).

        Args:
            mode (str): ``'share'`` (default): the link objects are shallow-copied
                and each parameter is a new :class:`~kusari.Parameter` sharing the
                data array of the original (without a gradient), so updates to one
                are seen by the other.  ``'copy'``: a deep copy; parameters start
                with equal values but are independent.  ``'init'``: like
                ``'copy'``, then every initialized parameter is re-initialized
                with its initializer.

        Returns:
            Link: The copied link.

        Raises:
            ValueError: ``mode`` is not one of the three.

        """
        _check_copy_mode(mode)
        if mode == 'share':
            return self._copy_self('share')
        ret = copy.deepcopy(self)
        ret.name = None
        if mode == 'init':
            for param in ret.params(include_uninit=False):
                _reinitialize(param)
        return ret

    def repeat(self, n_repeat, mode='init'):
        """Return a :class:`~kusari.Sequential` of ``n_repeat`` copies of this link.

        Args:
            n_repeat (int): Number of copies; ``0`` or less gives an empty
                Sequential.
            mode (str): How each copy is made (see :meth:`copy`): ``'init'``
                (default; each copy gets freshly initialized parameters),
                ``'copy'`` or ``'share'``.

        Returns:
            kusari.Sequential: The repeated links, in order.

        """
        from kusari.sequential import Sequential
        ret = Sequential()
        if n_repeat <= 0:
            return ret
        _check_copy_mode(mode)
        for _ in range(n_repeat):
            ret.append(self.copy(mode))
        return ret

    # -- traversal --------------------------------------------------------------------

    def params(self, include_uninit=True):
        """Iterate over all parameters in the hierarchy.

        Own parameters come first (sorted by name), then those of the children.

        Args:
            include_uninit (bool): Also yield uninitialized parameters.

        Yields:
            kusari.Parameter: The parameters.

        """
        # One flat list instead of nested generators: this runs twice per training
        # step (cleargrads, update) and each generator level costs per item.
        out = []
        self._collect_params(out, include_uninit)
        return iter(out)

    def _collect_params(self, out, include_uninit):
        # Append this link's own parameters (sorted by name) to ``out``; containers
        # extend it with their children's (see _collect_child_params).
        d = self.__dict__
        for name in _sorted_names(self._params):
            p = d[name]
            if include_uninit or p.array is not None:
                out.append(p)

    def namedparams(self, include_uninit=True):
        """Iterate over ``(path, parameter)`` pairs of the hierarchy.

        Paths are relative to this link, like ``'/W'`` or ``'/l1/W'``.

        Args:
            include_uninit (bool): Also yield uninitialized parameters.

        Yields:
            tuple: ``(path, parameter)``.

        """
        d = self.__dict__
        for name in _sorted_names(self._params):
            if include_uninit or d[name].array is not None:
                yield '/' + name, d[name]

    def links(self, skipself=False):
        """Iterate over all links of the hierarchy (depth first, this link first).

        Args:
            skipself (bool): Do not yield this link itself.

        Yields:
            Link: The links.

        """
        if not skipself:
            yield self

    def namedlinks(self, skipself=False):
        """Iterate over ``(path, link)`` pairs of the hierarchy.

        This link's path is ``'/'``, a child's is ``'/name'``, a grandchild's
        ``'/name/sub'``.

        Args:
            skipself (bool): Do not yield this link itself.

        Yields:
            tuple: ``(path, link)``.

        """
        if not skipself:
            yield '/', self

    def children(self):
        """Iterate over the direct child links (none for a plain :class:`Link`).

        Yields:
            Link: The child links.

        """
        return iter(())

    # -- parameter utilities ----------------------------------------------------------

    def copyparams(self, link, copy_persistent=True):
        """Copy the parameter data (and persistent values) of ``link`` into this one.

        The arrays are copied element-wise in place, across host and devices;
        gradients are not copied.  ``link`` must have the same structure.

        Args:
            link (Link): The source link.
            copy_persistent (bool): Also copy persistent values: arrays in place,
                other values by :func:`copy.deepcopy`.

        """
        src = link.__dict__
        dst = self.__dict__
        for name in self._params:
            dst[name].copydata(src[name])
        if copy_persistent:
            for name in self._persistent:
                d = dst[name]
                s = src[name]
                if _array_util.is_array(d) and _array_util.is_array(s):
                    _copyto(d, s)
                else:
                    dst[name] = copy.deepcopy(s)

    def cleargrads(self):
        """Set the gradients of all parameters in the hierarchy to ``None``."""
        for param in self.params():
            param.cleargrad()

    def zerograds(self):
        """Fill the gradients of all parameters with zeros (deprecated).

        .. deprecated:: Chainer v1.15
           Use :meth:`cleargrads`, which is cheaper.

        """
        warnings.warn(
            'Link.zerograds is deprecated. Use Link.cleargrads instead.',
            DeprecationWarning, stacklevel=2)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)   # warned once above
            for param in self.params():
                param.zerograd()

    def addgrads(self, link):
        """Add the gradients of ``link``'s parameters to this link's gradients.

        ``link`` must have the same structure; the addition works across devices.

        Args:
            link (Link): The source link.

        """
        src = link.__dict__
        dst = self.__dict__
        for name in self._params:
            dst[name].addgrad(src[name])

    def enable_update(self):
        """Enable the update rules of all parameters in the hierarchy."""
        for param in self.params():
            rule = param.update_rule
            if rule is not None:
                rule.enabled = True

    def disable_update(self):
        """Disable the update rules of all parameters in the hierarchy."""
        for param in self.params():
            rule = param.update_rule
            if rule is not None:
                rule.enabled = False

    @property
    def update_enabled(self):
        """``True`` if at least one parameter has an enabled update rule."""
        for param in self.params():
            rule = param.update_rule
            if rule is not None and rule.enabled:
                return True
        return False

    # -- link hooks -------------------------------------------------------------------

    @property
    def local_link_hooks(self):
        """Ordered dictionary ``name -> hook`` of the link hooks registered to this link.

        Unlike the hooks registered with ``with hook:`` (for every link of the thread),
        these apply to this link only.  Use :meth:`add_hook` and :meth:`delete_hook`.
        """
        if self._local_link_hooks is None:
            self._local_link_hooks = collections.OrderedDict()
        return self._local_link_hooks

    @property
    def _n_local_link_hooks(self):
        return 0 if self._local_link_hooks is None else len(self._local_link_hooks)

    def add_hook(self, hook, name=None):
        """Register a :class:`~kusari.LinkHook` to this link; returns ``self``.

        Args:
            hook (~kusari.LinkHook): the hook.
            name (str): its name among this link's hooks (default ``hook.name``).

        Raises:
            TypeError: ``hook`` is not a LinkHook.
            KeyError: a hook of that name is already registered to this link.
        """
        if not isinstance(hook, _link_hook.LinkHook):
            raise TypeError('{}.add_hook: the hook must be a kusari.LinkHook, but got '
                            '{}'.format(type(self).__name__, type(hook).__name__))
        if name is None:
            name = hook.name
        hooks = self.local_link_hooks
        if name in hooks:
            raise KeyError('{}.add_hook: hook {} already exists'.format(
                type(self).__name__, name))
        hooks[name] = hook
        _link_hook._count(1)
        hook.added(self)
        return self

    def delete_hook(self, name):
        """Unregister the link hook ``name`` from this link (``KeyError`` if absent)."""
        hooks = self._local_link_hooks
        if not hooks or name not in hooks:
            raise KeyError('{}.delete_hook: hook {} does not exist'.format(
                type(self).__name__, name))
        hook = hooks.pop(name)
        _link_hook._count(-1)
        hook.deleted(self)

    def count_params(self):
        """Return the total number of scalar parameter values in the hierarchy.

        Uninitialized parameters are not counted; a warning names each of them.

        Returns:
            int: The sum of the sizes of the initialized parameters.

        """
        size = 0
        for name, param in self.namedparams():
            if param.array is None:
                warnings.warn(
                    "Parameter '{}' has not been initialized, so the resulting count "
                    'will not include the number of parameters in it.'.format(name),
                    stacklevel=2)
                continue
            size += param.size
        return size

    # -- serialization ----------------------------------------------------------------

    def serialize(self, serializer):
        """Save or load the parameters and persistent values of this link.

        Each parameter is passed as ``serializer(name, param.array)``.  For an
        uninitialized parameter this is ``serializer(name, None)``; when that
        returns an array (loading), the parameter is initialized with the array's
        shape and the loaded values are copied in.  Each persistent value is
        replaced by ``serializer(name, value)``.  Chains pass ``serializer[name]``
        to their children.

        Args:
            serializer (~kusari.AbstractSerializer): The serializer or
                deserializer.

        """
        d = self.__dict__
        for name in _sorted_names(self._params):
            param = d[name]
            data = serializer(name, param.array)
            if param.array is None and data is not None:
                param.initialize(data.shape)
                _copyto(param.array, data)
        for name in sorted(self._persistent):
            d[name] = serializer(name, d[name])

    # -- calling ----------------------------------------------------------------------

    def __call__(self, *args, **kwargs):
        """Call :meth:`forward` with the given arguments and return its result."""
        if not self._init_done:
            self._check_init_done()
        cls = type(self)
        mixin = _mixin_call.get(cls)
        if mixin is None:
            # A ``__call__`` provided by a mixin class after Link in the MRO takes
            # precedence over ``forward`` (as in Chainer).  Looked up once per class:
            # this runs on every call of every link.
            mixin = _mixin_call[cls] = getattr(super(), '__call__', None) is not None
        if mixin:
            forward = super().__call__
        else:
            try:
                forward = self.forward
            except AttributeError:
                raise AttributeError(
                    '{0} is not callable: define {0}.forward(self, ...) to '
                    'implement the forward computation'.format(cls.__name__)) from None
        if _link_hooks_active:   # False while no link hook is registered anywhere
            return _link_hook.call_with_hooks(
                self, self._local_link_hooks, forward, args, kwargs)
        return forward(*args, **kwargs)


class Chain(Link):
    """A link composed of named child links.

    A :class:`Link` assigned to an attribute inside ``with self.init_scope():`` is
    registered as a child under the attribute name (its :attr:`~Link.name` is set
    to it).  Children take part in :meth:`params`, :meth:`namedparams` (paths like
    ``'/layer1/W'``), copying, device transfer and serialization; they are visited
    in the lexical order of their names.

    Example::

        class MLP(kusari.Chain):
            def __init__(self, n_in, n_hidden, n_out):
                super().__init__()
                with self.init_scope():
                    self.layer1 = L.Linear(n_in, n_hidden)
                    self.layer2 = L.Linear(n_hidden, n_out)

            def forward(self, x):
                return self.layer2(F.relu(self.layer1(x)))

    Args:
        links: Child links to register, as ``name=link`` (the old style).

    """

    def __init__(self, **links):
        super().__init__()
        self._children = _NameSet()
        for name, link in links.items():
            self.add_link(name, link)

    def __str__(self):
        return '{}({})'.format(
            type(self).__name__,
            _indent_children((child.name, str(child)) for child in self.children()))

    def __getitem__(self, name):
        """Return the attribute ``name`` (equivalent to ``getattr(self, name)``)."""
        return getattr(self, name)

    def __contains__(self, item):
        """Whether ``item`` (a child's name, or a Link) is a child of this chain."""
        if isinstance(item, str):
            return item in self._children
        return any(child is item for child in self.children())

    def __setattr__(self, name, value):
        if value is None or type(value) is _Variable:
            object.__setattr__(self, name, value)
            return
        if isinstance(value, Link) and self.within_init_scope:
            if hasattr(self, name):
                raise AttributeError(
                    '{}: cannot register a new link {!r}: the attribute already '
                    'exists'.format(type(self).__name__, name))
            value.name = name
            self._children.add(name)
        super().__setattr__(name, value)

    def __delattr__(self, name):
        self._children.discard(name)
        super().__delattr__(name)

    def add_link(self, name, link):
        """Register a child link (the pre-``init_scope`` way).

        Args:
            name (str): Name of the child, also the attribute name.
            link (Link): The link to register.

        Raises:
            AttributeError: an attribute called ``name`` already exists.
            TypeError: ``link`` is not a :class:`Link`.

        """
        if name in self.__dict__:
            raise AttributeError(
                '{}.add_link: cannot register a new link {!r}: the attribute '
                'already exists'.format(type(self).__name__, name))
        if not isinstance(link, Link):
            raise TypeError(
                '{}.add_link: cannot register a non-link object as a child: {!r} '
                'is {}'.format(type(self).__name__, name, type(link).__name__))
        with self.init_scope():
            setattr(self, name, link)

    def copy(self, mode='share'):
        ret = self._copy_self(mode)
        ret._children = _NameSet(self._children)
        d = ret.__dict__
        for name in ret._children:
            copied = d[name].copy(mode)
            copied.name = name
            d[name] = copied
        return ret

    def device_resident_accept(self, visitor):
        super().device_resident_accept(visitor)
        d = self.__dict__
        for name in self._children:
            d[name].device_resident_accept(visitor)

    def _collect_params(self, out, include_uninit):
        Link._collect_params(self, out, include_uninit)
        d = self.__dict__
        for name in _sorted_names(self._children):
            _collect_child_params(d[name], out, include_uninit)

    def namedparams(self, include_uninit=True):
        yield from super().namedparams(include_uninit)
        d = self.__dict__
        for name in _sorted_names(self._children):
            prefix = '/' + name
            for path, param in d[name].namedparams(include_uninit):
                yield prefix + path, param

    def links(self, skipself=False):
        if not skipself:
            yield self
        d = self.__dict__
        for name in _sorted_names(self._children):
            yield from d[name].links()

    def namedlinks(self, skipself=False):
        if not skipself:
            yield '/', self
        d = self.__dict__
        for name in _sorted_names(self._children):
            child = d[name]
            prefix = '/' + name
            yield prefix, child
            for path, link in child.namedlinks(True):
                yield prefix + path, link

    def children(self):
        d = self.__dict__
        for name in _sorted_names(self._children):
            yield d[name]

    def copyparams(self, link, copy_persistent=True):
        super().copyparams(link, copy_persistent)
        src = link.__dict__
        dst = self.__dict__
        for name in self._children:
            dst[name].copyparams(src[name], copy_persistent)

    def addgrads(self, link):
        super().addgrads(link)
        src = link.__dict__
        dst = self.__dict__
        for name in self._children:
            dst[name].addgrads(src[name])

    def serialize(self, serializer):
        super().serialize(serializer)
        d = self.__dict__
        for name in _sorted_names(self._children):
            d[name].serialize(serializer[name])


class ChainList(Link, collections.abc.MutableSequence):
    """A link composed of a list of child links.

    Children are indexed by non-negative integers; a child's :attr:`~Link.name` is
    its index as a string and parameter paths look like ``'/0/W'``.  Besides
    :meth:`add_link`, the list methods of :class:`collections.abc.MutableSequence`
    work (``append``, ``insert``, ``extend``, ``pop``, ``remove``, ``index``,
    ``count``, ``reverse``, indexing and slicing, ``len``, iteration, ``in``).

    Child links cannot be registered by attribute assignment inside
    :meth:`init_scope` (parameters can).

    Args:
        links: Initial child links.

    """

    def __init__(self, *links):
        super().__init__()
        self._children = []
        for link in links:
            self.add_link(link)

    def __str__(self):
        return '{}({})'.format(
            type(self).__name__,
            _indent_children(
                (index, str(child)) for index, child in enumerate(self._children)))

    def __setattr__(self, name, value):
        if value is None or type(value) is _Variable:
            object.__setattr__(self, name, value)
            return
        if isinstance(value, Link) and self.within_init_scope:
            raise TypeError(
                '{}: cannot register a new link within a '
                '"with chainlist.init_scope():" block; use append() or add_link() '
                'instead'.format(type(self).__name__))
        super().__setattr__(name, value)

    def _check_link(self, value, method):
        if not isinstance(value, Link):
            raise TypeError(
                '{}.{}: only links can be children of a ChainList, but got {}'.format(
                    type(self).__name__, method, type(value).__name__))

    def _rename_children(self):
        for i, child in enumerate(self._children):
            child.name = str(i)

    def __getitem__(self, index):
        """Return the child at ``index`` (a list of children for a slice)."""
        return self._children[index]

    def __setitem__(self, index, value):
        """Replace the child at ``index`` (or the children in a slice)."""
        if isinstance(index, slice):
            value = list(value)
            for link in value:
                self._check_link(link, '__setitem__')
            self._children[index] = value
            self._rename_children()
        else:
            try:
                index = operator.index(index)
            except TypeError:
                raise TypeError(
                    '{} indices must be integers or slices, not {}'.format(
                        type(self).__name__, type(index).__name__)) from None
            self._check_link(value, '__setitem__')
            self._children[index] = value
            value.name = str(index % len(self._children))

    def __delitem__(self, index):
        """Remove the child at ``index`` (or the children in a slice)."""
        del self._children[index]
        self._rename_children()

    def insert(self, index, link):
        """Insert a child link before position ``index``.

        Args:
            index (int): Position, as in :meth:`list.insert`.
            link (Link): The link to insert.

        """
        self._check_link(link, 'insert')
        if index == len(self._children):
            self._children.append(link)
            link.name = str(index)
        else:
            self._children.insert(index, link)
            self._rename_children()

    def __iter__(self):
        """Iterate over the child links in order."""
        return iter(self._children)

    def __contains__(self, link):
        """Whether ``link`` is one of the children."""
        return any(child is link for child in self._children)

    def __len__(self):
        """Return the number of children."""
        return len(self._children)

    def add_link(self, link):
        """Append a child link to the end of the list.

        Args:
            link (Link): The link to register.

        """
        self.append(link)

    def copy(self, mode='share'):
        ret = self._copy_self(mode)
        children = list(self._children)
        for i, child in enumerate(children):
            child = child.copy(mode)
            child.name = str(i)
            children[i] = child
        ret._children = children
        return ret

    def device_resident_accept(self, visitor):
        super().device_resident_accept(visitor)
        for link in self._children:
            link.device_resident_accept(visitor)

    def _collect_params(self, out, include_uninit):
        Link._collect_params(self, out, include_uninit)
        for link in self._children:
            _collect_child_params(link, out, include_uninit)

    def namedparams(self, include_uninit=True):
        yield from super().namedparams(include_uninit)
        for idx, link in enumerate(self._children):
            prefix = '/%d' % idx
            for path, param in link.namedparams(include_uninit):
                yield prefix + path, param

    def links(self, skipself=False):
        if not skipself:
            yield self
        for child in self._children:
            yield from child.links()

    def namedlinks(self, skipself=False):
        if not skipself:
            yield '/', self
        for idx, child in enumerate(self._children):
            prefix = '/%d' % idx
            yield prefix, child
            for path, link in child.namedlinks(True):
                yield prefix + path, link

    def children(self):
        yield from self._children

    def copyparams(self, link, copy_persistent=True):
        super().copyparams(link, copy_persistent)
        for idx, child in enumerate(self._children):
            child.copyparams(link[idx], copy_persistent)

    def addgrads(self, link):
        super().addgrads(link)
        for idx, child in enumerate(self._children):
            child.addgrads(link[idx])

    def serialize(self, serializer):
        super().serialize(serializer)
        for idx, child in enumerate(self._children):
            child.serialize(serializer['%d' % idx])


def _inherit_docstrings(cls):
    # Overriding methods without a docstring get the one of the Link method.
    for name, member in vars(cls).items():
        if callable(member) and member.__doc__ is None and hasattr(Link, name):
            member.__doc__ = getattr(Link, name).__doc__


_inherit_docstrings(Chain)
_inherit_docstrings(ChainList)
