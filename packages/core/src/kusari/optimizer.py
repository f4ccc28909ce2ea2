"""Base classes of optimizers (``chainer.optimizer``).

* :class:`Hyperparameter`: a set of hyperparameters with fall-back to a parent, so
  that ``optimizer.lr = 0.1`` reaches every parameter's update rule unless the rule
  overrides it; :func:`get_hyperparameter` and :func:`get_hyperparameters` read
  entries faster than attribute access (for the rules' per-step code).
* :class:`UpdateRule`: how one parameter is updated (its state, hooks, fp32 master
  copy for float16 parameters).
* :class:`Optimizer`: the base of all optimizers (target link, hooks, loss scaling,
  serialization).
* :class:`GradientMethod`: the base of first-order methods, which give every
  parameter an :class:`UpdateRule` (the concrete optimizers live in
  ``kusari.optimizers``).
"""
import collections
import copy
import math
import warnings

import numpy

from kusari import backend


def _is_numpy(array):
    return isinstance(array, numpy.ndarray)


def _zeros_like(array):
    """``zeros_like`` allocated on the device of ``array``."""
    if _is_numpy(array):
        return numpy.zeros_like(array)
    with backend.get_device_from_array(array):
        return backend.get_array_module(array).zeros_like(array)


def _get_loss_scale(param):
    scale = getattr(param, '_loss_scale', None)
    if scale is None:
        node = getattr(param, 'node', None)
        scale = getattr(node, '_loss_scale', None)
    return scale


def _clear_loss_scale(param):
    for obj in (param, getattr(param, 'node', None)):
        if obj is not None and getattr(obj, '_loss_scale', None) is not None:
            try:
                obj._loss_scale = None
            except AttributeError:
                pass


def _variable_class():
    from kusari import _core
    return _core.Variable


class Hyperparameter:
    """Set of hyperparameter entries of an optimizer or update rule.

    Each entry is an attribute (``hp.lr = 0.01``).  An attribute not set on this
    object is looked up on the *parent* hyperparameter, recursively.  A gradient
    method's hyperparameter is the parent of every update rule's one: changing
    ``optimizer.hyperparam.lr`` changes the learning rate of all rules, while one
    rule can still override it (``param.update_rule.hyperparam.lr = 0``).

    Args:
        parent (Hyperparameter): The parent, or ``None``.
    """

    def __init__(self, parent=None):
        self._parent = parent

    def __getattr__(self, name):
        # Only called when normal lookup fails.
        if '_parent' not in self.__dict__:
            raise AttributeError('_parent is not set up yet')
        parent = self._parent
        if parent is None:
            raise AttributeError(
                'hyperparameter {!r} is not defined'.format(name))
        return getattr(parent, name)

    def __repr__(self):
        d = self.get_dict()
        values = ', '.join('{}={}'.format(k, d[k]) for k in sorted(d))
        return 'Hyperparameter({})'.format(values)

    @property
    def parent(self):
        """The parent hyperparameter (or ``None``)."""
        return self._parent

    def get_dict(self):
        """Return a dict of every visible entry (own entries override the parent's)."""
        d = {} if self._parent is None else self._parent.get_dict()
        for k, v in self.__dict__.items():
            if k != '_parent':
                d[k] = v
        return d


def get_hyperparameter(hyperparam, name):
    """Return the entry ``name`` of a :class:`Hyperparameter`, cheaply.

    The same value as ``getattr(hyperparam, name)`` (this object's entry, else the
    nearest parent's), found by looking in the entries of each level: attribute access
    to an entry set on a parent first fails on the object itself, which costs more than
    the update of a small parameter.  Update rules read their hyperparameters with this
    at every step.

    Args:
        hyperparam (Hyperparameter): Where to start looking.
        name (str): The entry's name.

    Returns:
        The value.

    Raises:
        AttributeError: if neither ``hyperparam`` nor a parent has the entry.

    >>> from kusari.optimizer import Hyperparameter, get_hyperparameter
    >>> parent = Hyperparameter()
    >>> parent.lr = 0.1
    >>> child = Hyperparameter(parent)
    >>> get_hyperparameter(child, 'lr')
    0.1
    >>> child.lr = 0.5          # an entry of the child overrides the parent's
    >>> get_hyperparameter(child, 'lr')
    0.5
    """
    hp = hyperparam
    while hp is not None:
        d = hp.__dict__
        if name in d:
            return d[name]
        hp = d.get('_parent')
    return getattr(hyperparam, name)  # not an entry: the usual lookup (and its error)


