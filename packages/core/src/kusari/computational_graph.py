"""Visualizing computational graphs (``chainer.computational_graph``).

:func:`build_computational_graph` collects the variable and function nodes
backward-reachable from some outputs; :meth:`ComputationalGraph.dump` writes the
graph in the Graphviz DOT language (render it with ``dot -Tpng graph.dot``).
"""
from kusari._core import FunctionNode
from kusari._core import Variable
from kusari._core import VariableNode

# The defaults documented below; keep the docstrings in sync.
_var_style = {'shape': 'octagon', 'fillcolor': '#E0E0E0', 'style': 'filled'}
_func_style = {'shape': 'record', 'fillcolor': '#6495ED', 'style': 'filled'}


def _quote(value):
    return '"{}"'.format(str(value).replace('\\', '\\\\').replace('"', '\\"'))


def _variable_label(node):
    label = getattr(node, 'label', None)
    if label is not None:
        return label
    shape = node.shape
    if shape == ():
        return str(node.dtype)
    return '({}), {}'.format(', '.join(map(str, shape)), node.dtype)


class DotNode:
    """A graph node with its Graphviz attributes.

    Args:
        node (VariableNode or FunctionNode): The node.
        attribute (dict): Extra DOT attributes (``shape``, ``fillcolor``, ...);
            they override the defaults (``shape=oval`` for variables and
            ``shape=box`` for functions).
        show_name (bool): If ``True``, a variable's ``name`` (when set) is
            prepended to its label as ``'name: label'``.

    Attributes:
        node: The node.
        id_ (int): ``id(node)``, used as the DOT node id.
        attribute (dict): The DOT attributes, including ``label``.
    """

    def __init__(self, node, attribute=None, show_name=True):
        if not isinstance(node, (VariableNode, FunctionNode)):
            raise TypeError('DotNode needs a VariableNode or a FunctionNode, not '
                            '{}'.format(type(node).__name__))
        self.node = node
        self.id_ = id(node)
        if isinstance(node, VariableNode):
            label = _variable_label(node)
            if show_name and node.name is not None:
                label = '{}: {}'.format(node.name, label)
            self.attribute = {'label': label, 'shape': 'oval'}
        else:
            self.attribute = {'label': node.label, 'shape': 'box'}
        if attribute is not None:
            self.attribute.update(attribute)

    @property
    def label(self):
        """The DOT statement of this node: ``'<id> [key="value",...];'``."""
        attrs = ','.join('{}={}'.format(k, _quote(v))
                         for k, v in self.attribute.items())
        return '{} [{}];'.format(self.id_, attrs)


class ComputationalGraph:
    """A computational graph: variable / function nodes and the edges between them.

    The graph is assumed to be directed and acyclic. Edges go from a variable to
    the function that takes it as input, and from a function to its outputs.

    Args:
        nodes (list): :class:`VariableNode` and :class:`FunctionNode` objects.
        edges (list): ``(head, tail)`` pairs of nodes.
        variable_style (dict, ``'default'`` or None): DOT attributes of variable
            nodes. ``'default'`` means
            ``{'shape': 'octagon', 'fillcolor': '#E0E0E0', 'style': 'filled'}``;
            ``None`` means none (plain ovals).
        function_style (dict, ``'default'`` or None): DOT attributes of function
            nodes. ``'default'`` means
            ``{'shape': 'record', 'fillcolor': '#6495ED', 'style': 'filled'}``.
        rankdir (str): Layout direction: ``'TB'`` (top to bottom), ``'BT'``,
            ``'LR'`` or ``'RL'``.
        remove_variable (bool): If ``True``, variable nodes are left out and
            functions are connected directly.
        show_name (bool): If ``True``, variable names are shown in the labels.
    """

    def __init__(self, nodes, edges, variable_style='default',
                 function_style='default', rankdir='TB', remove_variable=False,
                 show_name=True):
        if variable_style is None:
            variable_style = {}
        elif isinstance(variable_style, str) and variable_style == 'default':
            variable_style = dict(_var_style)
        if function_style is None:
            function_style = {}
        elif isinstance(function_style, str) and function_style == 'default':
            function_style = dict(_func_style)
        if rankdir not in ('TB', 'BT', 'LR', 'RL'):
            raise ValueError("rankdir must be 'TB', 'BT', 'LR' or 'RL', got "
                             "{!r}".format(rankdir))
        self.nodes = nodes
        self.edges = edges
        self.variable_style = variable_style
        self.function_style = function_style
        self.rankdir = rankdir
        self.remove_variable = remove_variable
        self.show_name = show_name

    def _function_edges(self):
        """Edges between functions only (for ``remove_variable``)."""
        consumers = {}
        for head, tail in self.edges:
            if isinstance(head, VariableNode) and isinstance(tail, FunctionNode):
                consumers.setdefault(id(head), []).append(tail)
        result = []
        seen = set()
        for head, tail in self.edges:
            if isinstance(head, FunctionNode) and isinstance(tail, VariableNode):
                for f in consumers.get(id(tail), ()):
                    key = (id(head), id(f))
                    if key not in seen:
                        seen.add(key)
                        result.append((head, f))
        return result

    def _to_dot(self):
        out = ['digraph graphname{rankdir=%s;' % self.rankdir]
        for node in self.nodes:
            if isinstance(node, VariableNode):
                if not self.remove_variable:
                    out.append(DotNode(node, self.variable_style,
                                       self.show_name).label)
            elif isinstance(node, FunctionNode):
                out.append(DotNode(node, self.function_style, self.show_name).label)
            else:
                raise TypeError('graph nodes must be VariableNode or FunctionNode, '
                                'not {}'.format(type(node).__name__))
        if self.remove_variable:
            edges = self._function_edges()
        else:
            edges = self.edges
            for head, tail in edges:
                if isinstance(head, VariableNode) == isinstance(tail, VariableNode):
                    raise TypeError('each edge must connect a VariableNode and a '
                                    'FunctionNode')
        drawn = set()
        for head, tail in edges:
            key = (id(head), id(tail))
            if key in drawn:
                continue
            drawn.add(key)
            out.append('%d -> %d;' % key)
        out.append('}')
        return ''.join(out)

    def dump(self, format='dot'):
        """Return the graph as text.

        Args:
            format (str): Output language; only ``'dot'`` (Graphviz) is supported.

        Returns:
            str: The graph in the DOT language.
        """
        if format == 'dot':
            return self._to_dot()
        raise NotImplementedError("only the 'dot' format is supported, got "
                                  "{!r}".format(format))


