"""``export``: run a kusari model once and write its recorded graph as an ONNX model."""
import collections
import copy
import os
import inspect
import tempfile
import traceback
import types

import numpy
import onnx
from onnx import helper, numpy_helper

import kusari
from kusari import function_hook

from kusari.onnx import opset as _opset
from kusari.onnx import registry
from kusari.onnx.context import Context, make_value_info
from kusari.onnx.errors import ExportError, UnsupportedFunctionError

__all__ = ['export']


class _RecordInputs(function_hook.FunctionHook):
    """Keeps each function's input arrays (constants are read from here) and, for a
    function without a converter, where in the user's code it was called."""

    name = 'kusari.onnx.record_inputs'

    def __init__(self, external):
        self.records = {}
        self.external = external

    def forward_preprocess(self, function, in_data):
        stack = None
        if registry.lookup(function) is None and not _external_for(
                self.external, function):
            stack = traceback.extract_stack()[:-1]
        self.records[id(function)] = (function, in_data, stack)


def _external_for(external, node):
    if not external:
        return None
    key = registry.function_key(node)
    fn = external.get(key) or external.get(key.rsplit('.', 1)[1])
    if fn is not None and _takes_one_argument(fn):
        return _onnx_chainer_style(fn)
    return fn


def _takes_one_argument(fn):
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY,
                                                  p.POSITIONAL_OR_KEYWORD)]
    return len(positional) == 1 and not any(p.kind == p.VAR_POSITIONAL for p in params)


def _onnx_chainer_style(fn):
    """Adapts an onnx-chainer converter, ``fn(params)`` returning NodeProtos."""
    def conv(ctx, node, inputs, outputs):
        params = types.SimpleNamespace(
            func=node, opset_version=ctx.opset, input_names=list(inputs),
            output_names=list(outputs), context=ctx)
        made = fn(params)
        if isinstance(made, onnx.NodeProto):
            made = [made]
        for n in made:
            ctx.nodes.append(n)
    return conv


def _flatten_args(args):
    """(list of (name or None, array), how to call the model with Variables)."""
    if isinstance(args, dict):
        items = list(args.items())
        return [(k, v) for k, v in items], 'dict'
    if isinstance(args, (list, tuple)):
        return [(None, v) for v in args], 'seq'
    return [(None, args)], 'single'


def _to_array(value, what):
    if isinstance(value, kusari.Variable):
        value = value.array
    if hasattr(value, '__cuda_array_interface__') and hasattr(value, 'get'):
        value = value.get()  # a CuPy array: the model is traced on the CPU
    if not isinstance(value, numpy.ndarray):
        if isinstance(value, (int, float, numpy.number)) and \
                not isinstance(value, bool):
            value = numpy.asarray(value)
        else:
            raise ExportError(
                'kusari.onnx.export: %s must be a NumPy array or a Variable, got %s'
                % (what, type(value).__name__))
    return value


def _flatten_outputs(out):
    """(list of (name or None, Variable))."""
    if isinstance(out, dict):
        items = list(out.items())
    elif isinstance(out, (list, tuple)):
        items = [(None, v) for v in out]
    else:
        items = [(None, out)]
    res = []
    for k, v in items:
        if not isinstance(v, kusari.Variable):
            raise ExportError(
                'kusari.onnx.export: the model must return a Variable, a list/tuple or '
                'a dict of Variables; got an element of type %s' % type(v).__name__)
        res.append((k, v))
    return res