def get_hyperparameters(hyperparam, names):
    """Return the entries ``names`` of a :class:`Hyperparameter` as a list, cheaply.

    ``[get_hyperparameter(hyperparam, name) for name in names]`` in one call.

    Args:
        hyperparam (Hyperparameter): Where to start looking.
        names (sequence of str): The entries' names.

    Returns:
        list: The values, in the order of ``names``.

    Raises:
        AttributeError: if an entry is found neither in ``hyperparam`` nor in a parent.
    """
    # The rules' hyperparameters have one parent (the optimizer's): look in both
    # levels' entries here, and leave deeper chains and errors to get_hyperparameter.
    d = hyperparam.__dict__
    parent = d.get('_parent')
    pd = d if parent is None else parent.__dict__
    values = []
    for name in names:
        if name in d:
            values.append(d[name])
        elif name in pd:
            values.append(pd[name])
        else:
            values.append(get_hyperparameter(hyperparam, name))
    return values


class UpdateRule:
    """Base class of update rules: how one parameter is updated from its gradient.

    An :class:`Optimizer` chooses which parameters to update; the update rule set
    to each parameter (``param.update_rule``) defines how.  Implementations
    override :meth:`update_core`, or both :meth:`update_core_cpu` and
    :meth:`update_core_gpu`; rules with a state (moving averages, ...) override
    :meth:`init_state`, which is called lazily at the first update and fills
    :attr:`state`.  State arrays follow the parameter to its device.

    Hook functions ``hook(rule, param)`` can be added; they run before (timing
    ``'pre'``) or after (``'post'``) each update, in registration order.

    Args:
        parent_hyperparam (Hyperparameter): Parent of this rule's hyperparameter
            (usually the optimizer's).

    Attributes:
        enabled (bool): If ``False``, :meth:`update` does nothing.
        hyperparam (Hyperparameter): Hyperparameter of the rule.
        t (int): Number of updates made by this rule.
    """

    def __init__(self, parent_hyperparam=None):
        self._pre_update_hooks = collections.OrderedDict()
        self._post_update_hooks = collections.OrderedDict()
        self._state = None
        self.enabled = True
        self.hyperparam = Hyperparameter(parent_hyperparam)
        self.t = 0
        self._use_fp32_update = False
        self._fp32_param = None

    @property
    def state(self):
        """The state dictionary (``None`` until the first update or deserialization)."""
        return self._state

    def add_hook(self, hook, name=None, timing='auto'):
        """Add a hook function ``hook(rule, param)``.

        Args:
            hook (callable): The hook.
            name (str): Registration name; defaults to ``hook.name`` or
                ``hook.__name__``.
            timing (str): ``'pre'`` (before the update), ``'post'`` (after it), or
                ``'auto'``: the hook's ``timing`` attribute, ``'pre'`` if absent.

        Raises:
            TypeError: if ``hook`` is not callable.
            ValueError: on a bad ``timing``, a missing name or a duplicate name.
        """
        if not callable(hook):
            raise TypeError('hook function must be callable')
        if timing not in ('pre', 'post', 'auto'):
            raise ValueError("timing must be one of ('pre', 'post', 'auto'), got "
                             "{!r}".format(timing))
        if timing == 'auto':
            timing = getattr(hook, 'timing', 'pre')
            if timing not in ('pre', 'post'):
                raise ValueError("the hook's timing attribute must be 'pre' or "
                                 "'post', got {!r}".format(timing))
        if name is None:
            name = getattr(hook, 'name', getattr(hook, '__name__', None))
            if name is None:
                raise ValueError('the name of the hook function is not specified')
        if name in self._pre_update_hooks or name in self._post_update_hooks:
            raise ValueError('hook "{}" already exists'.format(name))
        if timing == 'pre':
            self._pre_update_hooks[name] = hook
        else:
            self._post_update_hooks[name] = hook

    def remove_hook(self, name):
        """Remove the hook registered under ``name``.

        Raises:
            KeyError: if no hook has that name.
        """
        if name in self._pre_update_hooks:
            del self._pre_update_hooks[name]
        elif name in self._post_update_hooks:
            del self._post_update_hooks[name]
        else:
            raise KeyError('no hook named {!r}'.format(name))

    def update(self, param):
        """Update ``param`` from its gradient: pre hooks, ``update_core``, post hooks.

        Does nothing when the rule is disabled or ``param.grad`` is ``None`` (for
        example an uninitialized parameter); otherwise increments :attr:`t`.  The
        state is initialized (:meth:`init_state`) on the first call.  A gradient
        computed with ``backward(loss_scale=s)`` is divided by ``s`` first.

        With :meth:`use_fp32_update` and a float16 parameter, the update runs on a
        float32 master copy of the parameter, whose value is then written back to
        the parameter (rounded to float16).

        Args:
            param (~kusari.Variable): The parameter to update.
        """
        if not self.enabled:
            return
        grad = param.grad
        if grad is None:
            return
        self.t += 1
        loss_scale = _get_loss_scale(param)

        if self._use_fp32_update and param.dtype == numpy.float16:
            if self._fp32_param is None:
                self._fp32_param = _variable_class()(
                    param.array.astype(numpy.float32), name=param.name)
            target = self._fp32_param
            target.grad = grad.astype(numpy.float32)
        else:
            target = param
        self._prepare(target)
        if loss_scale is not None:
            scaled = target.grad
            scaled /= loss_scale
            target.grad = scaled
            _clear_loss_scale(param)
        for hook in self._pre_update_hooks.values():
            hook(self, target)
        self.update_core(target)
        for hook in self._post_update_hooks.values():
            hook(self, target)
        if target is not param:
            xp = backend.get_array_module(param.array)
            xp.copyto(param.array, target.array.astype(param.dtype))
            target.grad = None

    def update_core(self, param):
        """Update the parameter: calls ``update_core_cpu`` or ``update_core_gpu``.

        Override this, or both device-specific methods.

        Args:
            param (~kusari.Variable): The parameter, with its gradient.
        """
        array = param.array
        if _is_numpy(array):
            self.update_core_cpu(param)
        else:
            with backend.get_device_from_array(array):
                self.update_core_gpu(param)

    def update_core_cpu(self, param):
        """Update a parameter held in a NumPy array. See :meth:`update_core`."""
        raise NotImplementedError(
            '{} implements neither update_core nor update_core_cpu'.format(
                type(self).__name__))

    def update_core_gpu(self, param):
        """Update a parameter held in a CuPy array. See :meth:`update_core`."""
        raise NotImplementedError(
            '{} implements neither update_core nor update_core_gpu'.format(
                type(self).__name__))

    def init_state(self, param):
        """Initialize :attr:`state` (called at the first update).

        Rules with a state override this and set entries, e.g.
        ``self.state['m'] = xp.zeros_like(param.array)``.

        Args:
            param (~kusari.Variable): The parameter (for its shape, dtype and
                array module).
        """
        pass

    def serialize(self, serializer):
        """Save or load :attr:`t` and every state entry.

        Only the rule's state is handled, not the parameter itself.  When loading
        into a rule whose state is not initialized yet, the entry names are found
        by running :meth:`init_state` on a dummy parameter; if the snapshot lacks
        them the state is left uninitialized (and is initialized at the next
        update).

        Args:
            serializer (~kusari.AbstractSerializer): Serializer or deserializer.
        """
        from kusari import serializer as serializer_module

        self.t = serializer('t', self.t)
        if self.state is None:
            if isinstance(serializer, serializer_module.Deserializer):
                # Find the entry names on a probe, ask for every one of them, and
                # assign only when all came: a failed load leaves the rule untouched.
                probe = copy.copy(self)
                probe._state = {}
                arr = numpy.empty(1, dtype=numpy.float32)
                probe.init_state(_variable_class()(arr, grad=arr))
                loaded = {}
                complete = True
                for key in list(probe._state):
                    try:
                        value = serializer(key, None)
                    except KeyError:
                        if self.enabled:
                            raise
                        value = None
                    if value is None:
                        complete = False
                    else:
                        loaded[key] = value
                self._state = loaded if (complete and loaded) else None
        else:
            for key in self._state:
                self._state[key] = serializer(key, self._state[key])

    def _prepare(self, param):
        """Initialize the state if needed; move its arrays to the parameter's device."""
        array = param.array
        if type(array) is numpy.ndarray:
            # The common case, kept cheap: it runs for every parameter at every step.
            state = self.state
            if state is None:
                state = self._state = {}
                self.init_state(param)
            for name, value in state.items():
                if type(value) is not numpy.ndarray and backend.is_array(value):
                    state[name] = backend.CpuDevice().send(value)
            return
        device = backend.CpuDevice() if array is None else \
            backend.get_device_from_array(array)
        with device:
            state = self.state
            if state is None:
                state = self._state = {}
                self.init_state(param)
            if array is None:
                return
            array_types = backend.get_array_types()
            for name, value in state.items():
                if isinstance(value, array_types):
                    state[name] = device.send(value)

    def use_fp32_update(self, flag=True):
        """Enable (or disable) updating float16 parameters via a float32 master copy.

        When enabled and the parameter is float16: its gradient is converted to
        float32 and given to a float32 copy of the parameter (kept by the rule),
        the update runs on that copy, and its value is converted back into the
        parameter.  Small updates thus accumulate instead of being rounded away.

        Args:
            flag (bool): Enable or disable.
        """
        self._use_fp32_update = flag


