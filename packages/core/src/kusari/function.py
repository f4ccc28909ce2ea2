"""Old-style functions (Chainer v1 style): ``forward`` and ``backward`` on arrays.

User code written for Chainer's ``Function`` keeps working::

    class Square(kusari.Function):
        def forward(self, inputs):
            x, = inputs
            return x * x,

        def backward(self, inputs, grad_outputs):
            x, = inputs
            gy, = grad_outputs
            return 2 * x * gy,

    y = Square()(x)

Such functions are not differentiable twice: their backward runs on arrays.
"""
import weakref

from kusari import _core
from kusari._core import (  # noqa: F401
    FunctionNode,
    force_backprop_mode,
    no_backprop_mode,
)

__all__ = ['Function', 'FunctionAdapter', 'no_backprop_mode', 'force_backprop_mode']


class FunctionAdapter(FunctionNode):
    """The FunctionNode that runs an old-style :class:`Function` inside the graph."""

    def __init__(self, function):
        self._function = function

    @property
    def function(self):
        """The wrapped old-style :class:`Function`."""
        return self._function

    @property
    def label(self):
        return self._function.label

    def check_type_forward(self, in_types):
        self._function.check_type_forward(in_types)

    def forward(self, inputs):
        # Old-style functions see all their inputs and outputs again in backward.
        self.retain_inputs(range(len(inputs)))
        outputs = self._function.forward(inputs)
        if isinstance(outputs, list):
            outputs = tuple(outputs)
        if not isinstance(outputs, tuple):
            raise TypeError('%s.forward must return a tuple of arrays, got %s'
                            % (type(self._function).__name__, type(outputs).__name__))
        if self._output_retain_requested is None:
            self.retain_outputs(range(len(outputs)))
        self._n_outputs = len(outputs)
        self._output_meta = tuple((y.shape, y.dtype) for y in outputs)
        return outputs

    _output_retain_requested = None
    _n_outputs = 0
    _output_meta = ()

    def _array_backward(self, target_input_indexes, grad_outputs):
        if self.inputs is None:
            raise RuntimeError('%s: the graph was unchained, so the inputs are gone'
                               % self.label)
        # Inputs that the function chose not to retain arrive as None, as in Chainer.
        in_data = tuple(x.data for x in self.inputs)
        xp = _core.get_array_module(*(in_data + tuple(grad_outputs)))
        gys = tuple(
            xp.zeros(shape, dtype) if g is None else g
            for g, (shape, dtype) in zip(grad_outputs, self._output_meta))
        gxs = self._function.backward(in_data, gys)
        if isinstance(gxs, list):
            gxs = tuple(gxs)
        if not isinstance(gxs, tuple):
            raise TypeError('%s.backward must return a tuple of arrays, got %s'
                            % (type(self._function).__name__, type(gxs).__name__))
        if len(gxs) != len(in_data):
            raise ValueError('%s.backward returned %d gradients for %d inputs'
                             % (type(self._function).__name__, len(gxs), len(in_data)))
        return tuple(gxs[i] for i in target_input_indexes)

    def backward_array(self, target_input_indexes, grad_outputs):
        return self._array_backward(target_input_indexes, grad_outputs)

    def backward(self, target_input_indexes, grad_outputs):
        gys = tuple(None if g is None else g.array for g in grad_outputs)
        gxs = self._array_backward(target_input_indexes, gys)
        ret = []
        for gx in gxs:
            if gx is None:
                ret.append(None)
            else:
                v = _core.Variable(gx, requires_grad=False)
                v.node._old_style_grad_generator = self.label
                ret.append(v)
        return tuple(ret)


class Function:
    """Old-style function: ``forward``/``backward`` on arrays, called like a function.

    Subclasses implement ``forward`` (or ``forward_cpu``/``forward_gpu``) and
    ``backward`` (or ``backward_cpu``/``backward_gpu``), each taking a tuple of
    arrays and returning a tuple of arrays.  Calling the object on Variables runs it
    inside the graph through a :class:`FunctionAdapter`.  All inputs and outputs are
    retained for backward unless ``retain_inputs``/``retain_outputs`` narrow them.
    """

    _node_ref = None
    _owned_node = None

    def __call__(self, *inputs):
        node = self.node
        # The graph holds the adapter, and the adapter holds this function; keep only
        # a weak reference back so no cycle forms.
        self._owned_node = None
        ret = node.apply(inputs)
        if len(ret) == 1:
            return ret[0]
        return ret

    @property
    def node(self):
        """The :class:`FunctionAdapter` that represents this function in the graph."""
        node = self._owned_node
        if node is None and self._node_ref is not None:
            node = self._node_ref()
        if node is None:
            node = FunctionAdapter(self)
            self._node_ref = weakref.ref(node)
            self._owned_node = node
        return node

    @property
    def label(self):
        """Short name of the function (the class name)."""
        return type(self).__name__

    @property
    def inputs(self):
        """The input nodes of the last call."""
        return self.node.inputs

    @property
    def outputs(self):
        """Weak references to the output nodes of the last call."""
        return self.node.outputs

    @property
    def rank(self):
        return self.node.rank

    @property
    def stack(self):
        return self.node.stack

    @property
    def output_data(self):
        """The retained output arrays of the last call."""
        return self.node.output_data()

    @property
    def local_function_hooks(self):
        return self.node.local_function_hooks

    def add_hook(self, hook, name=None):
        """Register a function hook on this function only."""
        self.node.add_hook(hook, name)

    def delete_hook(self, name):
        """Unregister a local function hook."""
        self.node.delete_hook(name)

    def check_type_forward(self, in_types):
        """Check the input types (override; see :mod:`kusari.utils.type_check`)."""

    def forward(self, inputs):
        """Dispatch to :meth:`forward_cpu` or :meth:`forward_gpu` by array type."""
        if any(x is not None and not isinstance(x, _np_ndarray) for x in inputs):
            return self.forward_gpu(inputs)
        return self.forward_cpu(inputs)

    def forward_cpu(self, inputs):
        raise NotImplementedError('%s does not implement forward' % self.label)

    def forward_gpu(self, inputs):
        raise NotImplementedError('%s does not implement forward for GPU arrays'
                                  % self.label)

    def backward(self, inputs, grad_outputs):
        """Dispatch to :meth:`backward_cpu` or :meth:`backward_gpu` by array type."""
        if any(x is not None and not isinstance(x, _np_ndarray)
               for x in inputs + grad_outputs):
            return self.backward_gpu(inputs, grad_outputs)
        return self.backward_cpu(inputs, grad_outputs)

    def backward_cpu(self, inputs, grad_outputs):
        return tuple(None for _ in inputs)

    def backward_gpu(self, inputs, grad_outputs):
        return tuple(None for _ in inputs)

    def unchain(self):
        """Remove this function's node from the graph."""
        self.node.unchain()

    def retain_inputs(self, indexes):
        """Retain only the inputs at ``indexes`` (call in forward)."""
        self.node.retain_inputs(indexes)

    def retain_outputs(self, indexes, retain_after_backward=False):
        """Retain only the outputs at ``indexes`` (call in forward)."""
        node = self.node
        node._output_retain_requested = True
        node.retain_outputs(indexes)


import numpy as _np  # noqa: E402

_np_ndarray = _np.ndarray