def build_computational_graph(outputs, remove_split=True, variable_style='default',
                              function_style='default', rankdir='TB',
                              remove_variable=False, show_name=True):
    """Build the graph of variables and functions backward-reachable from ``outputs``.

    Starting at each output, the traversal follows ``variable.creator_node`` to
    the function that created it and ``function.inputs`` to its input variable
    nodes.  Graph parts cut by ``unchain_backward`` are not reached.

    For example, for the graph ``x -> f -> y`` and ``x -> g -> z``,
    ``outputs=[y, z]`` gives the whole graph while ``outputs=[y]`` gives only
    ``x -> f -> y``.

    Args:
        outputs (Variable, VariableNode, FunctionNode or list of them): Where the
            traversal starts.
        remove_split (bool): Must be ``True`` (kept for compatibility).
        variable_style (dict, ``'default'`` or None): DOT attributes of
            variables; see :class:`ComputationalGraph`.
        function_style (dict, ``'default'`` or None): DOT attributes of
            functions; see :class:`ComputationalGraph`.
        rankdir (str): ``'TB'``, ``'BT'``, ``'LR'`` or ``'RL'``.
        remove_variable (bool): If ``True``, only functions are drawn.
        show_name (bool): If ``True``, variable names are shown.

    Returns:
        ComputationalGraph: The graph; ``.dump()`` gives its DOT text.

    Raises:
        ValueError: if ``remove_split`` is ``False``.
        TypeError: if an output is not a Variable, VariableNode or FunctionNode.
    """
    if not remove_split:
        raise ValueError('remove_split=False is not supported anymore')
    output_types = (Variable, VariableNode, FunctionNode)
    if isinstance(outputs, output_types):
        outputs = [outputs]
    else:
        outputs = list(outputs)
        for o in outputs:
            if not isinstance(o, output_types):
                raise TypeError('each element of outputs must be a Variable, '
                                'VariableNode or FunctionNode, not '
                                '{}'.format(type(o).__name__))

    nodes = []
    node_ids = set()
    edges = []
    edge_ids = set()

    def add_node(n):
        if id(n) not in node_ids:
            node_ids.add(id(n))
            nodes.append(n)
            return True
        return False

    def add_edge(head, tail):
        key = (id(head), id(tail))
        if key not in edge_ids:
            edge_ids.add(key)
            edges.append((head, tail))

    stack = []
    for o in outputs:
        if isinstance(o, Variable):
            o = o.node
        if add_node(o):
            stack.append(o)

    while stack:
        cand = stack.pop()
        if isinstance(cand, VariableNode):
            creator = cand.creator_node
            if creator is not None:
                add_edge(creator, cand)
                if add_node(creator):
                    stack.append(creator)
        else:
            for input_ in cand.inputs:
                if input_ is None or input_ is cand:
                    continue
                add_edge(input_, cand)
                if add_node(input_):
                    stack.append(input_)

    return ComputationalGraph(nodes, edges, variable_style, function_style,
                              rankdir, remove_variable, show_name)