class Optimizer:
    """Base class of all numerical optimizers.

    An optimizer updates the parameters of its *target link*, registered by
    :meth:`setup`; :meth:`update` runs one step.  Subclasses must override
    :meth:`update`; first-order methods should derive from
    :class:`GradientMethod`.

    Hook functions registered by :meth:`add_hook` run in registration order
    before (``'pre'``) or after (``'post'``) the parameter updates.  A hook with
    a true ``call_for_each_param`` attribute is called as ``hook(rule, param)``
    for every parameter; otherwise as ``hook(optimizer)``.

    Attributes:
        target: The target link, set by :meth:`setup`.
        t (int): Number of update steps.
        epoch (int): Current epoch, incremented by :meth:`new_epoch`.
        use_auto_new_epoch (bool): Set by an updater that calls
            :meth:`new_epoch` itself (with ``auto=True``).
    """

    target = None
    t = 0
    epoch = 0
    _pre_update_hooks = None
    _post_update_hooks = None
    _loss_scale = None
    _loss_scale_max = 65504  # the largest float16 value
    _loss_scaling_is_dynamic = False
    _loss_scaling_isnan = False
    _loss_scaling_isnan_ever = False
    use_auto_new_epoch = False

    def setup(self, link):
        """Set the target link and reset the step and epoch counts and the hooks.

        Args:
            link (~kusari.Link): The link whose parameters are optimized.

        Returns:
            Optimizer: ``self``, so that ``opt = SGD().setup(model)`` works.

        Raises:
            TypeError: if ``link`` is not a :class:`~kusari.Link`.
        """
        from kusari import link as link_module

        if not isinstance(link, link_module.Link):
            raise TypeError('optimization target must be a link, not '
                            '{}'.format(type(link).__name__))
        self.target = link
        self.t = 0
        self.epoch = 0
        self._pre_update_hooks = collections.OrderedDict()
        self._post_update_hooks = collections.OrderedDict()
        return self

    def update(self, lossfun=None, *args, **kwds):
        """Update the parameters.

        With ``lossfun``, the gradients are computed first: typically the
        gradients are cleared, ``lossfun(*args, **kwds)`` is called and the
        returned loss Variable is backpropagated. Without it, the gradients are
        assumed computed already.

        Args:
            lossfun (callable): Returns the loss Variable. Optional for
                single-gradient methods.
            args, kwds: Arguments of ``lossfun``.
        """
        raise NotImplementedError(
            '{} does not implement update'.format(type(self).__name__))

    def new_epoch(self, auto=False):
        """Start a new epoch (increment :attr:`epoch`).

        Args:
            auto (bool): ``True`` when called by an updater, which must have set
                :attr:`use_auto_new_epoch`.

        Raises:
            RuntimeError: if ``auto`` does not agree with
                :attr:`use_auto_new_epoch` (a missing or duplicated call).
        """
        if auto:
            if not self.use_auto_new_epoch:
                raise RuntimeError(
                    'invalid new_epoch call with auto=True.\n'
                    'Fix the updater to set optimizer.use_auto_new_epoch = True.')
        elif self.use_auto_new_epoch:
            raise RuntimeError(
                'duplicated new_epoch with the updater.\n'
                'Pass auto_new_epoch=False to the updater or stop calling '
                'new_epoch outside the updater.')
        self.epoch += 1

    def _check_setup(self):
        if self._pre_update_hooks is None or self._post_update_hooks is None:
            raise RuntimeError('call the `setup` method of the optimizer first')

    def add_hook(self, hook, name=None, timing='auto'):
        """Register a hook function.

        Args:
            hook (callable): Called as ``hook(optimizer)``, or as
                ``hook(rule, param)`` for each parameter when
                ``hook.call_for_each_param`` is true.
            name (str): Registration name; defaults to ``hook.name`` (then
                ``hook.__name__``).
            timing (str): ``'pre'`` (before the updates), ``'post'`` (after
                them) or ``'auto'``: the hook's ``timing`` attribute, ``'pre'``
                (with a warning) if it has none.

        Raises:
            TypeError: if ``hook`` is not callable.
            RuntimeError: if :meth:`setup` was not called.
            ValueError: on a bad ``timing`` or a missing name.
            KeyError: if the name is already registered.
        """
        if not callable(hook):
            raise TypeError('hook function is not callable')
        self._check_setup()
        if timing not in ('pre', 'post', 'auto'):
            raise ValueError("timing must be one of ('pre', 'post', 'auto'), got "
                             "{!r}".format(timing))
        if timing == 'auto':
            timing = getattr(hook, 'timing', None)
            if timing not in ('pre', 'post'):
                warnings.warn("Hook timing attribute not in ('pre', 'post'), "
                              "defaulting timing to 'pre'.")
                timing = 'pre'
        if name is None:
            name = getattr(hook, 'name', getattr(hook, '__name__', None))
            if name is None:
                raise ValueError('the name of the hook function is not specified')
        if name in self._pre_update_hooks or name in self._post_update_hooks:
            raise KeyError('hook "{}" already exists'.format(name))
        if timing == 'pre':
            self._pre_update_hooks[name] = hook
        else:
            self._post_update_hooks[name] = hook

    def remove_hook(self, name):
        """Remove the hook registered under ``name``.

        Raises:
            KeyError: if no hook has that name.
        """
        self._check_setup()
        if name in self._pre_update_hooks:
            del self._pre_update_hooks[name]
        elif name in self._post_update_hooks:
            del self._post_update_hooks[name]
        else:
            raise KeyError('no hook named {!r}'.format(name))

    def call_hooks(self, timing='pre'):
        """Invoke the ``'pre'`` or ``'post'`` hooks in registration order."""
        if timing not in ('pre', 'post'):
            raise ValueError("timing must be either 'pre' or 'post', got "
                             "{!r}".format(timing))
        self._check_setup()
        hooks = self._pre_update_hooks if timing == 'pre' else self._post_update_hooks
        for hook in list(hooks.values()):
            self._call_hook(hook)

    def _call_hook(self, hook):
        if getattr(hook, 'call_for_each_param', False):
            for param in self.target.params():
                hook(param.update_rule, param)
        else:
            hook(self)

    def serialize(self, serializer):
        """Save or load :attr:`t`, :attr:`epoch` and each parameter's update-rule state.

        The state of a parameter's rule goes under the parameter's path in the
        target link (``'l1/W'`` gives keys like ``'l1/W/m'``).  The parameters
        themselves are not saved: serialize the link separately.

        Args:
            serializer (~kusari.AbstractSerializer): Serializer or deserializer.
        """
        self.t = serializer('t', self.t)
        self.epoch = serializer('epoch', self.epoch)
        for name, param in self.target.namedparams():
            rule = getattr(param, 'update_rule', None)
            if rule is not None:
                rule.serialize(serializer[name.lstrip('/')])

    def loss_scaling(self, interval=1000, scale=None):
        """Configure loss scaling (for float16 training).

        The loss is multiplied by the scale before backprop
        (``loss.backward(loss_scale=...)``) and each gradient is divided by it
        before its update.

        Args:
            interval (int): For dynamic scaling: once a non-finite gradient has
                been seen, the scale grows by a factor 2 every ``interval``
                iterations (it doubles each iteration before that, and halves on
                every iteration with a non-finite gradient, whose update is
                skipped). The scale stays within ``[1, 65504]``.
            scale (float): A fixed (static) scale; ``None`` selects dynamic
                scaling, starting from 1.

        Raises:
            ValueError: if ``interval < 1`` or ``scale <= 0``.
        """
        if scale is None:
            if interval < 1:
                raise ValueError('interval must be greater than or equal to 1. '
                                 'Actual: {}'.format(interval))
            self._loss_scaling_is_dynamic = True
            self._loss_scale = 1.0
            self._loss_scaling_multiplier = math.pow(2.0, 1.0 / interval)
            self._loss_scaling_isnan_ever = False
        else:
            if scale <= 0:
                raise ValueError('loss_scale must be a positive number. '
                                 'Actual: {}'.format(scale))
            self._loss_scaling_is_dynamic = False
            self._loss_scale = scale

    def set_loss_scale(self, loss_scale):
        """Set a static loss scale (``loss_scaling(scale=loss_scale)``)."""
        self.loss_scaling(scale=loss_scale)

    def check_nan_in_grads(self):
        """With dynamic loss scaling, record (and warn) if some gradient is non-finite.

        The result is read by :meth:`is_safe_to_update`.
        """
        self._loss_scaling_isnan = False
        if not self._loss_scaling_is_dynamic:
            return
        for name, param in self.target.namedparams():
            grad = param.grad
            if grad is None:
                continue
            xp = backend.get_array_module(grad)
            if not bool(xp.all(xp.isfinite(grad))):
                self._loss_scaling_isnan = True
                self._loss_scaling_isnan_ever = True
                warnings.warn('Non finite number found in param.grad of {} '
                              '(iteration: {}, loss_scale: {})'.format(
                                  name, self.t, self._loss_scale))

    def is_safe_to_update(self):
        """``False`` if :meth:`check_nan_in_grads` found a non-finite gradient."""
        return not self._loss_scaling_isnan

    def update_loss_scale(self):
        """Adjust the dynamic loss scale after an iteration (see ``loss_scaling``)."""
        if not self._loss_scaling_is_dynamic:
            return
        if self._loss_scaling_isnan:
            multiplier = 0.5
        elif self._loss_scaling_isnan_ever:
            multiplier = self._loss_scaling_multiplier
        else:
            multiplier = 2.0
        self._loss_scale = max(1, min(self._loss_scale_max,
                                      self._loss_scale * multiplier))


