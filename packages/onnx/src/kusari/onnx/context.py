"""The graph under construction, as converters see it."""
import numpy
import onnx
from onnx import helper, numpy_helper

from kusari.onnx.errors import ExportError

__all__ = ['Context', 'onnx_dtype']


def onnx_dtype(dtype):
    """The ``onnx.TensorProto`` element type of a NumPy dtype."""
    return helper.np_dtype_to_tensor_dtype(numpy.dtype(dtype))


class Context:
    """What a converter uses to add ONNX nodes and constants.

    A converter is called as ``fn(ctx, node, inputs, outputs)``: ``node`` is the
    kusari FunctionNode, ``inputs`` the ONNX names of its inputs and ``outputs`` the
    names it must produce (one per output of the node).  Per call, the context also
    holds the node's ``in_shapes``, ``in_dtypes``, ``out_shapes``, ``out_dtypes``
    (from the traced forward pass), ``dyn_out_shapes`` (the output shapes with ``-1``
    where a dimension follows a dynamic axis of the inputs) and ``in_values`` (the
    array of each input that is a constant, else None).

    Attributes:
        opset (int): the target opset of the default domain.
    """

    def __init__(self, opset):
        self.opset = opset
        self.nodes = []
        self.initializers = []
        self._used = set()
        self._consts = {}
        self.in_shapes = self.in_dtypes = self.out_shapes = self.out_dtypes = ()
        self.dyn_out_shapes = self.in_values = ()
        self.probe_out_shapes = ()
        self.dyn_sources = []

    def unique(self, base):
        """A name not used yet in the graph, derived from ``base``."""
        name = base
        i = 1
        while name in self._used:
            name = '%s_%d' % (base, i)
            i += 1
        self._used.add(name)
        return name

    def reserve(self, name):
        """Mark ``name`` as taken (graph inputs, outputs, parameters)."""
        self._used.add(name)

    def op(self, op_type, inputs, outputs=None, n_out=1, domain=None, **attrs):
        """Add one ONNX node; returns its output name (or the list of names when it
        has several outputs).

        Args:
            op_type (str): the ONNX operator.
            inputs (list of str): input names ('' for an omitted optional input).
            outputs (list of str): output names; default: ``n_out`` new names.
            **attrs: the operator's attributes.
        """
        if outputs is None:
            outputs = [self.unique(op_type) for _ in range(n_out)]
        attrs = {k: v for k, v in attrs.items() if v is not None}
        self.nodes.append(helper.make_node(
            op_type, list(inputs), list(outputs), name=self.unique('n_' + op_type),
            domain=domain, **attrs))
        return outputs[0] if len(outputs) == 1 else list(outputs)

    def runtime_shape(self, shape, probe_shape, who):
        """A 1-d int64 tensor of ``shape`` computed at run time.

        The probe run multiplied each dynamic axis by its own prime, so the ratio of a
        dimension's two sizes tells which axes it is a multiple of: it becomes the
        product of those axes' sizes (read from the graph inputs) and a constant.
        """
        pieces = []
        for d, (s1, s2) in enumerate(zip(shape, probe_shape)):
            if s1 == s2:
                pieces.append(self.ints([s1]))
                continue
            r = s2 // s1 if s1 and s2 % s1 == 0 else 0
            size, base = None, s1
            for name, axis, a1, prime in self.dyn_sources:
                while r and r % prime == 0 and a1 and base % a1 == 0:
                    r //= prime
                    base //= a1
                    dim = self.op('Gather', [self.op('Shape', [name]), self.ints([axis])],
                                  axis=0)
                    size = dim if size is None else self.op('Mul', [size, dim])
            if r != 1 or size is None:
                raise ExportError('kusari.onnx.export: %s has shape %s whose dimension %d '
                                  'is no multiple of the dynamic input axes' % (who, shape, d))
            if base != 1:
                size = self.op('Mul', [size, self.ints([base])])
            pieces.append(size)
        return self.op('Concat', pieces, axis=0)

    def const(self, value, dtype=None, name=None):
        """An initializer holding ``value`` (an array or a scalar); returns its name.

        Small constants of equal value, dtype and shape are shared.
        """
        arr = numpy.asarray(value, dtype=dtype)
        if arr.dtype == numpy.float64 and dtype is None and not isinstance(
                value, numpy.ndarray):
            arr = arr.astype(numpy.float32)
        key = None
        if arr.size <= 16 and name is None:
            key = (arr.dtype.str, arr.shape, arr.tobytes())
            if key in self._consts:
                return self._consts[key]
        name = self.unique(name or 'const')
        self.initializers.append(numpy_helper.from_array(
            numpy.array(arr, order='C'), name))
        if key is not None:
            self._consts[key] = name
        return name

    def ints(self, values, name=None):
        """An int64 1-d initializer (shapes, axes, pads); returns its name."""
        return self.const(numpy.asarray(list(values), dtype=numpy.int64), name=name)

    def cast_like(self, name, dtype):
        """``name`` cast to ``dtype`` (a NumPy dtype)."""
        return self.op('Cast', [name], to=onnx_dtype(dtype))

    def scalar(self, value, like=0):
        """A 0-d constant of ``value`` with the dtype of input ``like``."""
        return self.const(numpy.asarray(value, dtype=self.in_dtypes[like]))

    def reduce(self, op_type, x, axes, keepdims):
        """A ReduceXxx node with ``axes`` as attribute or input as the opset wants."""
        axes = None if axes is None else [int(a) for a in axes]
        as_input = op_type == 'ReduceSum' or self.opset >= 18
        if axes is None:
            return self.op(op_type, [x], keepdims=int(keepdims))
        if as_input:
            return self.op(op_type, [x, self.ints(axes)], keepdims=int(keepdims))
        return self.op(op_type, [x], axes=axes, keepdims=int(keepdims))

    def squeeze(self, x, axes):
        return self.op('Squeeze', [x, self.ints(axes)])

    def unsqueeze(self, x, axes):
        return self.op('Unsqueeze', [x, self.ints(axes)])

    def reshape(self, x, shape, out=None):
        return self.op('Reshape', [x, self.ints(shape)],
                       outputs=None if out is None else [out])

    def split(self, x, sizes, axis, outputs=None):
        """Split ``x`` along ``axis`` into pieces of ``sizes``."""
        sizes = [int(s) for s in sizes]
        if outputs is None:
            outputs = [self.unique('Split') for _ in sizes]
        if len(sizes) == 1:
            self.op('Identity', [x], outputs=outputs)
            return list(outputs)
        if self.opset >= 18:
            self.op('Split', [x, self.ints(sizes)], outputs=outputs, axis=axis,
                    num_outputs=None)
        else:
            self.op('Split', [x, self.ints(sizes)], outputs=outputs, axis=axis)
        return list(outputs)

    def slice(self, x, starts, ends, axes, steps=None):
        args = [x, self.ints(starts), self.ints(ends), self.ints(axes)]
        if steps is not None:
            args.append(self.ints(steps))
        return self.op('Slice', args)


def make_value_info(name, dtype, shape):
    """A graph input/output description (``None`` or a str in ``shape``: symbolic)."""
    return helper.make_tensor_value_info(name, onnx_dtype(dtype), list(shape))


_ = onnx  # the package is a hard dependency; imported here so a missing one fails early