class _Trace:
    """One forward pass: inputs, outputs and the functions that led to the outputs."""

    def __init__(self, model, arrays, kind, names, train, external):
        self.model = model
        self.in_vars = [kusari.Variable(a) for a in arrays]
        hook = _RecordInputs(external)
        # a Classifier is exported as its predictor (its outputs are what is served)
        fn = model.predictor if _is_classifier(model) else model
        with kusari.using_config('train', train), \
                kusari.using_config('enable_backprop', True), hook:
            if kind == 'dict':
                out = fn(**dict(zip(names, self.in_vars)))
            elif kind == 'seq':
                out = fn(*self.in_vars)
            else:
                out = fn(self.in_vars[0])
        self.records = hook.records
        self.out_items = _flatten_outputs(out)
        self.functions = self._walk()

    def _walk(self):
        """The functions the outputs depend on, inputs first (a stable DFS order)."""
        order = []
        state = {}
        for _, v in self.out_items:
            root = v.creator_node
            if root is None or id(root) in state:
                continue
            stack = [(root, False)]
            while stack:
                f, done = stack.pop()
                if done:
                    if state.get(id(f)) != 2:
                        state[id(f)] = 2
                        order.append(f)
                    continue
                if id(f) in state:
                    continue
                state[id(f)] = 1
                stack.append((f, True))
                for vn in reversed(f.inputs):
                    c = vn.creator_node
                    if c is not None and id(c) not in state:
                        stack.append((c, False))
        return order


def _copy(model):
    """A deep copy to run, on the CPU (an uncopyable model, holding a file say, runs
    in place)."""
    try:
        work = copy.deepcopy(model)
    except Exception:  # noqa: BLE001
        return model
    if isinstance(work, kusari.Link):
        work.to_device('@numpy')
    return work


def _perturb(a):
    """Other values of the same kind: floats scaled and shifted, others rotated."""
    if a.dtype.kind in 'fc':
        return a * 0.5 + 0.25
    if a.size > 1:
        return numpy.roll(a.reshape(-1), 1).reshape(a.shape)
    return a.copy()


def _is_classifier(model):
    return isinstance(model, kusari.Link) and hasattr(model, 'predictor') and \
        hasattr(model, 'lossfun') and callable(model.predictor)


def _dyn_dims(a, b):
    """Dimensions of two shapes of the same rank that differ (None: ranks differ)."""
    if a is None or b is None or len(a) != len(b):
        return None
    return [i for i, (x, y) in enumerate(zip(a, b)) if x != y]


def _describe(node, index, total, stack):
    where = ''
    if stack:
        # kusari's own frames are those under a directory of the kusari package (not
        # any path with 'kusari' in it: a user's checkout may be named so)
        roots = tuple(os.path.join(os.path.abspath(d), '') for d in kusari.__path__)
        user = [fr for fr in stack if not os.path.abspath(fr.filename).startswith(roots)]
        fr = (user or stack)[-1]
        where = ' called at %s:%d (%s)' % (fr.filename, fr.lineno, fr.line)
    shapes = ', '.join(str(vn.shape) for vn in node.inputs)
    return ('function #%d of %d (in forward order) %s on inputs of shape %s%s'
            % (index + 1, total, type(node).__name__, shapes, where))


def _normalize_dynamic_axes(dynamic_axes, in_names, out_names):
    res = {}
    if dynamic_axes is None:
        return res
    if not isinstance(dynamic_axes, dict):
        raise ExportError('kusari.onnx.export: dynamic_axes must be a dict of '
                          '{input or output name: {axis: dim name} or [axes]}, got %s'
                          % type(dynamic_axes).__name__)
    for name, axes in dynamic_axes.items():
        if name not in in_names and name not in out_names:
            raise ExportError(
                'kusari.onnx.export: dynamic_axes names %r, which is neither an input '
                '(%s) nor an output (%s)' % (name, ', '.join(in_names),
                                            ', '.join(out_names)))
        if isinstance(axes, dict):
            res[name] = {int(k): str(v) for k, v in axes.items()}
        else:
            res[name] = {int(k): '%s_dim%d' % (name, int(k)) for k in axes}
    return res