class GradientMethod(Optimizer):
    """Base class of single-gradient (first-order) optimizers.

    Every parameter of the target gets an :class:`UpdateRule` from
    :meth:`create_update_rule` (which subclasses implement) at :meth:`setup`.
    :attr:`hyperparam` is the parent of the rules' hyperparameters, so
    ``optimizer.hyperparam.lr = 0.1`` (or ``optimizer.lr = 0.1`` through a
    :class:`HyperparameterProxy`) reaches every rule that does not override it.

    :meth:`update` runs: (with ``lossfun``) loss computation, gradient clearing
    and backprop; zero gradients for parameters that got none; the 'pre' hooks;
    ``param.update()`` for every parameter; the 'post' hooks.

    Attributes:
        hyperparam (Hyperparameter): Hyperparameter of the method.
    """

    def __init__(self):
        super().__init__()
        self.hyperparam = Hyperparameter()
        self._use_fp32_update = False

    def setup(self, link):
        """Set the target link and give each of its parameters a new update rule.

        Returns:
            GradientMethod: ``self``.
        """
        super().setup(link)
        for param in link.params():
            param.update_rule = self.create_update_rule()
            if self._use_fp32_update:
                param.update_rule.use_fp32_update()
        return self

    def reallocate_cleared_grads(self):
        """Give a zero gradient to each initialized parameter whose gradient is None.

        Called before and after every hook and update, so that hooks and rules
        always see gradient arrays.  Optimizers that do not need this can
        override it with a no-op.
        """
        for param in self.target.params(include_uninit=False):
            if param.grad is None and param.array is not None:
                param.grad = _zeros_like(param.array)

    def call_hooks(self, timing='pre'):
        """Invoke the hooks of a timing, reallocating cleared gradients after each."""
        if timing not in ('pre', 'post'):
            raise ValueError("timing must be either 'pre' or 'post', got "
                             "{!r}".format(timing))
        self._check_setup()
        hooks = self._pre_update_hooks if timing == 'pre' else self._post_update_hooks
        for hook in list(hooks.values()):
            self._call_hook(hook)
            self.reallocate_cleared_grads()

    def update(self, lossfun=None, *args, **kwds):
        """Run one update step, from ``lossfun`` or from the computed gradients.

        With ``lossfun``: ``loss = lossfun(*args, **kwds)``, the target's
        gradients are cleared, and ``loss.backward(loss_scale=...)`` computes
        them.  Then: cleared gradients are reallocated as zeros, non-finite
        gradients are checked (dynamic loss scaling), the 'pre' hooks run,
        :attr:`t` is incremented, each parameter is updated by its rule (skipped
        when dynamic loss scaling found a non-finite gradient), and the 'post'
        hooks run.

        Args:
            lossfun (callable): Returns the loss Variable, or ``None``.
            args, kwds: Arguments of ``lossfun``.
        """
        self._check_setup()
        if lossfun is not None:
            use_cleargrads = getattr(self, '_use_cleargrads', True)
            loss = lossfun(*args, **kwds)
            if use_cleargrads:
                self.target.cleargrads()
            else:
                self.target.zerograds()
            loss.backward(loss_scale=self._loss_scale)
            del loss

        # One traversal of the target serves the whole step (it runs every step).
        params = list(self.target.params())
        self._reallocate(params)
        self.check_nan_in_grads()
        if self._pre_update_hooks:
            self.call_hooks('pre')

        self.t += 1
        if self.is_safe_to_update():
            for param in params:
                param.update()

        self._reallocate(params)
        if self._post_update_hooks:
            self.call_hooks('post')
        self.update_loss_scale()

    def _reallocate(self, params):
        if type(self).reallocate_cleared_grads is not GradientMethod.reallocate_cleared_grads:
            self.reallocate_cleared_grads()      # a subclass's own policy
            return
        for param in params:
            if param.grad is None and param.array is not None:
                param.grad = _zeros_like(param.array)

    def use_cleargrads(self, use=True):
        """Deprecated: use ``cleargrads`` (default) or ``zerograds`` in :meth:`update`.

        Args:
            use (bool): ``True`` for ``cleargrads``, ``False`` for ``zerograds``.
        """
        warnings.warn('GradientMethod.use_cleargrads is deprecated.',
                      DeprecationWarning, stacklevel=2)
        self._use_cleargrads = use

    def create_update_rule(self):
        """Return a new :class:`UpdateRule` for one parameter (to implement)."""
        raise NotImplementedError(
            '{} does not implement create_update_rule'.format(type(self).__name__))

    def use_fp32_update(self, flag=True):
        """Enable (or disable) fp32 master-copy updates of float16 params in all rules.

        Applies to the rules of the current target and to those created by later
        :meth:`setup` calls. See :meth:`UpdateRule.use_fp32_update`.
        """
        self._use_fp32_update = flag
        if self.target is not None:
            for param in self.target.params():
                rule = getattr(param, 'update_rule', None)
                if rule is not None:
                    rule.use_fp32_update(flag)


