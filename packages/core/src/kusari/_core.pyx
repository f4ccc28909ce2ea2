# cython: language_level=3
"""kusari's graph core: configuration flags, Variable, VariableNode, FunctionNode and
the backward engine.

The whole idea fits in a few paragraphs:

* A :class:`Variable` wraps an array and points at its :class:`VariableNode`.  The node
  is what the graph holds: shape, dtype, the creator function, the rank, the gradient
  and -- only when some backward needs it -- the array itself.  When the user drops a
  Variable, its array goes with it unless a function retained it.
* :meth:`FunctionNode.apply` runs ``forward`` on arrays and, when backprop is enabled
  and some input requires a gradient, links the function to its input nodes (strongly)
  and to its output nodes (weakly, so that the graph does not keep dead outputs alive).
* ``backward`` pops functions in decreasing rank from a heap (no recursion, so chains of
  any length work), hands each the gradients of its outputs and accumulates what it
  returns into its inputs' entries.  Without double backprop the gradients stay plain
  arrays, and functions that define ``backward_array`` skip Variable wrapping entirely.
"""
import heapq
import sys
import threading
import warnings
import weakref

import numpy

from kusari import _workspace

cimport cython
cimport numpy as cnp
from cpython.object cimport PyObject
from cpython.pythread cimport PyThread_get_thread_ident
from cpython.weakref cimport PyWeakref_NewRef

cnp.import_array()

cdef extern from "<fenv.h>" nogil:
    int feclearexcept(int excepts)
    int fetestexcept(int excepts)
    int FE_DIVBYZERO
    int FE_INVALID
    int FE_OVERFLOW
    int FE_UNDERFLOW

# --------------------------------------------------------------------------------------
# Configuration: a few hot flags are C ints read on every operation; everything else is
# a dict.  Each thread has its own state whose unset entries fall back to the global one.
# --------------------------------------------------------------------------------------

cdef int _UNSET = -1

_HOT_FLAGS = ('enable_backprop', 'train', 'type_check', 'debug')

_DEFAULTS = {
    'autotune': False,
    'compute_mode': None,
    'cudnn_deterministic': False,
    'cudnn_fast_batch_normalization': False,
    'dtype': numpy.dtype(numpy.float32),
    'in_recomputing': False,
    'keep_graph_on_report': False,
    'lazy_grad_sum': False,
    'schedule_func': None,
    'use_cudnn': 'auto',
    'use_cudnn_tensor_core': 'auto',
    'use_ideep': 'never',
    'use_static_graph': True,
    'warn_nondeterministic': False,
}


cdef class _ConfigState:
    """Configuration values of one scope (the global one, or one thread's)."""

    def __cinit__(self, bint fill=False):
        if fill:
            self.enable_backprop = 1
            self.train = 1
            self.type_check = 1
            self.debug = 0
            self.values = dict(_DEFAULTS)
        else:
            self.enable_backprop = _UNSET
            self.train = _UNSET
            self.type_check = _UNSET
            self.debug = _UNSET
            self.values = {}
        self.function_hooks = {}
        self.defer_leaf_grads = 0


cdef _ConfigState _global_state = _ConfigState(True)
cdef dict _thread_states = {}
cdef unsigned long _cached_tid = 0
cdef _ConfigState _cached_state = None
_thread_local = threading.local()


class _ThreadStateReaper:
    """Held in a ``threading.local``: when its thread ends it forgets that thread's state."""

    def __init__(self, tid):
        self.tid = tid

    def __del__(self):
        global _cached_state, _cached_tid
        _thread_states.pop(self.tid, None)
        if _cached_tid == self.tid:
            _cached_state = None
            _cached_tid = 0


cdef _ConfigState _local_state():
    global _cached_tid, _cached_state
    cdef unsigned long tid = PyThread_get_thread_ident()
    if tid == _cached_tid and _cached_state is not None:
        return _cached_state
    st = _thread_states.get(tid)
    if st is None:
        st = _ConfigState(False)
        _thread_states[tid] = st
        _thread_local.reaper = _ThreadStateReaper(tid)
    _cached_tid = tid
    _cached_state = <_ConfigState>st
    return <_ConfigState>st


cdef inline bint _backprop_enabled():
    cdef _ConfigState st = _local_state()
    if st.enable_backprop != _UNSET:
        return st.enable_backprop
    return _global_state.enable_backprop


cdef inline bint _type_check_enabled():
    cdef _ConfigState st = _local_state()
    if st.type_check != _UNSET:
        return st.type_check
    return _global_state.type_check


cdef inline bint _debug_enabled():
    cdef _ConfigState st = _local_state()
    if st.debug != _UNSET:
        return st.debug
    return _global_state.debug


cdef object _state_get(_ConfigState st, str name):
    if name == 'enable_backprop':
        return None if st.enable_backprop == _UNSET else bool(st.enable_backprop)
    if name == 'train':
        return None if st.train == _UNSET else bool(st.train)
    if name == 'type_check':
        return None if st.type_check == _UNSET else bool(st.type_check)
    if name == 'debug':
        return None if st.debug == _UNSET else bool(st.debug)
    return st.values.get(name, _MISSING)


cdef object _MISSING = object()


cdef _state_set(_ConfigState st, str name, value):
    if name == 'enable_backprop':
        st.enable_backprop = 1 if value else 0
    elif name == 'train':
        st.train = 1 if value else 0
    elif name == 'type_check':
        st.type_check = 1 if value else 0
    elif name == 'debug':
        st.debug = 1 if value else 0
    else:
        if name == 'dtype' and value is not None and \
                not getattr(value, '_kusari_keep_as_dtype', False):
            value = numpy.dtype(value)   # (mixed16 stays itself for get_dtype)
        st.values[name] = value


cdef _state_del(_ConfigState st, str name):
    if name == 'enable_backprop':
        st.enable_backprop = _UNSET
    elif name == 'train':
        st.train = _UNSET
    elif name == 'type_check':
        st.type_check = _UNSET
    elif name == 'debug':
        st.debug = _UNSET
    else:
        del st.values[name]


cdef list _state_keys(_ConfigState st):
    keys = [k for k in _HOT_FLAGS if _state_get(st, k) is not None]
    keys.extend(st.values.keys())
    return keys


class GlobalConfig:
    """The process-wide default configuration (``kusari.global_config``).

    Every thread's :data:`config` falls back to these values for the entries it has
    not set itself.
    """

    def __getattr__(self, name):
        v = _state_get(_global_state, name)
        if v is _MISSING:
            raise AttributeError(f'kusari.global_config has no entry {name!r}')
        return v

    def __setattr__(self, name, value):
        _state_set(_global_state, name, value)

    def __delattr__(self, name):
        try:
            _state_del(_global_state, name)
        except KeyError:
            raise AttributeError(name) from None

    def show(self, file=None):
        """Print every entry, sorted by name, to ``file`` (stdout by default)."""
        _show(self, sorted(_state_keys(_global_state)), file)


class LocalConfig:
    """The thread-local configuration (``kusari.config``).

    Reading an entry returns this thread's value if it set one, else the global value.
    Writing sets it for this thread only.  Entries: ``train`` (True), ``enable_backprop``
    (True), ``type_check`` (True), ``debug`` (False), ``dtype`` (float32), ``use_cudnn``
    ('auto'), ``keep_graph_on_report`` (False), ``lazy_grad_sum`` (False), and any
    user-defined name.
    """

    def __init__(self, global_config=None):
        pass

    def __getattr__(self, name):
        v = _state_get(_local_state(), name)
        if v is None or v is _MISSING:
            g = _state_get(_global_state, name)
            if g is _MISSING:
                if v is None:
                    return None
                raise AttributeError(f'kusari.config has no entry {name!r}')
            return g
        return v

    def __setattr__(self, name, value):
        _state_set(_local_state(), name, value)

    def __delattr__(self, name):
        try:
            _state_del(_local_state(), name)
        except KeyError:
            raise AttributeError(name) from None

    def _has_local(self, name):
        v = _state_get(_local_state(), name)
        return not (v is None or v is _MISSING)

    def show(self, file=None):
        """Print every entry (thread-local values over global ones), sorted, to ``file``."""
        keys = set(_state_keys(_global_state)) | set(_state_keys(_local_state()))
        _show(self, sorted(keys), file)


def _show(cfg, keys, file):
    import sys
    file = sys.stdout if file is None else file
    width = max((len(k) for k in keys), default=0)
    for k in keys:
        file.write(f'{k:<{width}}  {getattr(cfg, k)!r}\n')


global_config = GlobalConfig()
config = LocalConfig()


cdef class _ConfigScope:
    """Context manager behind :func:`using_config` (a C type: it runs in every backward)."""
    cdef str name
    cdef object value
    cdef object old
    cdef object cfg
    cdef bint had

    def __cinit__(self, str name, value, cfg):
        self.name = name
        self.value = value
        self.cfg = cfg

    def __enter__(self):
        cdef _ConfigState st
        if self.cfg is config:
            st = _local_state()
        elif self.cfg is global_config:
            st = _global_state
        else:
            self.had = hasattr(self.cfg, self.name)
            self.old = getattr(self.cfg, self.name, None)
            setattr(self.cfg, self.name, self.value)
            return self
        self.old = _state_get(st, self.name)
        _state_set(st, self.name, self.value)
        return self

    def __exit__(self, *exc):
        cdef _ConfigState st
        if self.cfg is config:
            st = _local_state()
        elif self.cfg is global_config:
            st = _global_state
        else:
            if self.had:
                setattr(self.cfg, self.name, self.old)
            else:
                delattr(self.cfg, self.name)
            return False
        if self.old is None or self.old is _MISSING:
            if self.name in _HOT_FLAGS or self.name in st.values:
                _state_del(st, self.name)
        else:
            _state_set(st, self.name, self.old)
        return False


def using_config(name, value, config=config):
    """Context manager that sets a configuration entry temporarily.

    Args:
        name (str): the entry, e.g. ``'train'``.
        value: its value inside the ``with`` block.
        config: the configuration to change (the thread-local :data:`kusari.config`
            by default).

    >>> import kusari
    >>> with kusari.using_config('train', False):
    ...     kusari.config.train
    False
    """
    return _ConfigScope(name, value, config)


def no_backprop_mode():
    """Context manager in which no computational graph is recorded.

    Same as ``using_config('enable_backprop', False)``: functions applied inside the
    block return Variables without a creator, so nothing is kept for backward.
    """
    return _ConfigScope('enable_backprop', False, config)


def force_backprop_mode():
    """Context manager that records the graph even inside :func:`no_backprop_mode`."""
    return _ConfigScope('enable_backprop', True, config)


def _get_function_hooks():
    """The thread-local dict of globally registered function hooks (name -> hook)."""
    return _local_state().function_hooks


# --------------------------------------------------------------------------------------
# Arrays and devices
# --------------------------------------------------------------------------------------

cdef object _ndarray = numpy.ndarray
cdef object _cupy = None
cdef object _cupy_ndarray = None


cdef dict _sys_modules = sys.modules


cdef _load_cupy():
    # Never import CuPy on our own: an array can only be a CuPy array if the user (or
    # kusari.backends.cuda) already imported it.
    global _cupy, _cupy_ndarray
    if _cupy_ndarray is None:
        mod = _sys_modules.get('cupy')
        if mod is not None and hasattr(mod, 'ndarray'):
            _cupy = mod
            _cupy_ndarray = mod.ndarray
    return _cupy


cdef inline bint _is_array(x):
    if isinstance(x, _ndarray):
        return True
    if _cupy_ndarray is None:
        _load_cupy()
        if _cupy_ndarray is None:
            return False
    return isinstance(x, _cupy_ndarray)


def is_array(x):
    """True when ``x`` is a ``numpy.ndarray`` or a ``cupy.ndarray``."""
    return _is_array(x)


cdef inline object _xp_of(x):
    if isinstance(x, _ndarray) or _cupy_ndarray is None:
        return numpy
    if isinstance(x, _cupy_ndarray):
        return _cupy
    return numpy


def get_array_module(*args):
    """Return ``numpy`` or ``cupy``, whichever the arguments' arrays belong to.

    Variables count by their arrays.  Without any CuPy array, returns ``numpy``.
    """
    cdef object a
    if _cupy_ndarray is None:
        _load_cupy()
        if _cupy_ndarray is None:
            return numpy
    for a in args:
        if isinstance(a, Variable):
            a = (<Variable>a)._data
        if isinstance(a, _cupy_ndarray):
            return _cupy
    return numpy


# --------------------------------------------------------------------------------------
# Graph nodes
# --------------------------------------------------------------------------------------