def export(model, args, filename=None, export_params=True, graph_name='Graph',
           save_text=False, opset_version=None, train=False, input_names=None,
           output_names=None, return_named_inout=False, external_converters=None,
           external_opset_imports=None, dynamic_axes=None, check=False):
    """Export a kusari model to ONNX (onnx-chainer's ``export``).

    The model is called once on ``args`` (under ``kusari.using_config('train',
    train)``, on a deep copy, so the model and its state are left as they were); the
    graph that kusari recorded from the inputs to the outputs is converted function by
    function.  Parameters become initializers named by their link path
    (``/predictor/l1/W``); other constant inputs of functions become initializers too.
    A classifier (a Link with ``predictor`` and ``lossfun``, like ``L.Classifier``) is
    exported as its predictor: ``args`` are the predictor's inputs and the outputs are
    its scores, while parameter names keep the ``/predictor`` prefix.

    Args:
        model (callable): a Link/Chain (or any callable) taking ``args``.
        args: a NumPy array or Variable, a list/tuple of them (positional arguments) or
            a dict of them (keyword arguments; the keys name the ONNX inputs).
        filename (str or file): where to write the ``.onnx`` model (atomically); None
            writes nothing.
        export_params (bool): store the parameters as initializers; False makes them
            graph inputs instead.
        graph_name (str): the ONNX graph's name.
        save_text (bool): also write a readable dump to ``filename + '.txt'``.
        opset_version (int): the default-domain opset; None: the newest supported
            (:func:`kusari.onnx.default_opset`).
        train (bool): export training behaviour (dropout on, batch statistics).
        input_names (list or dict): ONNX input names (default ``Input_0``, ...); a dict
            maps default names to new ones.
        output_names (list or dict): ONNX output names (default ``Output_0``, ... or the
            keys of a dict the model returns).
        return_named_inout (bool): also return the inputs and outputs by name.
        external_converters (dict): ``{'ClassName' or 'module.ClassName': fn}`` with
            ``fn(ctx, node, inputs, outputs)`` (see :class:`kusari.onnx.Context`), or an
            onnx-chainer converter ``fn(params)`` returning NodeProtos (``params`` has
            ``func``, ``opset_version``, ``input_names``, ``output_names``,
            ``context``); they take precedence over the built-in converters.
        external_opset_imports (dict): ``{domain: version}`` of custom operator domains
            that external converters use.
        dynamic_axes (dict): ``{input or output name: {axis: 'name'} or [axis, ...]}``,
            e.g. ``{'Input_0': [0], 'Output_0': [0]}`` for a variable batch size.  The
            model is run a second time (on another copy) with each of those axes
            multiplied by its own prime (axes of one name share one), to find every
            shape that follows them.
        check (bool): run the exported model in ONNX Runtime (``kusari-onnx[check]``)
            and raise if its outputs differ from kusari's.

    Returns:
        onnx.ModelProto, or ``(model, inputs, outputs)`` with ``return_named_inout``:
        ordered dicts from ONNX names to the input arrays and the output Variables.

    >>> import numpy, kusari, kusari.links as L
    >>> model = L.Linear(3, 2)
    >>> proto = export(model, numpy.zeros((1, 3), numpy.float32))
    >>> [i.name for i in proto.graph.initializer]
    ['/W', '/b']
    """
    opset = _opset.resolve(opset_version)
    items, kind = _flatten_args(args)
    arrays = [_to_array(v, 'argument %s' % (k if k is not None else i))
              for i, (k, v) in enumerate(items)]
    arg_names = [k for k, _ in items]
    default_in = [k if k is not None else
                  (v.name if isinstance(v, kusari.Variable) and v.name else 'Input_%d' % i)
                  for i, (k, v) in enumerate(items)]
    in_names = _rename(default_in, input_names, 'input_names')
    external = dict(external_converters or {})

    trace = _Trace(_copy(model), arrays, kind, arg_names, train, external)
    default_out = [k if k is not None else 'Output_%d' % i
                   for i, (k, _) in enumerate(trace.out_items)]
    out_names = _rename(default_out, output_names, 'output_names')
    if len(set(in_names)) != len(in_names) or len(set(out_names)) != len(out_names):
        raise ExportError('kusari.onnx.export: input and output names must be unique, '
                          'got %s and %s' % (in_names, out_names))
    dyn = _normalize_dynamic_axes(dynamic_axes, in_names, out_names)

    # A second run (on another copy) with other input values, and the dynamic axes
    # doubled, shows which shapes follow those axes and catches values computed from
    # the inputs outside the recorded graph (they would be frozen into the file).
    # each dynamic dimension (axes of one name, or of one size when unnamed) gets a
    # prime factor, so that any size computed from several of them can be traced back
    primes = iter([2, 3, 5, 7, 11, 13])
    factor, sources, axis_factor = {}, [], {}
    for a, n in zip(arrays, in_names):
        for ax in sorted(dyn.get(n, {})):
            if ax >= a.ndim:
                raise ExportError('kusari.onnx.export: dynamic axis %d of input %s, '
                                  'which has %d dimensions' % (ax, n, a.ndim))
            dname = dyn[n][ax]
            group = ('size', a.shape[ax]) if dname == '%s_dim%d' % (n, ax) else dname
            if group not in factor:
                factor[group] = next(primes, None)
                if factor[group] is None:
                    raise ExportError('kusari.onnx.export: at most 6 distinct dynamic '
                                      'dimensions are supported')
                sources.append((n, ax, a.shape[ax], factor[group]))
            axis_factor[(n, ax)] = factor[group]
    probe_arrays = []
    for a, n in zip(arrays, in_names):
        for ax in sorted(dyn.get(n, {})):
            a = numpy.concatenate([a] * axis_factor[(n, ax)], axis=ax)
        probe_arrays.append(_perturb(a))
    probe = _Trace(_copy(model), probe_arrays, kind, arg_names, train, {})
    if [registry.function_key(f) for f in probe.functions] != \
            [registry.function_key(f) for f in trace.functions]:
        raise ExportError(
            'kusari.onnx.export: the functions the model calls change with the input '
            'values%s, so one ONNX graph cannot serve every input (data-dependent '
            'control flow)' % (' or the size of the dynamic axes %s' % dyn if dyn else ''))

    ctx = Context(opset)
    ctx.dyn_sources = sources
    graph_inputs = []
    names = {}          # id(VariableNode) -> ONNX name
    keep = []           # keeps the nodes named above alive
    for v, n, a in zip(trace.in_vars, in_names, arrays):
        ctx.reserve(n)
        names[id(v.node)] = n
        keep.append(v.node)
        shape = [dyn.get(n, {}).get(i, d) for i, d in enumerate(a.shape)]
        graph_inputs.append(make_value_info(n, a.dtype, shape))
    for n in out_names:
        ctx.reserve(n)

    params = {}
    for path, p in trace.model.namedparams() if isinstance(trace.model, kusari.Link) \
            else ():
        if p.array is not None:
            params[id(p.node)] = (path, p)
    param_inputs = []
    used_params = set()

    # the graph outputs get their final names up front (no Identity nodes needed)
    out_of = {}
    extra_identity = []
    for (_, v), n in zip(trace.out_items, out_names):
        key = id(v.node)
        if key in names or key in out_of or v.creator_node is None:
            extra_identity.append(n)
        else:
            out_of[key] = n
            keep.append(v.node)

    def name_of_input(f, i, vn):
        key = id(vn)
        if key in names:
            return names[key]
        if vn.creator_node is None:
            if key in params:
                path, p = params[key]
                names[key] = path
                ctx.reserve(path)
                used_params.add(key)
                if export_params:
                    ctx.initializers.append(numpy_helper.from_array(
                        numpy.array(p.array, order='C'), path))
                else:
                    param_inputs.append(make_value_info(path, p.array.dtype,
                                                        p.array.shape))
                return path
            rec = trace.records.get(id(f))
            data = None if rec is None else rec[1][i]
            if data is None:
                data = vn.data
            if data is None:
                raise ExportError('kusari.onnx.export: input %d of %s is a constant '
                                  'whose value was not recorded' % (i, type(f).__name__))
            data = numpy.asarray(data)
            if _broadcasts(f, data.shape, ctx):
                return _constant(ctx, data, vn.name or 'Constant', expand=False)
            names[key] = _constant(ctx, data, vn.name or 'Constant')
            keep.append(vn)
            return names[key]
        raise ExportError('kusari.onnx.export: internal error: %s used before it was '
                          'computed' % vn.label)

    total = len(trace.functions)
    input_ids = {id(v.node) for v in trace.in_vars}
    for idx, f in enumerate(trace.functions):
        conv_fn = _external_for(external, f)
        if conv_fn is None:
            conv = registry.lookup(f)
            if conv is None or not conv.supports(opset):
                rec = trace.records.get(id(f))
                key = registry.function_key(f)
                reason = 'has no ONNX converter' if conv is None else \
                    'has a converter for opsets %s..%s only, not %d' % (
                        conv.opset[0], conv.opset[1] or 'newest', opset)
                raise UnsupportedFunctionError(
                    'kusari.onnx.export: %s (%s) %s: %s. To export it, pass '
                    'external_converters={%r: fn} where fn(ctx, node, inputs, outputs) '
                    'adds ONNX nodes computing outputs from inputs (see '
                    'kusari.onnx.Context)'
                    % (type(f).__name__, key, reason,
                       _describe(f, idx, total, rec[2] if rec else None),
                       type(f).__name__), key)
            conv_fn = conv.fn
        _set_node_info(ctx, f, trace, probe, idx,
                       lambda vn: vn.creator_node is None and id(vn) not in params
                       and id(vn) not in input_ids)
        g = probe.functions[idx]
        grec = probe.records.get(id(g))
        in_ns_pre = {}
        for i, vn in enumerate(f.inputs):
            if ctx.in_values[i] is None or id(vn) in names:
                continue
            if _dyn_dims(vn.shape, g.inputs[i].shape):
                c = _dynamic_constant(ctx, f, i, g.inputs[i].shape,
                                      expand=not _broadcasts(f, vn.shape, ctx))
                if _broadcasts(f, vn.shape, ctx):
                    in_ns_pre[i] = c
                else:
                    names[id(vn)] = c
                    keep.append(vn)
            elif grec is not None and not numpy.array_equal(
                    numpy.asarray(ctx.in_values[i]), numpy.asarray(grec[1][i]),
                    equal_nan=ctx.in_values[i].dtype.kind in 'fc'):
                rec = trace.records.get(id(f))
                raise ExportError(
                    'kusari.onnx.export: input %d of %s is an array computed from the '
                    'model inputs outside the recorded graph (through .array, NumPy, or '
                    'a function without gradient such as F.sign/F.floor/F.argmax '
                    'on the way), or drawn at random; it would be frozen into the file. '
                    'Compute it with differentiable kusari functions. At %s'
                    % (i, type(f).__name__, _describe(f, idx, total,
                                                      rec[2] if rec else None)))
        in_ns = [in_ns_pre[i] if i in in_ns_pre else name_of_input(f, i, vn)
                 for i, vn in enumerate(f.inputs)]
        outs = []
        out_nodes = [r() for r in f.outputs]
        for j, vn in enumerate(out_nodes):
            if vn is not None and id(vn) in out_of:
                n = out_of[id(vn)]
            else:
                n = ctx.unique('%s_%d_y%d' % (type(f).__name__, idx, j)
                               if len(out_nodes) > 1 else
                               '%s_%d' % (type(f).__name__, idx))
            outs.append(n)
            if vn is not None:
                names[id(vn)] = n
                keep.append(vn)
        conv_fn(ctx, f, in_ns, outs)

    graph_outputs = []
    for (_, v), n in zip(trace.out_items, out_names):
        if n in extra_identity:
            src = names.get(id(v.node))
            if src is None:
                src = name_of_input(None, 0, v.node) if v.node.creator_node is None \
                    else None
            if src is None:
                src = ctx.const(v.array)
            ctx.op('Identity', [src], outputs=[n])
        shape = list(v.shape)
        pv = probe.out_items[out_names.index(n)][1]
        for d in _dyn_dims(v.shape, pv.shape) or ():
            shape[d] = '%s_dim%d' % (n, d)
        for d, dn in dyn.get(n, {}).items():
            if d < len(shape):
                shape[d] = dn
        graph_outputs.append(make_value_info(n, v.dtype, shape))

    used = {n for node in ctx.nodes for n in node.input} | set(out_names)
    inits = [t for t in ctx.initializers if t.name in used]
    graph = helper.make_graph(ctx.nodes, graph_name, graph_inputs + param_inputs,
                              graph_outputs, initializer=inits)
    opsets = [helper.make_opsetid('', opset)]
    for domain, version in (external_opset_imports or {}).items():
        opsets.append(helper.make_opsetid(domain, int(version)))
    proto = helper.make_model(graph, opset_imports=opsets, producer_name='kusari.onnx',
                              producer_version=_version())
    proto.ir_version = _opset.ir_version(opset)
    # constants may be emitted after their use in the list: ONNX wants them sorted
    # only in nodes, which converters add in order; initializers are unordered.

    named_in = collections.OrderedDict(zip(in_names, arrays))
    named_out = collections.OrderedDict(
        (n, v) for (_, v), n in zip(trace.out_items, out_names))
    if check:
        from kusari.onnx.check import check_outputs
        check_outputs(proto, named_in, named_out)
    if filename is not None:
        _write(proto, filename, save_text)
    if return_named_inout:
        return proto, named_in, named_out
    return proto


