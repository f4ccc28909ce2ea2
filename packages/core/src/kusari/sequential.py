"""Sequential: a model that calls its layers one after another."""
import copy
import inspect

from kusari import link as _link


def _layer_type_name(layer):
    if isinstance(layer, _link.Link):
        return type(layer).__name__
    return getattr(layer, '__name__', type(layer).__name__)


class Sequential(_link.ChainList):
    """A model with a single-stream forward pass through a list of layers.

    The layers are arbitrary callables: links (registered as children, so their
    parameters belong to the model) and plain functions such as
    ``kusari.functions.relu`` or lambdas.  Calling the model feeds the input to the
    first layer and each output to the next one; a tuple output is unpacked into
    the next layer's positional arguments.

    Only the links among the layers are children: they are named by their index
    among the links (``'0'``, ``'1'``, ...), so parameter paths skip plain
    functions, e.g. ``Sequential(L.Linear(3, 4), F.relu, L.Linear(4, 2))`` has
    ``'/0/W'`` and ``'/1/W'``.

    The list API works on the layers: indexing (a slice gives a list of layers),
    ``len``, iteration, ``in``, :meth:`append`, :meth:`insert`, :meth:`extend`,
    :meth:`remove`, :meth:`pop`, :meth:`clear`, :meth:`index`, :meth:`count`, and
    ``+`` / ``+=`` with another Sequential.

    Example::

        model = kusari.Sequential(
            L.Linear(n_in, n_hidden), F.relu,
            L.Linear(n_hidden, n_out))
        y = model(x)

    A Sequential holding a ``lambda`` cannot be pickled; use
    :func:`functools.partial` or a named function instead.

    Args:
        layers: The layers, called in this order.  Each must be callable.

    """

    def __init__(self, *layers):
        super().__init__()
        self._layers = []
        for layer in layers:
            self.append(layer)

    # -- bookkeeping ------------------------------------------------------------------

    def _sync_children(self):
        # The children are the links among the layers, in order, named by index.
        self._children = [
            layer for layer in self._layers if isinstance(layer, _link.Link)]
        for i, child in enumerate(self._children):
            child.name = str(i)

    def _check_callable(self, layer, method):
        if not callable(layer):
            raise ValueError(
                'Sequential.{}: all layers of a Sequential must be callable, but '
                'got {!r} ({})'.format(method, layer, type(layer).__name__))

    # -- list API ---------------------------------------------------------------------

    def __len__(self):
        """Return the number of layers."""
        return len(self._layers)

    def __getitem__(self, i):
        """Return the layer at index ``i`` (a list of layers for a slice)."""
        return self._layers[i]

    def __setitem__(self, i, layer):
        """Replace the layer at index ``i`` (or the layers of a slice)."""
        if isinstance(i, slice):
            layers = list(layer)
            for each in layers:
                self._check_callable(each, '__setitem__')
            self._layers[i] = layers
            self._sync_children()
            return
        n = len(self._layers)
        if not -n <= i < n:
            raise ValueError(
                'Sequential.__setitem__: index {} is out of range for a Sequential '
                'of {} layers'.format(i, n))
        self._check_callable(layer, '__setitem__')
        self._layers[i] = layer
        self._sync_children()

    def __delitem__(self, i):
        """Remove the layer at index ``i`` (or the layers of a slice)."""
        del self._layers[i]
        self._sync_children()

    def __iter__(self):
        """Iterate over the layers in order."""
        return iter(self._layers)

    def __reversed__(self):
        """Iterate over the layers in reverse order."""
        return reversed(self._layers)

    def __contains__(self, layer):
        """Whether ``layer`` is one of the layers."""
        return layer in self._layers

    def __add__(self, other):
        """Return a new Sequential with the layers of ``self`` then those of ``other``."""
        if not isinstance(other, Sequential):
            raise ValueError(
                'Sequential: the + operator supports only Sequential objects, but '
                'got {}'.format(type(other).__name__))
        ret = Sequential()
        ret.extend(self)
        ret.extend(other)
        return ret

    def __iadd__(self, other):
        """Append the layers of the Sequential ``other`` to this one."""
        if not isinstance(other, Sequential):
            raise ValueError(
                'Sequential: the += operator supports only Sequential objects, but '
                'got {}'.format(type(other).__name__))
        self.extend(list(other))
        return self

    def append(self, layer):
        """Add a layer (any callable) at the end.

        Args:
            layer: The layer; a :class:`~kusari.Link` becomes a child.

        """
        self.insert(len(self._layers), layer)

    def extend(self, sequential):
        """Append each layer of an iterable of layers (e.g. another Sequential).

        Args:
            sequential: Iterable of callables.

        """
        for layer in sequential:
            self.append(layer)

    def insert(self, i, layer):
        """Insert a layer before index ``i`` (as :meth:`list.insert`).

        Args:
            i (int): Position.
            layer: The layer (any callable); a :class:`~kusari.Link` becomes a child.

        Raises:
            ValueError: ``layer`` is not callable.
            IndexError: ``i`` is outside ``-len(self) .. len(self)`` (Chainer's
                check; :meth:`list.insert` would clamp it).

        """
        self._check_callable(layer, 'insert')
        n = len(self._layers)
        if not -n <= i <= n:
            raise IndexError('Sequential.insert: index {} out of range for {} '
                             'layers'.format(i, n))
        self._layers.insert(i, layer)
        self._sync_children()

    def remove(self, layer):
        """Remove the first occurrence of ``layer``.

        Raises:
            ValueError: ``layer`` is not in this Sequential.

        """
        if layer not in self._layers:
            raise ValueError(
                'Sequential.remove: there is no layer object that is the same as '
                '{!r}'.format(layer))
        del self[self._layers.index(layer)]

    def remove_by_layer_type(self, type_name):
        """Remove every layer whose type name is ``type_name``.

        The type name of a link is its class name (``'Linear'``); that of another
        callable is its ``__name__`` (``'relu'``).

        Args:
            type_name (str): The name to match.

        """
        self._layers = [
            layer for layer in self._layers
            if _layer_type_name(layer) != type_name]
        self._sync_children()

    def pop(self, i=-1):
        """Remove and return the layer at index ``i`` (the last one by default)."""
        layer = self._layers[i]
        del self[i]
        return layer

    def clear(self):
        """Remove all layers."""
        self._layers = []
        self._sync_children()

    def index(self, layer, start=0, stop=None):
        """Return the index of the first occurrence of ``layer`` (in ``[start, stop)``)."""
        if stop is None:
            stop = len(self._layers)
        return self._layers.index(layer, start, stop)

    def count(self, layer):
        """Return the number of occurrences of ``layer``."""
        return self._layers.count(layer)

    def count_by_layer_type(self, type_name):
        """Return the number of layers whose type name is ``type_name``.

        See :meth:`remove_by_layer_type` for what the type name is.

        Args:
            type_name (str): The name to match.

        """
        return sum(1 for layer in self._layers if _layer_type_name(layer) == type_name)

    def flatten(self):
        """Return a new Sequential with nested Sequentials expanded in place.

        Returns:
            Sequential: The layers, with every Sequential among them (recursively)
            replaced by its layers.  Links are not copied.

        """
        ret = Sequential()
        for layer in self._layers:
            if isinstance(layer, Sequential):
                ret.extend(layer.flatten())
            else:
                ret.append(layer)
        return ret

    # -- forward ----------------------------------------------------------------------

    def forward(self, *x):
        """Feed the inputs through the layers in order and return the last output.

        The first layer is called with ``*x``; each later layer with the previous
        output, unpacked when it is a tuple.

        Args:
            x: The inputs of the first layer.

        Returns:
            The output of the last layer.

        Raises:
            RuntimeError: the Sequential has no layers.

        """
        if not self._layers:
            raise RuntimeError('Sequential does not have any layer.')
        for layer in self._layers:
            if isinstance(x, tuple):
                x = layer(*x)
            else:
                x = layer(x)
        return x

    # -- links API --------------------------------------------------------------------

    def copy(self, mode='share'):
        """Copy this Sequential; link layers are copied by ``Link.copy(mode)``.

        Other layers are copied by :func:`copy.copy` (functions stay the same
        object).  See :meth:`kusari.Link.copy` for the modes.

        Returns:
            Sequential: The copy (same class), whose :attr:`name` is ``None``.

        """
        ret = self._copy_self(mode)
        layers = []
        for layer in self._layers:
            if isinstance(layer, _link.Link):
                layers.append(layer.copy(mode))
            else:
                layers.append(copy.copy(layer))
        ret._layers = layers
        ret._sync_children()
        return ret

    def copyparams(self, link, copy_persistent=True):
        """Copy the parameters of another Sequential of the same structure.

        Args:
            link (Sequential): The source.
            copy_persistent (bool): Also copy persistent values.

        Raises:
            ValueError: ``link`` is not a Sequential.

        """
        if not isinstance(link, Sequential):
            raise ValueError(
                'Sequential.copyparams: objects other than Sequential cannot be '
                'copied to a Sequential, but got {}'.format(type(link).__name__))
        _link.Link.copyparams(self, link, copy_persistent)
        for child, src in zip(self._children, link._children):
            child.copyparams(src, copy_persistent)

    def addgrads(self, link):
        """Add the gradients of another Sequential of the same structure.

        Args:
            link (Sequential): The source.

        """
        _link.Link.addgrads(self, link)
        for child, src in zip(self._children, link._children):
            child.addgrads(src)

    # -- copying and pickling ---------------------------------------------------------

    def __copy__(self):
        # Bypasses __reduce_ex__, which refuses lambdas (they only fail pickling).
        cls = type(self)
        ret = cls.__new__(cls)
        ret.__dict__.update(self.__dict__)
        return ret

    def __reduce_ex__(self, protocol):
        for layer in self._layers:
            if getattr(layer, '__name__', None) == '<lambda>':
                raise ValueError(
                    'This Sequential object has at least one lambda function as its '
                    'component. Lambda functions cannot be pickled, so please use '
                    'functools.partial or a named function instead of the lambda '
                    'function, or use "dill", which can pickle lambda functions.')
        return super().__reduce_ex__(protocol)

    # -- representation ---------------------------------------------------------------

    def __str__(self):
        pairs = []
        for index, layer in enumerate(self._layers):
            if getattr(layer, '__name__', None) == '<lambda>':
                try:
                    rep = inspect.getsource(layer).strip().rstrip(',')
                except (OSError, TypeError):
                    rep = repr(layer)
            else:
                rep = str(layer)
            pairs.append((index, rep))
        return '{}({})'.format(type(self).__name__, _link._indent_children(pairs))