cdef class VariableNode:
    """The node of a :class:`Variable` in the computational graph.

    The graph (function nodes' ``inputs``) holds VariableNodes, not Variables, so that
    dropping a Variable frees its array unless some function retained it.

    Attributes:
        dtype: dtype of the array.
        shape (tuple of ints): shape of the array.
        name (str or None): the variable's name.
        data: the array if it was retained for backward, else ``None``.
        rank (int): 0 for a leaf; the creator's rank plus one otherwise.
        requires_grad (bool): whether gradients flow to this node.
    """

    def __init__(self, variable=None, name=None):
        self.name = name
        self.rank = 0
        self.requires_grad = True
        if variable is not None:
            v = <Variable?>variable
            self.requires_grad = v._node.requires_grad if v._node is not None else True
            self._set_info(v._data)

    cdef _set_info(self, data):
        if data is None:
            self.shape = None
            self.dtype = None
        else:
            self.shape = data.shape
            self.dtype = data.dtype

    @property
    def creator_node(self):
        """The :class:`FunctionNode` that created this node, or ``None`` for a leaf."""
        return self._creator

    @creator_node.setter
    def creator_node(self, func):
        self.set_creator_node(func)

    @property
    def creator(self):
        """The creator; an old-style :class:`Function` if that is what made it."""
        c = self._creator
        if c is None:
            return None
        f = getattr(c, '_function', None)
        return c if f is None else f

    @creator.setter
    def creator(self, func):
        self.set_creator(func)

    def set_creator(self, creator):
        """Set the creator (a FunctionNode, or an old-style Function's node)."""
        if creator is not None and not isinstance(creator, FunctionNode):
            creator = creator.node
        self.set_creator_node(creator)

    def set_creator_node(self, FunctionNode creator_node):
        """Set the creator node and the rank that follows from it."""
        self._creator = creator_node
        if creator_node is not None:
            self.rank = creator_node.rank + 1

    @property
    def grad(self):
        """The gradient array (``None`` if unset)."""
        g = self._grad
        if isinstance(g, Variable):
            return (<Variable>g)._data
        return g

    @grad.setter
    def grad(self, g):
        self._grad = g

    @property
    def grad_var(self):
        """The gradient as a Variable (``None`` if unset)."""
        g = self._grad
        if g is None or isinstance(g, Variable):
            return g
        return _new_variable(g, False)

    @grad_var.setter
    def grad_var(self, g):
        self._grad = g

    @property
    def label(self):
        """A short description: the shape and dtype, as ``(2, 3), float32``."""
        if self.shape is None:
            return 'None'
        if self.shape == ():
            return str(self.dtype)
        return '(%s), %s' % (', '.join(map(str, self.shape)), self.dtype)

    def get_variable(self):
        """A Variable for this node: wraps the retained array (or ``None``)."""
        cdef Variable v = Variable.__new__(Variable)
        v._data = self.data
        v._node = self
        return v

    def get_variable_or_none(self):
        """Same as :meth:`get_variable` (kusari does not keep Variables alive from nodes)."""
        return self.get_variable()

    def retain_data(self, data=None):
        """Keep ``data`` (the array of this node's variable) for backward."""
        self.data = data

    def unchain(self):
        """Forget the creator: this node becomes a leaf."""
        self._creator = None

    def _check_old_style_gradient(self):
        pass

    def __repr__(self):
        return '<kusari.VariableNode %s%s>' % (
            (self.name + ' ') if self.name else '', self.label)


cdef Variable _new_variable(object data, bint requires_grad):
    """Create a leaf Variable without the checks of ``Variable.__init__``."""
    cdef Variable v = Variable.__new__(Variable)
    cdef VariableNode n = VariableNode.__new__(VariableNode)
    v._data = data
    n.requires_grad = requires_grad
    if data is not None:
        n.shape = data.shape
        n.dtype = data.dtype
    v._node = n
    return v


cdef Variable _as_variable(object x):
    if isinstance(x, Variable):
        return <Variable>x
    if not _is_array(x):
        raise TypeError(
            'kusari: expected a Variable, numpy.ndarray or cupy.ndarray, got %s'
            % type(x).__name__)
    return _new_variable(x, False)


def as_variable(obj):
    """Return ``obj`` if it is a Variable, else wrap the array in a Variable.

    An array becomes a Variable with ``requires_grad=False``, so no gradient is kept
    for it.

    >>> import numpy, kusari
    >>> v = kusari.as_variable(numpy.zeros(3, numpy.float32))
    >>> v.requires_grad
    False
    """
    return _as_variable(obj)


def as_array(obj):
    """Return the array of a Variable, or ``obj`` itself if it is already an array."""
    if isinstance(obj, Variable):
        return (<Variable>obj)._data
    return obj


cdef str _type_name(x):
    return type(x).__module__ + '.' + type(x).__name__


cdef _check_grad_against(str who, object data, object g):
    if g is None or data is None:
        return
    if not _is_array(g):
        raise TypeError('%s: a gradient must be an array, got %s' % (who, _type_name(g)))
    if type(g) is not type(data):
        raise TypeError('%s: type of gradient and data mismatch\ngrad: %s != data: %s'
                        % (who, _type_name(g), _type_name(data)))
    if g.dtype != data.dtype:
        raise TypeError('%s: dtype of gradient and data mismatch\ngrad: %s != data: %s'
                        % (who, g.dtype, data.dtype))
    if g.shape != data.shape:
        raise ValueError('%s: shape of gradient and data mismatch\ngrad: %s != data: %s'
                         % (who, g.shape, data.shape))