def _set_node_info(ctx, f, trace, probe, idx, is_const):
    outs = [r() for r in f.outputs]
    ctx.in_shapes = tuple(vn.shape for vn in f.inputs)
    ctx.in_dtypes = tuple(numpy.dtype(vn.dtype) for vn in f.inputs)
    ctx.out_shapes = tuple(None if vn is None else vn.shape for vn in outs)
    ctx.out_dtypes = tuple(None if vn is None else numpy.dtype(vn.dtype) for vn in outs)
    rec = trace.records.get(id(f))
    ctx.in_values = tuple(
        (None if rec is None else rec[1][i]) if is_const(vn) else None
        for i, vn in enumerate(f.inputs))
    # the probe run tells which dimensions follow the dynamic axes (marked -1)
    g = probe.functions[idx]
    pouts = [r() for r in g.outputs]
    ctx.probe_out_shapes = tuple(None if b is None else b.shape for b in pouts)
    ctx.dyn_out_shapes = tuple(
        _mark(a, b) for a, b in zip(ctx.out_shapes, ctx.probe_out_shapes))
    ctx.dyn_in_shapes = tuple(_mark(a, b.shape) for a, b in zip(ctx.in_shapes, g.inputs))
    ctx.function = f


def _mark(shape, other):
    if shape is None:
        return None
    d = _dyn_dims(shape, other)
    if d is None:
        return shape
    return tuple(-1 if i in d else s for i, s in enumerate(shape))