class HyperparameterProxy:
    """Property aliasing an attribute of ``self.hyperparam``.

    Optimizers define ``lr = HyperparameterProxy('lr')`` so that
    ``optimizer.lr`` reads and writes ``optimizer.hyperparam.lr``.

    Args:
        attr_name (str): Name of the hyperparameter attribute.
    """

    def __init__(self, attr_name):
        self._attr_name = attr_name
        self.__doc__ = 'Alias to ``self.hyperparam.{}``'.format(attr_name)

    def __get__(self, obj, type=None):
        if obj is None:
            return self
        return getattr(obj.hyperparam, self._attr_name)

    def __set__(self, obj, value):
        setattr(obj.hyperparam, self._attr_name, value)


# Deprecated (Chainer v4) aliases of the optimizer hooks, which live in
# ``kusari.optimizer_hooks`` (distribution kusari-optimizers). Resolved lazily.
_DEPRECATED_HOOKS = ('WeightDecay', 'Lasso', 'GradientClipping', 'GradientNoise',
                     'GradientHardClipping')
_deprecated_hook_classes = {}


def __getattr__(name):
    if name not in _DEPRECATED_HOOKS:
        raise AttributeError('module {!r} has no attribute {!r}'.format(
            __name__, name))
    cls = _deprecated_hook_classes.get(name)
    if cls is None:
        import importlib
        hooks = importlib.import_module('kusari.optimizer_hooks')
        base = getattr(hooks, name)

        def __init__(self, *args, **kwargs):
            warnings.warn('kusari.optimizer.{0} is deprecated. Use '
                          'kusari.optimizer_hooks.{0} instead.'.format(name),
                          DeprecationWarning, stacklevel=2)
            base.__init__(self, *args, **kwargs)

        cls = type(name, (base,), {
            '__init__': __init__,
            '__doc__': 'Deprecated alias of kusari.optimizer_hooks.{}.'.format(name),
            '__module__': __name__,
        })
        _deprecated_hook_classes[name] = cls
    return cls