cdef class Variable:
    """Array with a structure to keep track of computation.

    A Variable holds an array (``numpy.ndarray`` or ``cupy.ndarray``) and its node in
    the computational graph.  Functions applied to Variables record the graph as they
    run; :meth:`backward` walks it back and stores gradients in ``grad``.

    Args:
        data (numpy.ndarray or cupy.ndarray or None): the initial array.
        name (str): an optional name, shown in ``repr`` and graphs.
        grad: an initial gradient array.
        requires_grad (bool): whether to compute this variable's gradient.

    >>> import numpy, kusari
    >>> x = kusari.Variable(numpy.array([1., 2., 3.], numpy.float32))
    >>> y = x * x
    >>> y.grad = numpy.ones(3, numpy.float32)
    >>> y.backward()
    >>> x.grad
    array([2., 4., 6.], dtype=float32)
    """

    # Makes NumPy return NotImplemented from its binary operators, so that
    # ``array + variable`` reaches ``Variable.__radd__``.
    __array_priority__ = 200
    __array_ufunc__ = None

    def __init__(self, data=None, *, name=None, grad=None, requires_grad=True):
        if data is not None and not _is_array(data):
            raise TypeError(
                'kusari.Variable: data must be a numpy.ndarray or cupy.ndarray, got %s'
                % _type_name(data))
        self._data = data
        cdef VariableNode node = VariableNode.__new__(VariableNode)
        node.name = name
        node.requires_grad = requires_grad
        node._set_info(data)
        self._node = node
        if grad is not None:
            self.grad = grad

    # ---- the array and its description ------------------------------------------------

    @property
    def array(self):
        """The underlying array (``numpy.ndarray`` or ``cupy.ndarray``)."""
        return self._data

    @array.setter
    def array(self, d):
        self._set_array(d)

    @property
    def data(self):
        """Same as :attr:`array` (Chainer's older name)."""
        return self._data

    @data.setter
    def data(self, d):
        self._set_array(d)

    def _set_array(self, d):
        if d is not None and not _is_array(d):
            raise TypeError('kusari.Variable: array must be a numpy.ndarray or '
                            'cupy.ndarray, got %s' % _type_name(d))
        self._data = d
        self._node._set_info(d)
        if self._node.data is not None:
            self._node.data = d

    @property
    def node(self):
        """The :class:`VariableNode` of this variable in the graph."""
        return self._node

    @property
    def shape(self):
        """Shape of the array."""
        return self._data.shape

    @property
    def ndim(self):
        """Number of dimensions of the array."""
        return self._data.ndim

    @property
    def size(self):
        """Number of elements of the array."""
        return self._data.size

    @property
    def dtype(self):
        """dtype of the array."""
        return self._data.dtype

    @property
    def name(self):
        """The variable's name (``None`` if unnamed)."""
        return self._node.name

    @name.setter
    def name(self, n):
        self._node.name = n

    @property
    def label(self):
        """Shape and dtype, as ``(2, 3), float32``."""
        return self._node.label

    @property
    def rank(self):
        """0 for a leaf; creator's rank plus one otherwise."""
        return self._node.rank

    @property
    def requires_grad(self):
        """Whether backward computes a gradient for this variable."""
        return self._node.requires_grad

    @property
    def xp(self):
        """``numpy`` or ``cupy``: the array module of :attr:`array`."""
        if self._data is None:
            return numpy
        return _xp_of(self._data)

    @property
    def device(self):
        """The device of the array (:class:`kusari.backend.CpuDevice` or ``GpuDevice``)."""
        from kusari import backend
        if self._data is None:
            return backend.CpuDevice()
        return backend.get_device_from_array(self._data)

    # ---- graph ----------------------------------------------------------------------

    @property
    def creator(self):
        """The function that created this variable (an old-style Function if so)."""
        return self._node.creator

    @creator.setter
    def creator(self, func):
        self._node.set_creator(func)

    @property
    def creator_node(self):
        """The :class:`FunctionNode` that created this variable, or ``None``."""
        return self._node._creator

    @creator_node.setter
    def creator_node(self, func):
        self._node.set_creator_node(func)

    def set_creator(self, func):
        """Make ``func`` the creator of this variable."""
        self._node.set_creator(func)

    def set_creator_node(self, fnode):
        """Make ``fnode`` (a FunctionNode) the creator of this variable."""
        self._node.set_creator_node(fnode)

    def retain_data(self):
        """Keep this variable's array in its node (so backward can use it)."""
        self._node.data = self._data

    def unchain(self):
        """Delete the reference to the creator: this variable becomes a leaf."""
        self._node._creator = None

    def unchain_backward(self):
        """Delete every reference backward from this variable.

        Walks the graph from this variable and unchains each function node on the
        way, so the whole history can be freed.  Used for truncated backpropagation.
        """
        cdef FunctionNode f
        cdef VariableNode x
        cdef list stack = []
        cdef set seen = set()
        if self._node._creator is not None:
            stack.append(self._node._creator)
            seen.add(self._node._creator)
        while stack:
            f = <FunctionNode>stack.pop()
            if f.inputs is not None:
                for x in f.inputs:
                    if x._creator is not None and x._creator not in seen:
                        seen.add(x._creator)
                        stack.append(x._creator)
            f.unchain()

    # ---- gradients ------------------------------------------------------------------

    @property
    def grad(self):
        """The gradient array, or ``None``."""
        g = self._node._grad
        if isinstance(g, Variable):
            return (<Variable>g)._data
        return g

    @grad.setter
    def grad(self, g):
        if isinstance(g, Variable):
            raise TypeError('kusari.Variable.grad: assign an array (use grad_var to '
                            'assign a Variable)')
        _check_grad_against('kusari.Variable.grad', self._data, g)
        self._node._grad = g

    @property
    def grad_var(self):
        """The gradient as a Variable (it carries a graph after double backprop)."""
        g = self._node._grad
        if g is None or isinstance(g, Variable):
            return g
        v = _new_variable(g, True)    # as Chainer's grad setter makes it
        self._node._grad = v
        return v

    @grad_var.setter
    def grad_var(self, g):
        if g is not None:
            if not isinstance(g, Variable):
                raise TypeError('kusari.Variable.grad_var: expected a Variable or None, '
                                'got %s' % _type_name(g))
            _check_grad_against('kusari.Variable.grad_var', self._data,
                                (<Variable>g)._data)
        self._node._grad = g

    property _loss_scale:
        def __get__(self):
            return self._node._loss_scale

        def __set__(self, v):
            self._node._loss_scale = v

    def cleargrad(self):
        """Set the gradient to ``None`` (the way to clear it before a new backward)."""
        self._node._grad = None

    def zerograd(self):
        """Fill the gradient with zeros (allocating it if needed).

        Deprecated as in Chainer: use :meth:`cleargrad`.
        """
        warnings.warn('Variable.zerograd is deprecated. Use Variable.cleargrad '
                      'instead.', DeprecationWarning, stacklevel=1)
        if self._data is None:
            return   # an uninitialized parameter: Parameter.zerograd handles it
        g = self.grad
        if g is None:
            xp = self.xp
            self._node._grad = xp.zeros_like(self._data)
        else:
            if isinstance(self._node._grad, Variable):
                (<Variable>self._node._grad).unchain()
            g.fill(0)

    def addgrad(self, var):
        """Add ``var``'s gradient to this variable's, moving it to this device first."""
        src = (<Variable?>var).grad
        if src is None:
            return
        dst_device = self.device
        src = dst_device.send(src)
        g = self.grad
        if g is None:
            self._node._grad = src.copy()
        else:
            self._node._grad = g + src

    def copydata(self, var):
        """Copy ``var``'s array into this variable's array in place (across devices)."""
        src = (<Variable?>var)._data
        dst = self._data
        if src is None:
            # Chainer: an uninitialized source parameter is initialized to our shape
            if dst is None:
                return
            var.initialize(dst.shape)
            src = (<Variable>var)._data
        elif dst is None:
            if hasattr(self, 'initialize'):     # a Parameter: its initializer's dtype
                self.initialize(src.shape)
                dst = self._data
            else:
                self._set_array(src.copy())
                return
        src = self.device.send(src)
        self.xp.copyto(dst, src)

    def backward(self, retain_grad=False, enable_double_backprop=False,
                 loss_scale=None):
        """Compute gradients of this variable with respect to the graph's leaves.

        Walks the graph back from this variable and accumulates gradients into the
        ``grad`` of every leaf variable that requires one (so call ``cleargrads``
        between iterations).  If this variable has one element and no gradient,
        its gradient starts at 1.

        Args:
            retain_grad (bool): keep the gradients of intermediate variables too.
            enable_double_backprop (bool): record the graph of the backward computation
                itself, so the gradients can be differentiated again.
            loss_scale (float): multiply the initial gradient by this factor; update
                rules divide it out before updating parameters.
        """
        if self._node._creator is None:
            return
        if self._data is None:
            raise RuntimeError('kusari.Variable.backward: this variable holds no array')
        g = self._node._grad
        if g is None:
            if self._data.size != 1:
                raise RuntimeError(
                    'kusari.Variable.backward: the variable has shape %s (%d elements), '
                    'so its initial gradient cannot be inferred; set its grad to an '
                    'array of that shape first (only a variable of one element starts '
                    'from a gradient of 1)' % (self._data.shape, self._data.size))
            if self._data.ndim != 0:
                warnings.warn(
                    'kusari.Variable.backward: treating a variable of one element but '
                    'shape %s as a scalar; use a 0-dimensional loss'
                    % (self._data.shape,), DeprecationWarning,
                    # a Cython method has no Python frame of its own: level 1 is the
                    # caller's line (so Python shows it by default when that is __main__)
                    stacklevel=1)
            g = _xp_of(self._data).ones_like(self._data)
            if loss_scale is not None:
                g *= loss_scale
            self._node._grad = g
        elif loss_scale is not None:
            if isinstance(g, Variable):
                g = (<Variable>g)._data
            self._node._grad = g = g * loss_scale
        _run_backward([self], [self._node._grad], None, bool(retain_grad),
                      bool(enable_double_backprop), loss_scale, True)
        if not retain_grad:
            # the initial gradient is consumed (Chainer >= 6)
            self._node._grad = None

    # ---- array-like behaviour -------------------------------------------------------

    def reshape(self, *shape):
        """Reshape (``kusari.functions.reshape``); shape as ints or one tuple."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return Reshape(shape).apply((self,))[0]

    def transpose(self, *axes):
        """Permute the axes (``kusari.functions.transpose``); reverses them by default."""
        if len(axes) == 0:
            axes = None
        elif len(axes) == 1 and (isinstance(axes[0], (tuple, list)) or axes[0] is None):
            axes = axes[0]
        return Transpose(axes).apply((self,))[0]

    @property
    def T(self):
        """The transposed variable (axes reversed)."""
        return Transpose(None).apply((self,))[0]

    def item(self):
        """The single element of the array as a Python scalar."""
        if self._data.size != 1:
            raise ValueError('kusari.Variable.item: only a variable of one element can '
                             'be converted to a Python scalar, got shape %s'
                             % (self._data.shape,))
        return self._data.item()

    def __len__(self):
        if self._data is None or self._data.ndim == 0:
            raise TypeError('len() of an unsized variable')
        return self._data.shape[0]

    def __getitem__(self, slices):
        if type(slices) is int and self._data is not None and self._data.ndim:
            # Python's iteration protocol stops at the IndexError (as Chainer's does)
            n = self._data.shape[0]
            if slices >= n or slices < -n:
                raise IndexError('index %d is out of bounds for axis 0 with size %d'
                                 % (slices, n))
        return get_item(self, slices)

    def summary(self):
        """Name, shape, dtype and device in one line."""
        return '<variable %s%s>' % ((self.name + ' ') if self.name else '', self.label)

    def debug_print(self):
        """A multi-line description: name, shape, dtype, statistics and gradient."""
        lines = [self.summary()]
        d = self._data
        if d is not None and d.size:
            lines.append('- device: %s' % (self.device,))
            lines.append('- statistics: mean=%.8f, std=%.8f' % (float(d.mean()),
                                                                 float(d.std())))
        lines.append('- grad: %s' % ('None' if self.grad is None else
                                     'mean=%.8f, std=%.8f' % (float(self.grad.mean()),
                                                              float(self.grad.std()))))
        return '\n'.join(lines)

    def __repr__(self):
        return _variable_repr(self, ', ')

    def __str__(self):
        return _variable_repr(self, ' ')

    # ---- devices --------------------------------------------------------------------

    def to_cpu(self):
        """Move the array and gradient to the host (NumPy), in place."""
        from kusari import backend
        self._to(backend.CpuDevice())

    def to_gpu(self, device=None):
        """Move the array and gradient to a GPU (CuPy), in place."""
        from kusari import backend
        from kusari.backends import cuda
        if device is None:
            dev = backend.GpuDevice(cuda.require_cupy('Variable.to_gpu').cuda.Device())
        elif isinstance(device, int):
            dev = backend.GpuDevice.from_device_id(device)
        else:
            dev = backend.get_device(device)
        self._to(dev)

    def to_device(self, device):
        """Move the array and gradient to ``device`` (e.g. ``'@numpy'``, ``'@cupy:0'``)."""
        from kusari import backend
        self._to(backend.get_device(device))

    def _to(self, device):
        if self._data is not None:
            d = device.send(self._data)
            self._data = d
            if self._node.data is not None:
                self._node.data = d
        g = self._node._grad
        if g is not None:
            if isinstance(g, Variable):
                (<Variable>g)._to(device)
            else:
                self._node._grad = device.send(g)

    # ---- operators ------------------------------------------------------------------

    def __neg__(self):
        return Neg().apply((self,))[0]

    def __abs__(self):
        return Absolute().apply((self,))[0]

    def __pos__(self):
        return self

    def __add__(self, other):
        return _add(self, other)

    def __radd__(self, other):
        return _add(self, other)

    def __sub__(self, other):
        return _sub(self, other)

    def __rsub__(self, other):
        return _rsub(self, other)

    def __mul__(self, other):
        return _mul(self, other)

    def __rmul__(self, other):
        return _mul(self, other)

    def __truediv__(self, other):
        return _div(self, other)

    def __rtruediv__(self, other):
        return _rdiv(self, other)

    def __pow__(self, other, modulo):
        return _pow(self, other)

    def __rpow__(self, other, modulo):
        return _rpow(self, other)

    def __matmul__(self, other):
        return _matmul(self, other)

    def __rmatmul__(self, other):
        return _rmatmul(self, other)

    def __floordiv__(self, other):
        # Chainer: floor(self / other), which has no gradient
        return _functions('//').floor(_div(self, other))

    def __rfloordiv__(self, other):
        return _functions('//').floor(_rdiv(self, other))

    def mean(self, axis=None, *, weights=None, keepdims=False):
        """The (weighted) mean along ``axis`` (``kusari.functions.average``).

        Needs kusari-functions.

        Args:
            axis (None, int or tuple of int): the axes to average over; all if None.
            weights (Variable or array): weights of the entries along ``axis``.
            keepdims (bool): keep the averaged axes with length one.
        """
        return _functions('mean').average(self, axis=axis, weights=weights,
                                          keepdims=keepdims)

    def __eq__(self, other):
        raise _NoTruthOrOrder('kusari.Variable does not support ==; compare .array')

    def __ne__(self, other):
        raise _NoTruthOrOrder('kusari.Variable does not support !=; compare .array')

    def __lt__(self, other):
        raise _NoTruthOrOrder('kusari.Variable does not support <; compare .array')

    def __le__(self, other):
        raise _NoTruthOrOrder('kusari.Variable does not support <=; compare .array')

    def __gt__(self, other):
        raise _NoTruthOrOrder('kusari.Variable does not support >; compare .array')

    def __ge__(self, other):
        raise _NoTruthOrOrder('kusari.Variable does not support >=; compare .array')

    def __hash__(self):
        return id(self) >> 4

    def __bool__(self):
        raise _NoTruthOrOrder(
            'kusari.Variable has no truth value; use .array or .item()')

    def __copy__(self):
        return self._copy_to(Variable.__new__(type(self)), False)

    def __deepcopy__(self, memo):
        return self._copy_to(Variable.__new__(type(self)), True, memo)

    def _copy_to(self, Variable v, bint deep, memo=None):
        import copy
        cdef VariableNode n = VariableNode.__new__(VariableNode)
        n.name = self._node.name
        n.requires_grad = self._node.requires_grad
        n.shape = self._node.shape
        n.dtype = self._node.dtype
        g = self.grad
        if deep:
            v._data = copy.deepcopy(self._data, memo)
            n._grad = copy.deepcopy(g, memo)
        else:
            v._data = self._data
            n._grad = g
            n._creator = self._node._creator
            n.rank = self._node.rank
        v._node = n
        d = getattr(self, '__dict__', None)
        if d:
            if deep:
                v.__dict__.update(copy.deepcopy(d, memo))
            else:
                v.__dict__.update(d)
        return v

    def __reduce__(self):
        # Pickling keeps the array, the name and the gradient; the graph is dropped.
        return (_rebuild_variable, (type(self), self._data, self.name, self.grad,
                                    self.requires_grad, getattr(self, '__dict__', None)))


def _rebuild_variable(cls, data, name, grad, requires_grad, state):
    cdef Variable v = Variable.__new__(cls)
    cdef VariableNode n = VariableNode.__new__(VariableNode)
    v._data = data
    n.name = name
    n.requires_grad = requires_grad
    n._set_info(data)
    n._grad = grad
    v._node = n
    if state:
        v.__dict__.update(state)
    return v


cdef str _variable_repr(Variable var, str sep):
    prefix = 'variable' if not var.name else 'variable ' + var.name
    arr = var._data
    if arr is None:
        body = 'None'
    else:
        if not isinstance(arr, _ndarray):
            arr = arr.get()
        if arr.size > 0 or arr.shape == (0,):
            body = numpy.array2string(arr, None, None, None, sep, prefix + '(')
        else:
            body = '[], shape=%s' % (repr(arr.shape),)
    return '%s(%s)' % (prefix, body)


# --------------------------------------------------------------------------------------
# FunctionNode
# --------------------------------------------------------------------------------------

cdef dict _backward_array_cache = {}
cdef dict _type_check_cache = {}


cdef bint _defines_backward_array(FunctionNode f):
    t = type(f)
    r = _backward_array_cache.get(t)
    if r is None:
        r = getattr(t, 'backward_array', None) is not None
        # A subclass that overrides backward() but inherits backward_array() from a
        # base would get its parent's gradient: only trust backward_array when it is
        # defined at least as deep in the hierarchy as backward().
        if r:
            for klass in t.__mro__:
                d = klass.__dict__
                if 'backward_array' in d:
                    r = d['backward_array'] is not None
                    break
                if 'backward' in d or 'backward_accumulate' in d:
                    r = False
                    break
        _backward_array_cache[t] = r
    return r


cdef dict _backward_accumulate_cache = {}
cdef object _PER_INSTANCE = object()


cdef bint _overrides_backward_accumulate(FunctionNode f):
    # Chainer calls backward_accumulate instead of backward when a class defines it
    t = type(f)
    r = _backward_accumulate_cache.get(t)
    if r is None:
        r = getattr(t, 'backward_accumulate') is not FunctionNode.backward_accumulate
        _backward_accumulate_cache[t] = r
    return r


cdef bint _overrides_check_type(FunctionNode f):
    t = type(f)
    r = _type_check_cache.get(t)
    if r is None:
        if getattr(t, 'check_type_forward') is not FunctionNode.check_type_forward:
            r = True
        elif getattr(t, '__dictoffset__', 0):
            r = _PER_INSTANCE   # instances have a __dict__: one may set the check
        else:
            r = False
        _type_check_cache[t] = r
    if r is True:
        return True
    if r is False:
        return False
    return 'check_type_forward' in getattr(f, '__dict__')


cdef class FunctionNode:
    """Function node of the computational graph (Chainer's new-style function).

    A subclass implements ``forward`` (arrays in, a tuple of arrays out; or
    ``forward_cpu``/``forward_gpu``) and ``backward`` (Variables in, Variables out, so
    that gradients of gradients work).  :meth:`apply` runs it on Variables and records
    the graph.  Optionally ``backward_array`` computes the same gradients on arrays;
    the engine prefers it whenever double backprop is off.

    Attributes:
        inputs (tuple of VariableNode): input nodes, set by :meth:`apply`.
        outputs (tuple of weakref): weak references to the output nodes.
        rank (int): the maximum rank of the inputs.
        stack: the call stack at :meth:`apply` when ``config.debug`` is on.
    """

    def __cinit__(self, *args, **kwargs):
        self.rank = 0
        self._input_indexes_to_retain = None
        self._output_indexes_to_retain = None

    @property
    def label(self):
        """A short name of the function: its class name by default."""
        return type(self).__name__

    @property
    def local_function_hooks(self):
        """Ordered dict of hooks registered only on this function node."""
        if self._local_function_hooks is None:
            self._local_function_hooks = {}
        return self._local_function_hooks

    @property
    def _n_local_function_hooks(self):
        return 0 if not self._local_function_hooks else len(self._local_function_hooks)

    def add_hook(self, hook, name=None):
        """Register a :class:`~kusari.FunctionHook` on this function node only."""
        name = hook.name if name is None else name
        if name in self.local_function_hooks:
            raise KeyError('hook %s already exists' % name)
        self.local_function_hooks[name] = hook
        hook.added(self)

    def delete_hook(self, name):
        """Unregister a local hook by name."""
        hook = self.local_function_hooks.pop(name)
        hook.deleted(self)

    # ---- what subclasses implement ----------------------------------------------------

    def check_type_forward(self, in_types):
        """Check the inputs' types (override; ``in_types`` as :mod:`kusari.utils.type_check`)."""
        pass

    cpdef tuple forward(self, tuple inputs):
        """Compute the outputs from input arrays; dispatches to forward_cpu/forward_gpu."""
        if inputs and not isinstance(inputs[0], _ndarray) and _is_array(inputs[0]):
            return self.forward_gpu(inputs)
        for x in inputs:
            if x is not None and not isinstance(x, _ndarray) and _is_array(x):
                return self.forward_gpu(inputs)
        return self.forward_cpu(inputs)

    def forward_cpu(self, inputs):
        """Compute the outputs from NumPy arrays (override)."""
        raise NotImplementedError('%s does not implement forward' % self.label)

    def forward_gpu(self, inputs):
        """Compute the outputs from CuPy arrays (override)."""
        raise NotImplementedError('%s does not implement forward for GPU arrays'
                                  % self.label)

    def backward(self, target_input_indexes, grad_outputs):
        """Gradients of the inputs (Variables) from those of the outputs (override).

        Args:
            target_input_indexes (tuple of int): which inputs need a gradient.
            grad_outputs (tuple of Variable or None): one per output; ``None`` where an
                output got no gradient.

        Returns:
            A tuple of Variables (or ``None``): either one per input, or one per
            entry of ``target_input_indexes``.
        """
        raise NotImplementedError('%s does not implement backward' % self.label)

    backward_array = None

    def backward_accumulate(self, target_input_indexes, grad_outputs, grad_inputs):
        """Gradients of the inputs added to ``grad_inputs`` (Chainer's extension point)."""
        gxs = self.backward(target_input_indexes, grad_outputs)
        gxs = _select_targets(self, gxs, target_input_indexes)
        out = []
        for gx, g_in in zip(gxs, grad_inputs):
            if g_in is None:
                out.append(gx)
            elif gx is None:
                out.append(g_in)
            else:
                out.append(gx + g_in)
        return tuple(out)

    # ---- retention --------------------------------------------------------------------

    def retain_inputs(self, indexes):
        """Keep the input arrays at ``indexes`` for backward (call inside forward)."""
        self._input_indexes_to_retain = tuple(indexes)

    def retain_outputs(self, indexes):
        """Keep the output arrays at ``indexes`` for backward (call inside forward)."""
        self._output_indexes_to_retain = tuple(indexes)

    def get_retained_inputs(self):
        """The retained inputs as Variables, in the order given to :meth:`retain_inputs`."""
        cdef VariableNode node
        if self._input_indexes_to_retain is None:
            raise RuntimeError(
                '%s: get_retained_inputs() was called, but forward() retained no input '
                '(call self.retain_inputs(...) in forward)' % self.label)
        if self.inputs is None:
            raise RuntimeError('%s: the function node was unchained, so its retained '
                               'inputs are gone' % self.label)
        ret = []
        for i in self._input_indexes_to_retain:
            node = <VariableNode>self.inputs[i]
            if node.data is None:
                raise RuntimeError('%s: input %d was not retained (or was freed)'
                                   % (self.label, i))
            ret.append(node.get_variable())
        return tuple(ret)

    def get_retained_outputs(self):
        """The retained outputs as Variables connected to this node's outputs."""
        cdef VariableNode node
        cdef Variable v
        if self._output_indexes_to_retain is None or self._retained_output_data is None:
            raise RuntimeError(
                '%s: get_retained_outputs() was called, but forward() retained no '
                'output (call self.retain_outputs(...) in forward)' % self.label)
        ret = []
        outputs = list(self.outputs) if self.outputs is not None else None
        for k, i in enumerate(self._output_indexes_to_retain):
            data = self._retained_output_data[k]
            node = None
            if outputs is not None:
                node = outputs[i]()
            if node is None:
                # The output node is gone: make a fresh one that still has this
                # function as creator, so that double backprop reaches it.
                node = VariableNode.__new__(VariableNode)
                node.requires_grad = True
                node._set_info(data)
                node._creator = self
                node.rank = self.rank + 1
                if outputs is not None:
                    outputs[i] = weakref.ref(node)
            v = Variable.__new__(Variable)
            v._data = data
            v._node = node
            ret.append(v)
        if outputs is not None:
            self.outputs = tuple(outputs)
        return tuple(ret)

    def get_retained_input_arrays(self):
        """The retained input arrays (what :meth:`get_retained_inputs` wraps)."""
        return tuple(v.array for v in self.get_retained_inputs())

    def get_retained_output_arrays(self):
        """The retained output arrays, without creating Variables."""
        if self._retained_output_data is None:
            raise RuntimeError(
                '%s: no output was retained (call self.retain_outputs(...) in forward)'
                % self.label)
        return self._retained_output_data

    def output_data(self):
        return self._retained_output_data

    def __reduce__(self):
        # Copying or pickling a function node (a link may hold one) keeps its
        # attributes and drops its place in a graph.
        state = getattr(self, '__dict__', None)
        return (_rebuild_function_node, (type(self),), dict(state) if state else None)

    # ---- graph ----------------------------------------------------------------------

    def unchain(self):
        """Purge this node from the graph: outputs lose their creator, inputs are dropped."""
        cdef VariableNode y
        if self.outputs is not None:
            for ref in self.outputs:
                y = ref()
                if y is not None:
                    y._creator = None
        self.inputs = None
        self._retained_output_data = None

    # ---- apply ----------------------------------------------------------------------

    cpdef tuple apply(self, inputs):
        """Apply the function to Variables or arrays and return a tuple of Variables.

        Runs :meth:`forward` on the arrays and, when backprop is enabled and any input
        requires a gradient, records this node in the graph.
        """
        cdef Py_ssize_t i, n = len(inputs)
        if n == 1:
            return self._apply_vars((_as_variable(inputs[0]),))
        cdef list in_vars = [None] * n
        for i in range(n):
            in_vars[i] = _as_variable(inputs[i])
        return self._apply_vars(tuple(in_vars))

    cdef tuple _apply_vars(self, tuple in_vars):
        cdef Py_ssize_t i, n = len(in_vars)
        cdef Variable v
        cdef VariableNode node
        cdef bint requires_grad = False
        cdef int rank = 0
        cdef list in_data_l
        cdef tuple in_data
        if n == 1:
            # the common case, without the intermediate list
            v = <Variable>in_vars[0]
            node = v._node
            requires_grad = node.requires_grad
            rank = node.rank
            in_data = (v._data,)
        else:
            in_data_l = [None] * n
            for i in range(n):
                v = <Variable>in_vars[i]
                in_data_l[i] = v._data
                node = v._node
                if node.requires_grad:
                    requires_grad = True
                if node.rank > rank:
                    rank = node.rank
            in_data = tuple(in_data_l)
        cdef _ConfigState st = _local_state()
        cdef bint type_check = st.type_check if st.type_check != _UNSET \
            else _global_state.type_check
        if type_check and _overrides_check_type(self):
            _run_type_check(self, in_data)
        hooks = st.function_hooks
        if hooks or self._local_function_hooks:
            hooks = _collect_hooks(self, st)
            for hook in hooks:
                hook.forward_preprocess(self, in_data)
        else:
            hooks = None
        cdef bint debug = st.debug if st.debug != _UNSET else _global_state.debug
        if debug:
            import traceback
            self.stack = traceback.extract_stack()
        outputs = self.forward(in_data)
        if type(outputs) is not tuple:
            raise TypeError('%s.forward output must be a tuple of ndarrays, got %s'
                            % (type(self).__name__, _type_name(outputs)))
        if debug:
            _check_nan(outputs, 'forward')
        if hooks:
            for hook in hooks:
                hook.forward_postprocess(self, in_data)
        cdef bint backprop = st.enable_backprop if st.enable_backprop != _UNSET \
            else _global_state.enable_backprop
        cdef Py_ssize_t n_out = len(outputs)
        for i in range(n_out):
            out = outputs[i]
            if type(out) is not _ndarray and out is not None:
                outputs = _coerce_outputs(self, outputs)
                break
        cdef list ret = [None] * n_out
        cdef list refs
        cdef Variable y
        cdef VariableNode ynode
        if backprop and requires_grad:
            self.rank = rank
            if n == 1:
                node_list = ((<Variable>in_vars[0])._node,)
            else:
                node_list = [None] * n
                for i in range(n):
                    node_list[i] = (<Variable>in_vars[i])._node
            self.inputs = tuple(node_list)
            refs = [None] * n_out
            for i in range(n_out):
                out = outputs[i]
                y = Variable.__new__(Variable)
                y._data = out
                ynode = VariableNode.__new__(VariableNode)
                ynode.requires_grad = True
                if out is not None:
                    ynode.shape = out.shape
                    ynode.dtype = out.dtype
                ynode._creator = self
                ynode.rank = rank + 1
                y._node = ynode
                ret[i] = y
                refs[i] = PyWeakref_NewRef(ynode, None)
            self.outputs = tuple(refs)
            if self._input_indexes_to_retain is not None:
                for i in self._input_indexes_to_retain:
                    (<VariableNode>node_list[i]).data = in_data[i]
            if self._output_indexes_to_retain is not None:
                self._retained_output_data = tuple(
                    [outputs[i] for i in self._output_indexes_to_retain])
        else:
            for i in range(n_out):
                ret[i] = _new_variable(outputs[i], requires_grad)
        return tuple(ret)


def _rebuild_function_node(cls):
    return cls.__new__(cls)


cdef tuple _coerce_outputs(FunctionNode f, tuple outputs):
    # NumPy returns scalars from operations on 0-d arrays; the graph needs arrays.
    ret = []
    for out in outputs:
        if isinstance(out, numpy.generic):
            out = numpy.asarray(out)
        elif out is not None and not _is_array(out):
            raise TypeError('%s.forward output must be a tuple of ndarrays, got %s'
                            % (type(f).__name__, _type_name(out)))
        ret.append(out)
    return tuple(ret)


cdef _check_nan(tuple arrays, str where):
    # config.debug: Chainer's NaN detection on forward and backward results
    for a in arrays:
        if isinstance(a, Variable):
            a = (<Variable>a)._data
        if a is not None and _is_array(a) and a.dtype.kind == 'f' and \
                bool(_xp_of(a).isnan(a).any()):
            raise RuntimeError('NaN is detected on %s computation' % where)


cdef _run_type_check(FunctionNode f, tuple in_data):
    from kusari.utils import type_check
    in_types = type_check.get_types(in_data, 'in_types', False)
    try:
        f.check_type_forward(in_types)
    except type_check.InvalidType as e:
        msg = ('Invalid operation is performed in: {0} (Forward)\n\n{1}'
               .format(f.label, str(e)))
        raise type_check.InvalidType(e.expect, e.actual, msg=msg) from None


cdef list _collect_hooks(FunctionNode f, _ConfigState st):
    hooks = list(st.function_hooks.values())
    if f._local_function_hooks:
        hooks.extend(f._local_function_hooks.values())
    return hooks


cdef tuple _select_targets(FunctionNode f, gxs, tuple targets):
    if gxs is None:
        raise TypeError('%s.backward returned None; return a tuple' % f.label)
    if type(gxs) is not tuple:
        if isinstance(gxs, list):
            gxs = tuple(gxs)
        elif isinstance(gxs, Variable) or _is_array(gxs):
            gxs = (gxs,)
        else:
            raise TypeError('%s.backward must return a tuple, got %s'
                            % (f.label, _type_name(gxs)))
    cdef Py_ssize_t n_in = len(f.inputs)
    cdef Py_ssize_t n_t = len(targets)
    if len(gxs) == n_t:
        return gxs
    if len(gxs) == n_in:
        return tuple([gxs[i] for i in targets])
    raise ValueError('%s.backward returned %d gradients for %d inputs (%d requested): '
                     'number of gradients returned from backward is incorrect'
                     % (f.label, len(gxs), n_in, n_t))


# --------------------------------------------------------------------------------------
# Deferred leaf gradients
# --------------------------------------------------------------------------------------

cdef class DeferredGrad:
    """A gradient that ``backward_array`` hands to the engine unevaluated.

    A recurrent network applies the same parameter at every step, so the parameter's
    gradient is a sum of many small terms (``gy_t^T x_t`` for a weight matrix).
    Evaluating the whole sum at once -- one large GEMM instead of many small ones,
    and no per-step accumulation -- is several times cheaper.  A node's
    ``backward_array`` may therefore return a ``DeferredGrad`` for input ``i`` when
    :func:`defers_grad` is true for ``self.inputs[i]``; the engine then collects the
    terms of that leaf and, once every node has run, adds up the terms of each
    subclass with ``type(term).combine(terms)``.  Anywhere else the engine calls
    :meth:`materialize`.  Subclasses set ``shape`` and ``dtype`` (of the gradient)
    through ``DeferredGrad.__init__``.

    The terms keep their operands alive until the end of ``backward``.
    """

    def __init__(self, shape, dtype):
        self.shape = tuple(shape)
        self.dtype = numpy.dtype(dtype)

    def materialize(self):
        """The gradient as an array."""
        raise NotImplementedError

    @classmethod
    def combine(cls, terms):
        """The sum of ``terms`` (a list of instances of ``cls``) as one array."""
        g = None
        for t in terms:
            v = t.materialize()
            if g is None:
                g = v.copy() if len(terms) > 1 else v
            else:
                g += v
        return g


cdef Py_ssize_t _COMBINE_CHUNK_BYTES = 32 << 20


def _set_combine_chunk_bytes(Py_ssize_t n):
    """Set the operand bytes per GEMM of :meth:`MatMulTGrad.combine`; returns the old
    value (for tests)."""
    global _COMBINE_CHUNK_BYTES
    old = _COMBINE_CHUNK_BYTES
    _COMBINE_CHUNK_BYTES = n
    return old


cdef class MatMulTGrad(DeferredGrad):
    """The deferred gradient ``a.T @ b`` (cast to ``dtype``) for ``a`` (K, M) and
    ``b`` (K, N): the weight gradient of a linear map.  Terms combine by stacking
    their rows, i.e. one GEMM over all of them (in chunks of at most 32 MiB of
    operands, to bound the temporary copy)."""

    cdef readonly object a
    cdef readonly object b

    def __init__(self, a, b, dtype):
        self.a = a
        self.b = b
        self.shape = (a.shape[1], b.shape[1])
        self.dtype = numpy.dtype(dtype)

    def materialize(self):
        g = self.a.T @ self.b
        if g.dtype != self.dtype:
            g = g.astype(self.dtype)
        return g

    @classmethod
    def combine(cls, terms):
        cdef Py_ssize_t i = 0, j, n = len(terms), nbytes
        cdef MatMulTGrad t
        if n == 1:
            return (<MatMulTGrad>terms[0]).materialize()
        t = <MatMulTGrad>terms[0]
        xp = _xp_of(t.a)
        out = None
        while i < n:
            nbytes = 0
            j = i
            while j < n:
                t = <MatMulTGrad>terms[j]
                if j > i and nbytes + t.a.nbytes + t.b.nbytes > _COMBINE_CHUNK_BYTES:
                    break
                nbytes += t.a.nbytes + t.b.nbytes
                j += 1
            if j - i == 1:
                t = <MatMulTGrad>terms[i]
                part = t.a.T @ t.b
            elif xp is numpy:
                # stacked operands in reused buffers: fresh multi-MB arrays would
                # cost a page fault per 4 KiB at every step
                a = _stack_rows([(<MatMulTGrad>terms[k]).a for k in range(i, j)])
                b = _stack_rows([(<MatMulTGrad>terms[k]).b for k in range(i, j)])
                part = numpy.matmul(a.T, b, out=_workspace.empty(
                    (a.shape[1], b.shape[1]), numpy.result_type(a, b)))
                a = b = None
            else:
                a = xp.concatenate([(<MatMulTGrad>terms[k]).a for k in range(i, j)])
                b = xp.concatenate([(<MatMulTGrad>terms[k]).b for k in range(i, j)])
                part = a.T @ b
                a = b = None
            if out is None:
                out = part
            else:
                out += part
            i = j
        dtype = (<MatMulTGrad>terms[0]).dtype
        if out.dtype != dtype:
            out = out.astype(dtype)
        return out


cdef object _stack_rows(list arrays):
    # numpy.concatenate(arrays) into a pooled buffer
    cdef Py_ssize_t rows = 0
    for a in arrays:
        rows += a.shape[0]
    first = arrays[0]
    out = _workspace.empty((rows, first.shape[1]), numpy.result_type(*arrays))
    numpy.concatenate(arrays, out=out)
    return out


cpdef bint defers_grad(VariableNode x):
    """True when the running ``backward`` accepts a :class:`DeferredGrad` for ``x``
    (plain ``backward`` without double backprop, and ``x`` a leaf)."""
    return x._creator is None and _local_state().defer_leaf_grads


cdef object _combine_deferred(list terms):
    cdef object cls = type(terms[0])
    cdef list same = [t for t in terms if type(t) is cls]
    g = cls.combine(same)
    if len(same) < len(terms):
        rest = _combine_deferred([t for t in terms if type(t) is not cls])
        g = g + rest
    return g


# --------------------------------------------------------------------------------------
# The backward engine
# --------------------------------------------------------------------------------------

cdef inline object _grad_add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a + b


cdef _check_gx(FunctionNode f, VariableNode x, gx):
    # Cheap structural check of a returned gradient against its input node.
    cdef object data = (<Variable>gx)._data if isinstance(gx, Variable) else gx
    if data is None:
        return
    if isinstance(data, DeferredGrad):
        pass
    elif not _is_array(data):
        raise TypeError('%s.backward returned %s for an input; expected a Variable, an '
                        'array or None' % (f.label, _type_name(data)))
    if x.shape is not None and data.shape != x.shape:
        raise ValueError('%s.backward: shape of gradient and input mismatch (shape of '
                         'gradients returned from backward is incorrect)\n'
                         'grad: %s != input: %s' % (f.label, data.shape, x.shape))
    dt = data.dtype
    if x.dtype is not None and dt is not x.dtype and dt != x.dtype:
        raise _GradDtypeError('%s.backward: dtype of gradient and input mismatch '
                              '(dtype of gradients returned from backward is '
                              'incorrect)\ngrad: %s != input: %s'
                              % (f.label, dt, x.dtype))


class _GradDtypeError(TypeError, ValueError):
    """A gradient of the wrong dtype: kusari has raised TypeError, Chainer raises
    ValueError; this is both."""


cdef tuple _call_backward_accumulate(FunctionNode f, tuple targets, tuple gys,
                                     dict grads, dict owned, bint double_bp):
    # Chainer's protocol: the gradients accumulated so far for the target inputs are
    # handed to the function, whose results replace them.  (A leaf's earlier ``grad``
    # is added afterwards, as for every function.)
    cdef list g_ins = []
    for i in targets:
        x = f.inputs[i]
        g = grads.pop(x, None)
        if g is not None:
            owned.pop(id(g), None)
            if not isinstance(g, Variable):
                g = _new_variable(g, False)
        g_ins.append(g)
    gys_v = tuple([None if g is None or isinstance(g, Variable)
                   else _new_variable(g, False) for g in gys])
    gxs = f.backward_accumulate(targets, gys_v, tuple(g_ins))
    if isinstance(gxs, list):
        gxs = tuple(gxs)
    if type(gxs) is not tuple:
        raise TypeError('%s.backward_accumulate must return a tuple, got %s'
                        % (f.label, _type_name(gxs)))
    if len(gxs) != len(targets):
        raise ValueError('%s.backward_accumulate: number of gradients returned from '
                         'backward is incorrect: %d for %d target inputs'
                         % (f.label, len(gxs), len(targets)))
    if not double_bp:
        gxs = tuple([(<Variable>g)._data if isinstance(g, Variable) else g
                     for g in gxs])
    return gxs


cdef dict _run_backward(list roots, list root_grads, object stop_nodes, bint retain_grad,
                        bint double_bp, object loss_scale, bint accumulate_leaves):
    """Backpropagate from ``roots`` (Variables) with initial gradients ``root_grads``.

    With ``accumulate_leaves`` (Variable.backward) the gradients reaching leaves are
    added to their ``grad``; otherwise (``grad()``) the gradients reaching the nodes
    in ``stop_nodes`` are returned as a dict node -> gradient, and backprop does not
    go past those nodes.
    """
    cdef dict grads = {}
    cdef list heap = []
    cdef set seen = set()
    cdef dict leaves = {}
    cdef long counter = 0
    cdef dict owned = {}     # id -> array of the sums this loop allocated (kept alive)
    cdef dict deferred = {}  # leaf node -> list of DeferredGrad terms
    cdef bint defer = accumulate_leaves and not double_bp and stop_nodes is None
    cdef Variable rv
    cdef VariableNode node, x
    cdef FunctionNode f
    cdef Py_ssize_t i, k, n_out
    cdef bint use_arrays
    cdef _ConfigState st = _local_state()
    cdef bint debug = st.debug if st.debug != _UNSET else _global_state.debug

    for k in range(len(roots)):
        rv = <Variable>roots[k]
        node = rv._node
        g = root_grads[k]
        if double_bp:
            if g is not None and not isinstance(g, Variable):
                g = _new_variable(g, False)
        elif isinstance(g, Variable):
            g = (<Variable>g)._data
        grads[node] = _grad_add(grads.get(node), g)
        if stop_nodes is not None and node in stop_nodes:
            leaves[node] = None
            continue
        if node._creator is None:
            # A root that is itself a leaf already holds its gradient (Variable.backward
            # returns early for it); only grad() reports it.
            if stop_nodes is not None:
                leaves[node] = None
        elif node._creator not in seen:
            seen.add(node._creator)
            heapq.heappush(heap, (-node._creator.rank, counter, node._creator))
            counter += 1

    prev_backprop = st.enable_backprop
    prev_defer = st.defer_leaf_grads
    st.enable_backprop = 1 if double_bp else 0
    st.defer_leaf_grads = defer
    try:
        while heap:
            f = <FunctionNode>heapq.heappop(heap)[2]
            if f.inputs is None or f.outputs is None:
                continue
            n_out = len(f.outputs)
            out_nodes = [None] * n_out
            gys = [None] * n_out
            any_grad = False
            for i in range(n_out):
                y = f.outputs[i]()
                if y is not None:
                    out_nodes[i] = y
                    g = grads.pop(y, None)
                    if g is not None:
                        if owned:
                            owned.pop(id(g), None)   # handed out: no longer ours to reuse
                        gys[i] = g
                        any_grad = True
                        if retain_grad:
                            prev_g = (<VariableNode>y)._grad
                            # keep a gradient Variable that already holds this array
                            if not (isinstance(prev_g, Variable) and
                                    (<Variable>prev_g)._data is g):
                                (<VariableNode>y)._grad = g
            if not any_grad:
                continue
            targets = tuple([i for i in range(len(f.inputs))
                             if (<VariableNode>f.inputs[i]).requires_grad])
            if not targets:
                continue
            gys_t = tuple(gys)
            hooks = st.function_hooks
            if hooks or f._local_function_hooks:
                hooks = _collect_hooks(f, st)
                in_data = tuple([(<VariableNode>x).data for x in f.inputs])
                gy_data = tuple([(<Variable>g)._data if isinstance(g, Variable) else g
                                 for g in gys_t])
                for hook in hooks:
                    hook.backward_preprocess(f, in_data, gy_data)
            else:
                hooks = None

            if not double_bp and _defines_backward_array(f):
                # (a class that defines backward_accumulate never gets here)
                gxs = f.backward_array(targets, gys_t)
                gxs = _select_targets(f, gxs, targets)
            elif _overrides_backward_accumulate(f):
                gxs = _call_backward_accumulate(f, targets, gys_t, grads, owned,
                                                double_bp)
            elif double_bp:
                gxs = f.backward(targets, gys_t)
                gxs = _select_targets(f, gxs, targets)
            else:
                gys_v = tuple([None if g is None else _new_variable(g, False)
                               for g in gys_t])
                gxs = f.backward(targets, gys_v)
                gxs = _select_targets(f, gxs, targets)
                gxs = tuple([(<Variable>g)._data if isinstance(g, Variable) else g
                             for g in gxs])

            if hooks:
                in_data = tuple([(<VariableNode>x).data for x in f.inputs])
                gy_data = tuple([(<Variable>g)._data if isinstance(g, Variable) else g
                                 for g in gys_t])
                for hook in hooks:
                    hook.backward_postprocess(f, in_data, gy_data)
            if debug:
                _check_nan(tuple([g for g in gxs if not isinstance(g, DeferredGrad)]),
                           'backward')

            for k in range(len(targets)):
                gx = gxs[k]
                if gx is None:
                    continue
                x = <VariableNode>f.inputs[targets[k]]
                if isinstance(gx, DeferredGrad):
                    if defer and x._creator is None:
                        _check_gx(f, x, gx)
                        terms = deferred.get(x)
                        if terms is None:
                            deferred[x] = [gx]
                            leaves[x] = None
                        else:
                            terms.append(gx)
                        continue
                    gx = (<DeferredGrad>gx).materialize()
                elif isinstance(gx, numpy.generic):
                    gx = numpy.asarray(gx)
                if double_bp:
                    if not isinstance(gx, Variable):
                        gx = _new_variable(gx, False)
                _check_gx(f, x, gx)
                prev = grads.get(x)
                if prev is None:
                    grads[x] = gx
                elif not double_bp and id(prev) in owned and \
                        type(prev) is _ndarray and type(gx) is _ndarray:
                    # an array this loop allocated by an earlier sum: nobody else
                    # holds it, so add in place instead of allocating again
                    prev += gx
                else:
                    acc = None if double_bp else _ew_binary(_EW_ADD, prev, gx)
                    if acc is None:
                        acc = prev + gx
                    if not double_bp:
                        owned[id(acc)] = acc
                    grads[x] = acc
                if stop_nodes is not None and x in stop_nodes:
                    leaves[x] = None
                elif x._creator is None:
                    leaves[x] = None
                elif x._creator not in seen:
                    seen.add(x._creator)
                    heapq.heappush(heap, (-x._creator.rank, counter, x._creator))
                    counter += 1
            gxs = None
            gys = None
            gys_t = None
        # the leaves' deferred terms, each kind summed at once
        for x, terms in deferred.items():
            if len(<list>terms) == 1:
                g = (<DeferredGrad>(<list>terms)[0]).materialize()
            else:
                g = _combine_deferred(terms)
            prev = grads.get(x)
            grads[x] = g if prev is None else prev + g
    finally:
        st.enable_backprop = prev_backprop
        st.defer_leaf_grads = prev_defer

    if not accumulate_leaves:
        return {x: grads.get(x) for x in leaves}

    cdef set assigned = set()
    for x in leaves:
        g = grads.get(x)
        if g is None:
            continue
        if x.rank != 0 and x._creator is not None:
            continue
        if double_bp:
            if x._grad is not None:
                old = x._grad
                if not isinstance(old, Variable):
                    old = _new_variable(old, False)
                with _ConfigScope('enable_backprop', True, config):
                    g = old + g
        else:
            old = x._grad
            if isinstance(old, Variable):
                old = (<Variable>old)._data
            if old is not None:
                g = old + g
            elif id(g) in assigned or (isinstance(g, _ndarray) and
                                       not (<object>g).flags.writeable):
                # never let two leaves share one gradient array, and never hand out
                # a read-only view (a broadcast) as a gradient that optimizers update
                g = g.copy()
            assigned.add(id(g))
        x._grad = g
        if loss_scale is not None:
            x._loss_scale = loss_scale
    return None


def backward(outputs, grad_outputs=None, **kwargs):
    """Run backprop from several output variables at once (Chainer's semantics).

    Args:
        outputs (list or tuple of Variable): the outputs.
        grad_outputs (list or tuple of array/Variable/None, or None): their initial
            gradients.  ``None`` (the argument) means each output's ``grad``, which
            is consumed (set to ``None``); an output without one is skipped with a
            ``RuntimeWarning`` -- no default gradient of 1 here, unlike
            :meth:`Variable.backward`.  A ``None`` entry skips that output.
        retain_grad (bool), enable_double_backprop (bool), loss_scale (float): as in
            :meth:`Variable.backward` (kusari's extensions).
    """
    retain_grad = kwargs.pop('retain_grad', False)
    double_bp = kwargs.pop('enable_double_backprop', False)
    loss_scale = kwargs.pop('loss_scale', None)
    if kwargs:
        raise TypeError('kusari.backward: unexpected arguments %s' % sorted(kwargs))
    if not isinstance(outputs, (tuple, list)):
        raise TypeError('kusari.backward: outputs must be a tuple or a list, not %s'
                        % _type_name(outputs))
    for y in outputs:
        if not isinstance(y, Variable):
            raise TypeError('kusari.backward: each output must be a Variable, not %s'
                            % _type_name(y))
    if grad_outputs is None:
        grad_outputs = []
        for y in outputs:
            g = (<Variable>y)._node._grad
            if g is None:
                warnings.warn('kusari.backward: outputs contains a Variable without '
                              'grad, or duplicate outputs (backward does not set a '
                              'default grad)', RuntimeWarning, stacklevel=1)
            elif not double_bp and isinstance(g, Variable):
                g = (<Variable>g)._data
            (<Variable>y)._node._grad = None
            grad_outputs.append(g)
    elif not isinstance(grad_outputs, (tuple, list)):
        raise TypeError('kusari.backward: grad_outputs must be None, a tuple or a '
                        'list, not %s' % _type_name(grad_outputs))
    if len(grad_outputs) != len(outputs):
        raise ValueError('kusari.backward: %d outputs but %d grad_outputs'
                         % (len(outputs), len(grad_outputs)))
    roots, gs = [], []
    for y, gy in zip(outputs, grad_outputs):
        if gy is None:
            continue
        if not double_bp and isinstance(gy, Variable):
            gy = (<Variable>gy)._data
        if loss_scale is not None:
            gy = gy * loss_scale
        roots.append(y)
        gs.append(gy)
    if roots:
        _run_backward(roots, gs, None, bool(retain_grad), bool(double_bp), loss_scale,
                      True)


def grad(outputs, inputs, grad_outputs=None, grad_inputs=None, set_grad=False,
         retain_grad=False, enable_double_backprop=False, loss_scale=None):
    """Compute the gradients of ``outputs`` with respect to ``inputs``.

    Unlike :meth:`Variable.backward`, nothing is accumulated into ``grad`` of other
    variables: the gradients are returned.  Backprop stops at ``inputs``.

    Args:
        outputs (sequence of Variable): the variables to differentiate.
        inputs (sequence of Variable): the variables to differentiate by.
        grad_outputs (sequence of Variable or None): initial output gradients; ``None``
            (for all or for one output) means ones of the output's shape.
        grad_inputs (sequence of Variable or None): added to the returned gradients.
        set_grad (bool): also store the results in ``inputs[i].grad_var``.
        retain_grad (bool): keep intermediate gradients.
        enable_double_backprop (bool): record the backward graph so the results can be
            differentiated again.
        loss_scale (float): multiply the initial gradients that ``grad`` fills in
            (the ones) by this factor.

    Returns:
        list of Variable (or None where no gradient reached an input).

    >>> import numpy, kusari
    >>> x = kusari.Variable(numpy.array([3.0]))
    >>> y = x * x * x
    >>> gx, = kusari.grad([y], [x], enable_double_backprop=True)
    >>> gx.array                      # 3 x^2
    array([27.])
    >>> ggx, = kusari.grad([gx], [x])  # 6 x
    >>> ggx.array
    array([18.])
    """
    if isinstance(outputs, Variable) or isinstance(inputs, Variable):
        raise TypeError('kusari.grad: outputs and inputs must be sequences of Variables')
    outputs = list(outputs)
    inputs = list(inputs)
    for v in outputs + inputs:
        if not isinstance(v, Variable):
            raise TypeError('kusari.grad: expected Variables, got %s' % _type_name(v))
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    grad_outputs = list(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError('kusari.grad: %d outputs but %d grad_outputs'
                         % (len(outputs), len(grad_outputs)))
    if grad_inputs is not None and len(grad_inputs) != len(inputs):
        raise ValueError('kusari.grad: %d inputs but %d grad_inputs'
                         % (len(inputs), len(grad_inputs)))
    roots, gs = [], []
    for y, gy in zip(outputs, grad_outputs):
        if gy is None:
            # Chainer: a missing output gradient is ones (any shape), and only
            # these are multiplied by loss_scale
            gy = y.xp.ones_like(y.array)
            if loss_scale is not None:
                gy *= loss_scale
        elif isinstance(gy, Variable) and not enable_double_backprop:
            gy = (<Variable>gy)._data
        roots.append(y)
        gs.append(gy)
    stop = {(<Variable>x)._node for x in inputs}
    with _ConfigScope('enable_backprop', bool(enable_double_backprop), config):
        result = _run_backward(roots, gs, stop, bool(retain_grad),
                               bool(enable_double_backprop), loss_scale, False)
    ret = []
    for k, x in enumerate(inputs):
        g = result.get((<Variable>x)._node)
        if grad_inputs is not None and grad_inputs[k] is not None:
            gi = grad_inputs[k]
            if g is None:
                g = gi
            else:
                if isinstance(g, Variable) or isinstance(gi, Variable):
                    g = as_variable(g) + as_variable(gi)
                else:
                    g = g + gi
        if g is not None and not isinstance(g, Variable):
            g = _new_variable(g, False)
        ret.append(g)
        if set_grad:
            (<Variable>x)._node._grad = g
    return ret


# --------------------------------------------------------------------------------------
# Arithmetic behind Variable's operators (with double backprop), and the few array
# functions that Variable's methods need.  kusari.functions re-exports them.
# --------------------------------------------------------------------------------------

cdef str _op_error(str op, str expect, str actual):
    return ('Invalid operation is performed in: %s (Forward)\n\nExpect: %s\nActual: %s'
            % (op, expect, actual))


cdef object _InvalidType = None


cdef _raise_invalid(str op, str expect, str actual):
    global _InvalidType
    if _InvalidType is None:
        from kusari.utils.type_check import InvalidType
        _InvalidType = InvalidType
    raise _InvalidType(expect, actual, msg=_op_error(op, expect, actual))


cdef inline _check_same_dtype(str op, a, b):
    da = a.dtype
    db = b.dtype
    if da is not db and da != db:
        _raise_invalid(op, 'in_types[0].dtype == in_types[1].dtype',
                       '%s != %s' % (da, db))


cdef inline _check_float(str op, a):
    if a.dtype.kind != 'f':
        _raise_invalid(op, 'in_types[0].dtype.kind == f', '%s != f' % a.dtype.kind)


cdef _check_broadcastable(str op, a, b):
    sa = a.shape
    sb = b.shape
    if sa == sb:
        return
    try:
        numpy.broadcast_shapes(sa, sb)
    except ValueError:
        _raise_invalid(op, 'in_types[0].shape and in_types[1].shape broadcastable',
                       '%s, %s' % (sa, sb))


cdef object _sum_to_array(x, tuple shape):
    """Sum ``x`` over broadcast axes so that the result has ``shape``."""
    xs = x.shape
    if xs == shape:
        return x
    cdef Py_ssize_t ndim = len(shape)
    cdef Py_ssize_t lead = len(xs) - ndim
    axes = list(range(lead))
    for i in range(ndim):
        if shape[i] == 1 and xs[lead + i] != 1:
            axes.append(lead + i)
    y = x.sum(axis=tuple(axes), keepdims=True) if axes else x
    if lead > 0:
        y = y.reshape(shape)
    return y


cdef inline object _var_sum_to(gx, tuple shape):
    if isinstance(gx, Variable):
        if (<Variable>gx)._data.shape == shape:
            return gx
        return SumTo(shape).apply((gx,))[0]
    return _sum_to_array(gx, shape)


cdef dict _const_cache = {}


cdef object _scalar_like(value, x):
    # A Python or NumPy scalar cast to x's dtype, as Chainer's constant operations do.
    # Casting costs more than the tiny operations it feeds, and loops apply the same
    # constants again and again, so the casts are cached.
    dt = x.dtype
    key = (value, dt)
    r = _const_cache.get(key)
    if r is None:
        r = dt.type(value)
        if len(_const_cache) > 4096:
            _const_cache.clear()
        _const_cache[key] = r
    return r


# --------------------------------------------------------------------------------------
# Small-array fast paths of the arithmetic nodes and of the engine's gradient sums.
# A NumPy ufunc call costs ~1-1.5 us whatever the size, which is most of an operation
# on the small arrays of per-step graphs; these loops cost ~0.1 us.  They take exact
# numpy.ndarray operands that are C-contiguous, aligned, native-order float32/float64
# and at most _EW_MAX_SIZE elements (above, NumPy's wider SIMD loops win), and compute
# one IEEE operation per element in the array's precision, so the results are
# bit-identical to NumPy's.  Anything else returns None and the caller uses NumPy.
# So that numpy.errstate / seterr keep their meaning (warnings, FloatingPointError), a
# loop that raised a floating-point exception flag (overflow, invalid, division by
# zero, underflow) discards its result and returns None: NumPy then redoes the
# operation and reports it as configured.
# --------------------------------------------------------------------------------------

cdef enum:
    _EW_MAX_SIZE = 16384
cdef int _EW_FLAGS = cnp.NPY_ARRAY_C_CONTIGUOUS | cnp.NPY_ARRAY_ALIGNED
cdef int _FE_REPORTED = FE_DIVBYZERO | FE_INVALID | FE_OVERFLOW | FE_UNDERFLOW

cdef enum _EwOp:
    _EW_ADD = 0
    _EW_SUB = 1
    _EW_MUL = 2
    _EW_RSUB = 3    # c - x (scalar forms only)
    _EW_NEG = 4     # -x (scalar form, no scalar)


cdef inline int _ew_kind(object a) noexcept:
    """1 for a fast-path float32 array, 2 for float64, 0 otherwise."""
    if type(a) is not _ndarray:
        return 0
    cdef cnp.ndarray arr = <cnp.ndarray>a
    if (cnp.PyArray_FLAGS(arr) & _EW_FLAGS) != _EW_FLAGS \
            or cnp.PyArray_SIZE(arr) > _EW_MAX_SIZE or not cnp.PyArray_ISNOTSWAPPED(arr):
        return 0
    cdef int t = cnp.PyArray_TYPE(arr)
    if t == cnp.NPY_FLOAT32:
        return 1
    if t == cnp.NPY_FLOAT64:
        return 2
    return 0


cdef inline object _ew_empty_like(cnp.ndarray a, int kind):
    return cnp.PyArray_EMPTY(cnp.PyArray_NDIM(a), cnp.PyArray_DIMS(a),
                             cnp.NPY_FLOAT32 if kind == 1 else cnp.NPY_FLOAT64, 0)


ctypedef fused _ew_real:
    float
    double


cdef inline void _ew_scalar_loop(int op, const _ew_real* x, _ew_real c, _ew_real* y,
                                 Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    if op == _EW_MUL:
        for i in range(n):
            y[i] = x[i] * c
    elif op == _EW_ADD:
        for i in range(n):
            y[i] = x[i] + c
    elif op == _EW_RSUB:
        for i in range(n):
            y[i] = c - x[i]
    else:
        for i in range(n):
            y[i] = -x[i]


cdef inline void _ew_binary_loop(int op, const _ew_real* a, const _ew_real* b,
                                 _ew_real* y, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    if op == _EW_ADD:
        for i in range(n):
            y[i] = a[i] + b[i]
    elif op == _EW_SUB:
        for i in range(n):
            y[i] = a[i] - b[i]
    else:
        for i in range(n):
            y[i] = a[i] * b[i]


cdef object _ew_scalar(int op, object x, object c):
    """``x op c`` for a scalar ``c`` already cast to x's dtype (ignored for _EW_NEG),
    or None."""
    cdef int kind = _ew_kind(x)
    if kind == 0:
        return None
    cdef cnp.ndarray xa = <cnp.ndarray>x
    cdef double cd = 0.0 if op == _EW_NEG else float(c)
    cdef Py_ssize_t n = cnp.PyArray_SIZE(xa)
    out = _ew_empty_like(xa, kind)
    cdef void* xp = cnp.PyArray_DATA(xa)
    cdef void* yp = cnp.PyArray_DATA(<cnp.ndarray>out)
    feclearexcept(_FE_REPORTED)
    if kind == 1:
        _ew_scalar_loop(op, <const float*>xp, <float>cd, <float*>yp, n)
    else:
        _ew_scalar_loop(op, <const double*>xp, cd, <double*>yp, n)
    if fetestexcept(_FE_REPORTED):
        return None
    return out


cdef object _ew_binary(int op, object a, object b):
    """``a op b`` for two fast-path arrays of one dtype and shape, or None."""
    cdef int kind = _ew_kind(a)
    if kind == 0 or _ew_kind(b) != kind:
        return None
    cdef cnp.ndarray aa = <cnp.ndarray>a
    cdef cnp.ndarray ba = <cnp.ndarray>b
    cdef int nd = cnp.PyArray_NDIM(aa)
    if nd != cnp.PyArray_NDIM(ba):
        return None
    cdef cnp.npy_intp* da = cnp.PyArray_DIMS(aa)
    cdef cnp.npy_intp* db = cnp.PyArray_DIMS(ba)
    cdef int k
    for k in range(nd):
        if da[k] != db[k]:
            return None
    out = _ew_empty_like(aa, kind)
    cdef Py_ssize_t n = cnp.PyArray_SIZE(aa)
    cdef void* ap = cnp.PyArray_DATA(aa)
    cdef void* bp = cnp.PyArray_DATA(ba)
    cdef void* yp = cnp.PyArray_DATA(<cnp.ndarray>out)
    feclearexcept(_FE_REPORTED)
    if kind == 1:
        _ew_binary_loop(op, <const float*>ap, <const float*>bp, <float*>yp, n)
    else:
        _ew_binary_loop(op, <const double*>ap, <const double*>bp, <double*>yp, n)
    if fetestexcept(_FE_REPORTED):
        return None
    return out


cdef inline object _ew_neg(object x):
    return _ew_scalar(_EW_NEG, x, None)


def _fast_elementwise(op, a, b=None):
    """Run a fast path directly (for tests): ``op`` is one of ``'add'``, ``'sub'``,
    ``'mul'`` (arrays ``a``, ``b``), ``'scale'``, ``'shift'``, ``'rsub'``
    (array ``a``, scalar ``b``) or ``'neg'``; returns None where NumPy would be used."""
    if op == 'add':
        return _ew_binary(_EW_ADD, a, b)
    if op == 'sub':
        return _ew_binary(_EW_SUB, a, b)
    if op == 'mul':
        return _ew_binary(_EW_MUL, a, b)
    if op == 'scale':
        return _ew_scalar(_EW_MUL, a, b)
    if op == 'shift':
        return _ew_scalar(_EW_ADD, a, b)
    if op == 'rsub':
        return _ew_scalar(_EW_RSUB, a, b)
    if op == 'neg':
        return _ew_neg(a)
    raise ValueError('_fast_elementwise: unknown op %r' % (op,))


cdef inline bint _is_scalar(x):
    return isinstance(x, (float, int)) or isinstance(x, numpy.generic) and \
        (<object>x).ndim == 0


class _NoTruthOrOrder(TypeError, NotImplementedError):
    """Comparing a Variable or taking its truth value: Chainer raises TypeError,
    kusari's earlier releases NotImplementedError; this is both."""


def _functions(str what):
    # Variable.mean and ``//`` are Chainer's calls into its functions package; the
    # core does not depend on kusari-functions, so they import it when used.
    try:
        from kusari import functions
    except ImportError:
        raise ImportError('kusari.Variable.%s needs kusari-functions, which is not '
                          'installed (pip install kusari-functions)' % what) from None
    return functions


cdef Variable _operand(Variable self, other, str op):
    # The right-hand side as a Variable (arrays become constants without gradient).
    if isinstance(other, Variable):
        return <Variable>other
    if _is_array(other):
        # Chainer casts a constant array to the variable's dtype
        dt = self._data.dtype if self._data is not None else None
        if dt is not None and other.dtype is not dt and other.dtype != dt:
            other = other.astype(dt, copy=False)
        return _new_variable(other, False)
    raise TypeError('unsupported operand type for %s: Variable and %s'
                    % (op, _type_name(other)))


cdef class Neg(FunctionNode):
    """``-x``."""

    @property
    def label(self):
        return '__neg__'

    cpdef tuple forward(self, tuple inputs):
        y = _ew_neg(inputs[0])
        return (-inputs[0] if y is None else y,)

    def backward(self, indexes, gy):
        return (Neg().apply((gy[0],))[0],)

    def backward_array(self, indexes, gy):
        g = _ew_neg(gy[0])
        return (-gy[0] if g is None else g,)


cdef class Absolute(FunctionNode):
    """``abs(x)``; the gradient at 0 is taken as 0."""

    @property
    def label(self):
        return '|_|'

    cpdef tuple forward(self, tuple inputs):
        _check_float('|_|', inputs[0])
        self.retain_inputs((0,))
        return (abs(inputs[0]),)

    def backward(self, indexes, gy):
        x = self.inputs[0].data
        s = _xp_of(x).sign(x)
        return (gy[0] * s,)

    def backward_array(self, indexes, gy):
        x = (<VariableNode>self.inputs[0]).data
        return (gy[0] * _xp_of(x).sign(x),)


cdef class Add(FunctionNode):
    """``x0 + x1`` with broadcasting."""

    @property
    def label(self):
        return '_ + _'

    cpdef tuple forward(self, tuple inputs):
        a, b = inputs
        _check_same_dtype('_ + _', a, b)
        y = _ew_binary(_EW_ADD, a, b)
        if y is not None:
            return (y,)
        _check_broadcastable('_ + _', a, b)
        y = a + b
        if type(y) is not type(a):
            y = _xp_of(a).asarray(y)
        return (y,)

    def backward(self, indexes, gy):
        g = gy[0]
        return tuple([_var_sum_to(g, (<VariableNode>self.inputs[i]).shape)
                      for i in indexes])

    def backward_array(self, indexes, gy):
        g = gy[0]
        return tuple([_sum_to_array(g, (<VariableNode>self.inputs[i]).shape)
                      for i in indexes])


cdef class AddConstant(FunctionNode):
    """``x + c`` for a scalar ``c``."""
    cdef public object value

    def __init__(self, value):
        self.value = value

    @property
    def label(self):
        return '_ + %s' % _fmt(self.value)

    cpdef tuple forward(self, tuple inputs):
        x = inputs[0]
        c = _scalar_like(self.value, x)
        y = _ew_scalar(_EW_ADD, x, c)
        if y is not None:
            return (y,)
        y = x + c
        if type(y) is not type(x):
            y = _xp_of(x).asarray(y)
        return (y,)

    def backward(self, indexes, gy):
        return (gy[0],)

    def backward_array(self, indexes, gy):
        return (gy[0],)


cdef class Sub(FunctionNode):
    """``x0 - x1`` with broadcasting."""

    @property
    def label(self):
        return '_ - _'

    cpdef tuple forward(self, tuple inputs):
        a, b = inputs
        _check_same_dtype('_ - _', a, b)
        y = _ew_binary(_EW_SUB, a, b)
        if y is not None:
            return (y,)
        _check_broadcastable('_ - _', a, b)
        y = a - b
        if type(y) is not type(a):
            y = _xp_of(a).asarray(y)
        return (y,)

    def backward(self, indexes, gy):
        g = gy[0]
        ret = []
        for i in indexes:
            gi = g if i == 0 else Neg().apply((g,))[0]
            ret.append(_var_sum_to(gi, (<VariableNode>self.inputs[i]).shape))
        return tuple(ret)

    def backward_array(self, indexes, gy):
        g = gy[0]
        ret = []
        for i in indexes:
            if i == 0:
                gi = g
            else:
                gi = _ew_neg(g)
                if gi is None:
                    gi = -g
            ret.append(_sum_to_array(gi, (<VariableNode>self.inputs[i]).shape))
        return tuple(ret)


cdef class SubFromConstant(FunctionNode):
    """``c - x`` for a scalar ``c``."""
    cdef public object value

    def __init__(self, value):
        self.value = value

    @property
    def label(self):
        return '%s - _' % _fmt(self.value)

    cpdef tuple forward(self, tuple inputs):
        x = inputs[0]
        c = _scalar_like(self.value, x)
        y = _ew_scalar(_EW_RSUB, x, c)
        if y is not None:
            return (y,)
        y = c - x
        if type(y) is not type(x):
            y = _xp_of(x).asarray(y)
        return (y,)

    def backward(self, indexes, gy):
        return (Neg().apply((gy[0],))[0],)

    def backward_array(self, indexes, gy):
        g = _ew_neg(gy[0])
        return (-gy[0] if g is None else g,)


cdef class Mul(FunctionNode):
    """``x0 * x1`` with broadcasting."""

    @property
    def label(self):
        return '_ * _'

    cpdef tuple forward(self, tuple inputs):
        a, b = inputs
        _check_same_dtype('_ * _', a, b)
        self.retain_inputs((0, 1))
        y = _ew_binary(_EW_MUL, a, b)
        if y is not None:
            return (y,)
        # the fast path takes only float32/float64; Chainer's Mul rejects non-float input
        _check_float('_ * _', a)
        _check_broadcastable('_ * _', a, b)
        y = a * b
        if type(y) is not type(a):
            y = _xp_of(a).asarray(y)
        return (y,)

    def backward(self, indexes, gy):
        x0, x1 = self.get_retained_inputs()
        g = gy[0]
        ret = []
        for i in indexes:
            gi = g * (x1 if i == 0 else x0)
            ret.append(_var_sum_to(gi, (<VariableNode>self.inputs[i]).shape))
        return tuple(ret)

    def backward_array(self, indexes, gy):
        x0 = (<VariableNode>self.inputs[0]).data
        x1 = (<VariableNode>self.inputs[1]).data
        g = gy[0]
        ret = []
        for i in indexes:
            other = x1 if i == 0 else x0
            gi = _ew_binary(_EW_MUL, g, other)
            if gi is None:
                gi = g * other
            ret.append(_sum_to_array(gi, (<VariableNode>self.inputs[i]).shape))
        return tuple(ret)


cdef class MulConstant(FunctionNode):
    """``c * x`` for a scalar ``c``."""
    cdef public object value

    def __init__(self, value):
        self.value = value

    @property
    def label(self):
        return '_ * %s' % _fmt(self.value)

    cpdef tuple forward(self, tuple inputs):
        x = inputs[0]
        c = _scalar_like(self.value, x)
        y = _ew_scalar(_EW_MUL, x, c)
        if y is not None:
            return (y,)
        y = x * c
        if type(y) is not type(x):
            y = _xp_of(x).asarray(y)
        return (y,)

    def backward(self, indexes, gy):
        return (MulConstant(self.value).apply((gy[0],))[0],)

    def backward_array(self, indexes, gy):
        g = gy[0]
        c = _scalar_like(self.value, g)
        r = _ew_scalar(_EW_MUL, g, c)
        if r is not None:
            return (r,)
        r = g * c
        if type(r) is not type(g):
            r = _xp_of(g).asarray(r)
        return (r,)


cdef class Div(FunctionNode):
    """``x0 / x1`` with broadcasting."""

    @property
    def label(self):
        return '_ / _'

    cpdef tuple forward(self, tuple inputs):
        a, b = inputs
        _check_same_dtype('_ / _', a, b)
        _check_float('_ / _', a)
        self.retain_inputs((0, 1))
        _check_broadcastable('_ / _', a, b)
        y = a / b
        if type(y) is not type(a):
            y = _xp_of(a).asarray(y)
        return (y,)

    def backward(self, indexes, gy):
        x0, x1 = self.get_retained_inputs()
        g = gy[0]
        ret = []
        gx0 = g / x1
        for i in indexes:
            if i == 0:
                gi = gx0
            else:
                gi = -gx0 * x0 / x1
            ret.append(_var_sum_to(gi, (<VariableNode>self.inputs[i]).shape))
        return tuple(ret)

    def backward_array(self, indexes, gy):
        x0 = (<VariableNode>self.inputs[0]).data
        x1 = (<VariableNode>self.inputs[1]).data
        g = gy[0]
        gx0 = g / x1
        ret = []
        for i in indexes:
            gi = gx0 if i == 0 else -gx0 * x0 / x1
            ret.append(_sum_to_array(gi, (<VariableNode>self.inputs[i]).shape))
        return tuple(ret)


cdef class DivFromConstant(FunctionNode):
    """``c / x`` for a scalar ``c``."""
    cdef public object value

    def __init__(self, value):
        self.value = value

    @property
    def label(self):
        return '%s / _' % _fmt(self.value)

    cpdef tuple forward(self, tuple inputs):
        x = inputs[0]
        _check_float('%s / _' % _fmt(self.value), x)
        self.retain_inputs((0,))
        y = _scalar_like(self.value, x) / x
        if type(y) is not type(x):
            y = _xp_of(x).asarray(y)
        return (y,)

    def backward(self, indexes, gy):
        x, = self.get_retained_inputs()
        # d(c/x)/dx = -c / x^2
        return (gy[0] * (-float(self.value)) / (x * x),)

    def backward_array(self, indexes, gy):
        x = (<VariableNode>self.inputs[0]).data
        c = _scalar_like(-self.value, x)
        r = gy[0] * c / (x * x)
        if type(r) is not type(x):
            r = _xp_of(x).asarray(r)
        return (r,)


cdef class PowVarVar(FunctionNode):
    """``x0 ** x1`` with broadcasting."""

    @property
    def label(self):
        return '_ ** _'

    cpdef tuple forward(self, tuple inputs):
        a, b = inputs
        _check_same_dtype('_ ** _', a, b)
        _check_float('_ ** _', a)
        self.retain_inputs((0, 1))
        _check_broadcastable('_ ** _', a, b)
        y = a ** b
        if type(y) is not type(a):
            y = _xp_of(a).asarray(y)
        return (y,)

    def backward(self, indexes, gy):
        x0, x1 = self.get_retained_inputs()
        g = gy[0]
        ret = []
        for i in indexes:
            if i == 0:
                gi = g * x1 * x0 ** (x1 - 1.0)
            else:
                gi = g * x0 ** x1 * Log().apply((x0,))[0]
            ret.append(_var_sum_to(gi, (<VariableNode>self.inputs[i]).shape))
        return tuple(ret)

    def backward_array(self, indexes, gy):
        x0 = (<VariableNode>self.inputs[0]).data
        x1 = (<VariableNode>self.inputs[1]).data
        xp = _xp_of(x0)
        g = gy[0]
        ret = []
        for i in indexes:
            if i == 0:
                gi = g * x1 * x0 ** (x1 - x1.dtype.type(1))
            else:
                gi = g * x0 ** x1 * xp.log(x0)
            ret.append(_sum_to_array(xp.asarray(gi), (<VariableNode>self.inputs[i]).shape))
        return tuple(ret)


cdef class PowVarConst(FunctionNode):
    """``x ** c`` for a scalar ``c``."""
    cdef public object value

    def __init__(self, value):
        self.value = value

    @property
    def label(self):
        return '_ ** %s' % _fmt(self.value)

    cpdef tuple forward(self, tuple inputs):
        x = inputs[0]
        self.retain_inputs((0,))
        y = x ** _scalar_like(self.value, x)
        if type(y) is not type(x):
            y = _xp_of(x).asarray(y)
        return (y,)

    def backward(self, indexes, gy):
        x, = self.get_retained_inputs()
        c = self.value
        if c == 1:
            return (gy[0],)
        if c == 2:
            return (gy[0] * (x * 2.0),)
        return (gy[0] * (PowVarConst(c - 1).apply((x,))[0] * float(c)),)

    def backward_array(self, indexes, gy):
        x = (<VariableNode>self.inputs[0]).data
        t = x.dtype.type
        c = self.value
        if c == 2:
            r = gy[0] * (x * t(2))
        else:
            r = gy[0] * (t(c) * x ** t(c - 1))
        if type(r) is not type(x):
            r = _xp_of(x).asarray(r)
        return (r,)


cdef class PowConstVar(FunctionNode):
    """``c ** x`` for a scalar ``c``."""
    cdef public object value

    def __init__(self, value):
        self.value = value

    @property
    def label(self):
        return '%s ** _' % _fmt(self.value)

    cpdef tuple forward(self, tuple inputs):
        x = inputs[0]
        _check_float('%s ** _' % _fmt(self.value), x)
        self.retain_outputs((0,))
        y = _scalar_like(self.value, x) ** x
        if type(y) is not type(x):
            y = _xp_of(x).asarray(y)
        return (y,)

    def backward(self, indexes, gy):
        y, = self.get_retained_outputs()
        return (gy[0] * y * float(numpy.log(self.value)),)

    def backward_array(self, indexes, gy):
        y = self._retained_output_data[0]
        r = gy[0] * y * y.dtype.type(numpy.log(self.value))
        if type(r) is not type(y):
            r = _xp_of(y).asarray(r)
        return (r,)


cdef class Log(FunctionNode):
    """Natural logarithm (here for the gradient of ``x ** y`` with respect to ``y``)."""

    @property
    def label(self):
        return 'Log'

    cpdef tuple forward(self, tuple inputs):
        self.retain_inputs((0,))
        return (_xp_of(inputs[0]).log(inputs[0]),)

    def backward(self, indexes, gy):
        x, = self.get_retained_inputs()
        return (gy[0] / x,)

    def backward_array(self, indexes, gy):
        return (gy[0] / (<VariableNode>self.inputs[0]).data,)


cdef class MatMul(FunctionNode):
    """``a @ b`` with NumPy's matmul semantics (batched, broadcasting leading axes)."""

    @property
    def label(self):
        return '_ @ _'

    cpdef tuple forward(self, tuple inputs):
        a, b = inputs
        _check_same_dtype('_ @ _', a, b)
        if a.ndim == 0 or b.ndim == 0:
            _raise_invalid('_ @ _', 'in_types[0].ndim >= 1 and in_types[1].ndim >= 1',
                           '%d, %d' % (a.ndim, b.ndim))
        ka = a.shape[-1]
        kb = b.shape[0] if b.ndim == 1 else b.shape[-2]
        if ka != kb:
            _raise_invalid('_ @ _', 'in_types[0].shape[-1] == in_types[1].shape[-2]',
                           '%d != %d' % (ka, kb))
        self.retain_inputs((0, 1))
        xp = _xp_of(a)
        return (xp.asarray(xp.matmul(a, b)),)

    def backward(self, indexes, gy):
        a, b = self.get_retained_inputs()
        return _matmul_backward(self, indexes, a, b, gy[0], True)

    def backward_array(self, indexes, gy):
        a = (<VariableNode>self.inputs[0]).data
        b = (<VariableNode>self.inputs[1]).data
        return _matmul_backward(self, indexes, a, b, gy[0], False)


cdef object _mm(a, b, bint var):
    if var:
        return MatMul().apply((a, b))[0]
    return _xp_of(a).matmul(a, b)


cdef object _swap_last(x, bint var):
    if x.ndim < 2:
        return x
    axes = list(range(x.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    if var:
        return Transpose(tuple(axes)).apply((x,))[0]
    return x.transpose(axes)


cdef object _reshape_any(x, tuple shape, bint var):
    if var:
        return Reshape(shape).apply((x,))[0]
    return x.reshape(shape)


cdef tuple _matmul_backward(MatMul f, indexes, a, b, g, bint var):
    a_shape = (<VariableNode>f.inputs[0]).shape
    b_shape = (<VariableNode>f.inputs[1]).shape
    # Promote 1-d operands the way matmul does, then undo it on the gradients.
    a2 = _reshape_any(a, (1,) + a_shape, var) if len(a_shape) == 1 else a
    b2 = _reshape_any(b, b_shape + (1,), var) if len(b_shape) == 1 else b
    g_shape = g.shape
    if len(a_shape) == 1 and len(b_shape) == 1:
        g2 = _reshape_any(g, (1, 1), var)
    elif len(a_shape) == 1:
        g2 = _reshape_any(g, g_shape[:-1] + (1, g_shape[-1]), var)
    elif len(b_shape) == 1:
        g2 = _reshape_any(g, g_shape + (1,), var)
    else:
        g2 = g
    ret = []
    for i in indexes:
        if i == 0:
            ga = _mm(g2, _swap_last(b2, var), var)
            a2_shape = ((1,) + a_shape) if len(a_shape) == 1 else a_shape
            ga = _var_sum_to(ga, a2_shape) if var else _sum_to_array(ga, a2_shape)
            if len(a_shape) == 1:
                ga = _reshape_any(ga, a_shape, var)
            ret.append(ga)
        else:
            gb = _mm(_swap_last(a2, var), g2, var)
            b2_shape = (b_shape + (1,)) if len(b_shape) == 1 else b_shape
            gb = _var_sum_to(gb, b2_shape) if var else _sum_to_array(gb, b2_shape)
            if len(b_shape) == 1:
                gb = _reshape_any(gb, b_shape, var)
            ret.append(gb)
    return tuple(ret)


cdef str _fmt(value):
    if isinstance(value, float):
        return repr(value)
    return str(value)


cdef object _add(Variable self, other):
    if isinstance(other, Variable):
        return Add()._apply_vars((self, other))[0]
    if _is_scalar(other):
        return AddConstant(other)._apply_vars((self,))[0]
    return Add()._apply_vars((self, _operand(self, other, '+')))[0]


cdef object _sub(Variable self, other):
    if _is_scalar(other):
        return AddConstant(-other)._apply_vars((self,))[0]
    return Sub()._apply_vars((self, _operand(self, other, '-')))[0]


cdef object _rsub(Variable self, other):
    if _is_scalar(other):
        return SubFromConstant(other)._apply_vars((self,))[0]
    return Sub()._apply_vars((_operand(self, other, '-'), self))[0]


cdef object _mul(Variable self, other):
    if isinstance(other, Variable):
        return Mul()._apply_vars((self, other))[0]
    if _is_scalar(other):
        return MulConstant(other)._apply_vars((self,))[0]
    return Mul()._apply_vars((self, _operand(self, other, '*')))[0]


cdef object _div(Variable self, other):
    if _is_scalar(other):
        if self._data.dtype.kind != 'f':
            _check_float('_ / %s' % _fmt(other), self._data)
        return MulConstant(1.0 / other)._apply_vars((self,))[0]
    return Div()._apply_vars((self, _operand(self, other, '/')))[0]


cdef object _rdiv(Variable self, other):
    if _is_scalar(other):
        return DivFromConstant(other)._apply_vars((self,))[0]
    return Div()._apply_vars((_operand(self, other, '/'), self))[0]


cdef object _pow(Variable self, other):
    if _is_scalar(other):
        return PowVarConst(other)._apply_vars((self,))[0]
    return PowVarVar()._apply_vars((self, _operand(self, other, '**')))[0]


cdef object _rpow(Variable self, other):
    if _is_scalar(other):
        return PowConstVar(other)._apply_vars((self,))[0]
    return PowVarVar()._apply_vars((_operand(self, other, '**'), self))[0]


cdef object _matmul(Variable self, other):
    return MatMul()._apply_vars((self, _operand(self, other, '@')))[0]


cdef object _rmatmul(Variable self, other):
    return MatMul()._apply_vars((_operand(self, other, '@'), self))[0]


# ---- array functions used by Variable's methods ------------------------------------


cdef class Reshape(FunctionNode):
    """Reshape to ``shape`` (one entry may be -1)."""
    cdef public tuple shape

    def __init__(self, shape):
        self.shape = tuple(shape)

    @property
    def label(self):
        return 'Reshape'

    cpdef tuple forward(self, tuple inputs):
        x = inputs[0]
        try:
            return (x.reshape(self.shape),)
        except ValueError:
            _raise_invalid('Reshape', 'x.size compatible with shape %s' % (self.shape,),
                           'x.shape == %s' % (x.shape,))

    def backward(self, indexes, gy):
        return (Reshape((<VariableNode>self.inputs[0]).shape).apply((gy[0],))[0],)

    def backward_array(self, indexes, gy):
        return (gy[0].reshape((<VariableNode>self.inputs[0]).shape),)


cdef class Transpose(FunctionNode):
    """Permute the axes (``axes=None`` reverses them)."""
    cdef public object axes

    def __init__(self, axes=None):
        self.axes = None if axes is None else tuple(axes)

    @property
    def label(self):
        return 'Transpose'

    cpdef tuple forward(self, tuple inputs):
        x = inputs[0]
        if self.axes is not None and len(self.axes) != x.ndim:
            _raise_invalid('Transpose', 'len(axes) == x.ndim',
                           '%d != %d' % (len(self.axes), x.ndim))
        return (x.transpose(self.axes),)

    cdef object _inv(self):
        if self.axes is None:
            return None
        n = len(self.axes)
        return tuple(numpy.argsort([a % n for a in self.axes]).tolist())

    def backward(self, indexes, gy):
        return (Transpose(self._inv()).apply((gy[0],))[0],)

    def backward_array(self, indexes, gy):
        return (gy[0].transpose(self._inv()),)


cdef class BroadcastTo(FunctionNode):
    """Broadcast to ``shape``."""
    cdef public tuple shape

    def __init__(self, shape):
        self.shape = tuple(shape)

    @property
    def label(self):
        return 'BroadcastTo'

    cpdef tuple forward(self, tuple inputs):
        x = inputs[0]
        try:
            return (_xp_of(x).broadcast_to(x, self.shape),)
        except ValueError:
            _raise_invalid('BroadcastTo', 'x.shape broadcastable to %s' % (self.shape,),
                           'x.shape == %s' % (x.shape,))

    def backward(self, indexes, gy):
        return (_var_sum_to(gy[0], (<VariableNode>self.inputs[0]).shape),)

    def backward_array(self, indexes, gy):
        return (_sum_to_array(gy[0], (<VariableNode>self.inputs[0]).shape),)


cdef class SumTo(FunctionNode):
    """Sum over broadcast axes so that the result has ``shape`` (inverse of broadcast)."""
    cdef public tuple shape

    def __init__(self, shape):
        self.shape = tuple(shape)

    @property
    def label(self):
        return 'SumTo'

    cpdef tuple forward(self, tuple inputs):
        x = inputs[0]
        xs = x.shape
        ok = len(self.shape) <= len(xs)
        if ok:
            lead = len(xs) - len(self.shape)
            for i, s in enumerate(self.shape):
                if s != 1 and s != xs[lead + i]:
                    ok = False
                    break
        if not ok:
            _raise_invalid('SumTo', 'x.shape reducible to %s' % (self.shape,),
                           'x.shape == %s' % (xs,))
        return (_xp_of(x).asarray(_sum_to_array(x, self.shape)),)

    def backward(self, indexes, gy):
        return (BroadcastTo((<VariableNode>self.inputs[0]).shape).apply((gy[0],))[0],)

    def backward_array(self, indexes, gy):
        g = gy[0]
        return (_xp_of(g).broadcast_to(g, (<VariableNode>self.inputs[0]).shape),)


def broadcast_to(x, shape):
    """Broadcast ``x`` to ``shape`` (NumPy's rules); the gradient sums back."""
    v = _as_variable(x)
    if v._data.shape == tuple(shape):
        return v if isinstance(x, Variable) else _new_variable(v._data, False)
    return BroadcastTo(shape).apply((v,))[0]


def sum_to(x, shape):
    """Sum ``x`` over its broadcast axes so the result has ``shape``."""
    v = _as_variable(x)
    if v._data.shape == tuple(shape):
        return v
    return SumTo(shape).apply((v,))[0]


cdef object _normalize_slices(slices):
    if isinstance(slices, list):
        # NumPy treats a list of indices as advanced indexing
        if all([isinstance(s, (int, numpy.integer)) for s in slices]):
            return numpy.asarray(slices)
        return tuple(slices)
    if isinstance(slices, Variable):
        return (<Variable>slices)._data
    if isinstance(slices, tuple):
        return tuple([(<Variable>s)._data if isinstance(s, Variable) else s
                      for s in slices])
    return slices


cdef class GetItem(FunctionNode):
    """``x[slices]`` with NumPy's basic and advanced indexing."""
    cdef public object slices

    def __init__(self, slices):
        self.slices = _normalize_slices(slices)

    @property
    def label(self):
        return 'GetItem'

    cpdef tuple forward(self, tuple inputs):
        x = inputs[0]
        try:
            return (_xp_of(x).asarray(x[self.slices]),)
        except IndexError as e:
            _raise_invalid('GetItem', 'valid index for x.shape == %s' % (x.shape,),
                           str(e))

    def backward(self, indexes, gy):
        n = <VariableNode>self.inputs[0]
        return (GetItemGrad(self.slices, n.shape, n.dtype).apply((gy[0],))[0],)

    def backward_array(self, indexes, gy):
        n = <VariableNode>self.inputs[0]
        return (_scatter_grad(gy[0], self.slices, n.shape, n.dtype),)


cdef object _scatter_grad(g, slices, shape, dtype):
    xp = _xp_of(g)
    gx = xp.zeros(shape, dtype)
    if xp is numpy:
        numpy.add.at(gx, slices, g)
    else:
        import cupyx
        cupyx.scatter_add(gx, slices, g)
    return gx


cdef class GetItemGrad(FunctionNode):
    """Gradient of :class:`GetItem`: scatter-add into zeros of the input's shape."""
    cdef public object slices
    cdef public tuple shape
    cdef public object dtype

    def __init__(self, slices, shape, dtype):
        self.slices = slices
        self.shape = tuple(shape)
        self.dtype = dtype

    cpdef tuple forward(self, tuple inputs):
        return (_scatter_grad(inputs[0], self.slices, self.shape, self.dtype),)

    def backward(self, indexes, ggx):
        return (GetItem(self.slices).apply((ggx[0],))[0],)

    def backward_array(self, indexes, ggx):
        return (_xp_of(ggx[0]).asarray(ggx[0][self.slices]),)


def get_item(x, slices):
    """``x[slices]``: basic slicing, integer and boolean array indexing.

    Args:
        x (Variable or array): input of any shape.
        slices: an int, slice, ``None``, ``Ellipsis``, array, or a tuple of them.

    Returns:
        Variable: the selected part; its gradient scatters back (adding duplicates).
    """
    return GetItem(slices).apply((x,))[0]


def reshape(x, shape):
    """Reshape ``x`` to ``shape`` without copying when possible."""
    v = _as_variable(x)
    shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    if v._data.shape == shape:
        return v if isinstance(x, Variable) else _new_variable(v._data, False)
    return Reshape(shape).apply((v,))[0]


def transpose(x, axes=None):
    """Permute the axes of ``x`` (reverse them when ``axes`` is None)."""
    return Transpose(axes).apply((x,))[0]


def _fast_apply(FunctionNode f, tuple variables):
    """Apply ``f`` to a tuple that holds only Variables (skips conversion)."""
    return f._apply_vars(variables)