# elementwise operators that broadcast as ONNX does: a constant input repeated along
# some axes can be given to them without its repeats
_BROADCASTING = {'kusari._core.' + n for n in ('Add', 'Sub', 'Mul', 'Div', 'PowVarVar')} | {
    'kusari.functions.math.minmax_elementwise.Maximum',
    'kusari.functions.math.minmax_elementwise.Minimum'}


def _broadcasts(f, shape, ctx):
    return f is not None and registry.function_key(f) in _BROADCASTING and \
        len(f.inputs) == 2 and tuple(ctx.out_shapes[0] or ()) == tuple(shape)


def _constant(ctx, value, name, expand=True):
    """A constant; one that repeats along some axes (running statistics broadcast to
    the activations' shape) is stored once and expanded in the graph (or given as it
    is to an operator that broadcasts)."""
    reduced = value
    if value.size > 64:
        for d in range(value.ndim):
            if reduced.shape[d] > 1:
                first = reduced.take([0], axis=d)
                if numpy.array_equal(reduced, numpy.broadcast_to(first, reduced.shape),
                                     equal_nan=value.dtype.kind in 'fc'):
                    reduced = first
    if reduced.size == value.size:
        return ctx.const(value, name=name)
    if not expand:
        return ctx.const(reduced, name=name)
    return ctx.op('Expand', [ctx.const(reduced, name=name), ctx.ints(value.shape)])


def _dynamic_constant(ctx, f, i, probe_shape, expand=True):
    """A constant input whose shape follows the dynamic axes (an initial state of
    zeros, running statistics broadcast to the batch) is rebuilt in the graph: its one
    slice along those axes is stored and expanded to the inputs' sizes.  A constant
    that varies along a dynamic axis cannot be."""
    value = numpy.asarray(ctx.in_values[i])
    shape = ctx.in_shapes[i]
    reduced = value
    for d, (s1, s2) in enumerate(zip(shape, probe_shape)):
        if s1 != s2:
            first = reduced.take([0], axis=d) if s1 else None
            if first is None or not numpy.all(reduced == first):
                raise ExportError(
                    'kusari.onnx.export: input %d of %s is a constant (an array computed '
                    'outside the recorded graph) of shape %s that varies along '
                    'dimension %d, which follows the dynamic axes, so it cannot be '
                    'stored in the file; make it depend on the input through kusari '
                    'functions, or export without dynamic_axes'
                    % (i, type(f).__name__, shape, d))
            reduced = first
    for d in range(reduced.ndim):  # and along the other axes it repeats on
        if reduced.shape[d] > 1:
            first = reduced.take([0], axis=d)
            if numpy.array_equal(reduced, numpy.broadcast_to(first, reduced.shape)):
                reduced = first
    if not expand:
        return ctx.const(reduced)
    target = ctx.runtime_shape(shape, probe_shape, 'input %d of %s' % (i, type(f).__name__))
    return ctx.op('Expand', [ctx.const(reduced), target])


def _rename(defaults, given, what):
    if given is None:
        return list(defaults)
    if isinstance(given, dict):
        unknown = set(given) - set(defaults)
        if unknown:
            raise ExportError('kusari.onnx.export: %s renames %s, which are not among %s'
                              % (what, sorted(unknown), defaults))
        return [given.get(d, d) for d in defaults]
    if isinstance(given, str):
        given = [given]
    given = list(given)
    if len(given) != len(defaults):
        raise ExportError('kusari.onnx.export: %s has %d names but there are %d: %s'
                          % (what, len(given), len(defaults), defaults))
    return [str(g) for g in given]


def _version():
    try:
        from importlib.metadata import version
        return version('kusari-onnx')
    except Exception:  # noqa: BLE001
        return '0.1.0'


def _write(proto, filename, save_text):
    data = proto.SerializeToString()
    if hasattr(filename, 'write'):
        filename.write(data)
        return
    filename = os.fspath(filename)
    _atomic_write(filename, data)
    if save_text:
        printer = getattr(onnx, 'printer', None)
        text = printer.to_text(proto) if printer is not None else \
            onnx.helper.printable_graph(proto.graph)
        _atomic_write(filename + '.txt', text.encode('utf-8'))


def _atomic_write(path, data):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=d, prefix='.' + os.path.basename(path) + '.')
    try:
        with os.fdopen(fd, 'wb') as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
