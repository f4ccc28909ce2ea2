import re

import numpy
import pytest

import kusari
from kusari import computational_graph as c


def _graph():
    """x -> Mul(x, x) -> h; (h, x) -> Add -> y; x -> Neg -> z."""
    x = kusari.Variable(numpy.ones((2, 3), numpy.float32), name='x')
    h = x * x
    y = h + x
    y.name = 'y'
    z = -x
    return x, h, y, z


def _node_ids(dot):
    return set(re.findall(r'(\d+) \[', dot))


def _edges(dot):
    return set(re.findall(r'(\d+) -> (\d+);', dot))


def test_nodes_and_edges():
    x, h, y, z = _graph()
    g = c.build_computational_graph(y)
    mul = h.creator_node
    add = y.creator_node
    ids = {id(n) for n in g.nodes}
    assert ids == {id(x.node), id(h.node), id(y.node), id(mul), id(add)}
    assert id(z.creator_node) not in ids
    edges = {(id(a), id(b)) for a, b in g.edges}
    assert edges == {
        (id(x.node), id(mul)), (id(mul), id(h.node)), (id(h.node), id(add)),
        (id(x.node), id(add)), (id(add), id(y.node))}


def test_dump_dot_default_style():
    x, h, y, z = _graph()
    dot = c.build_computational_graph([y]).dump()
    assert dot.startswith('digraph graphname{rankdir=TB;')
    assert dot.endswith('}')
    assert '{} ['.format(id(x.node)) in dot
    assert 'label="x: (2, 3), float32"' in dot
    assert 'label="y: (2, 3), float32"' in dot
    assert 'label="(2, 3), float32"' in dot          # h has no name
    assert 'label="{}"'.format(y.creator_node.label) in dot
    assert 'shape="octagon"' in dot and 'fillcolor="#E0E0E0"' in dot
    assert 'shape="record"' in dot and 'fillcolor="#6495ED"' in dot
    assert ('{} -> {};'.format(id(x.node), id(h.creator_node))) in dot
    assert len(_edges(dot)) == 5
    assert len(_node_ids(dot)) == 5


def test_dump_plain_style_and_options():
    x, h, y, z = _graph()
    dot = c.build_computational_graph(y, variable_style=None, function_style=None,
                                      rankdir='LR', show_name=False).dump('dot')
    assert dot.startswith('digraph graphname{rankdir=LR;')
    assert 'shape="oval"' in dot and 'shape="box"' in dot
    assert 'fillcolor' not in dot
    assert 'x: ' not in dot
    custom = c.build_computational_graph(
        y, variable_style={'color': 'red'}, function_style={'shape': 'circle'}).dump()
    assert 'color="red"' in custom and 'shape="circle"' in custom


def test_multiple_outputs_and_nodes():
    x, h, y, z = _graph()
    g = c.build_computational_graph([y, z])
    ids = {id(n) for n in g.nodes}
    assert id(z.node) in ids and id(z.creator_node) in ids
    g2 = c.build_computational_graph((y.node, z.creator_node))
    ids2 = {id(n) for n in g2.nodes}
    assert id(z.creator_node) in ids2 and id(z.node) not in ids2


def test_remove_variable():
    x, h, y, z = _graph()
    dot = c.build_computational_graph(y, remove_variable=True).dump()
    ids = _node_ids(dot)
    assert ids == {str(id(h.creator_node)), str(id(y.creator_node))}
    assert _edges(dot) == {(str(id(h.creator_node)), str(id(y.creator_node)))}


def test_leaf_only_graph():
    x = kusari.Variable(numpy.zeros(3, numpy.float32))
    dot = c.build_computational_graph(x).dump()
    assert _node_ids(dot) == {str(id(x.node))}
    assert _edges(dot) == set()


def test_scalar_label_and_quote_escaping():
    x = kusari.Variable(numpy.array(1., numpy.float64), name='say "hi"')
    y = x * x
    dot = c.build_computational_graph(y).dump()
    assert 'label="float64"' in dot
    assert 'label="say \\"hi\\": float64"' in dot


def test_unchain_backward_cuts_graph():
    x, h, y, z = _graph()
    h.unchain_backward()
    g = c.build_computational_graph(y)
    assert id(h.creator_node) not in {id(n) for n in g.nodes} \
        if h.creator_node is not None else True
    assert id(x.node) in {id(n) for n in g.nodes}  # still an input of Add


def test_errors():
    x, h, y, z = _graph()
    with pytest.raises(ValueError, match='remove_split'):
        c.build_computational_graph(y, remove_split=False)
    with pytest.raises(TypeError):
        c.build_computational_graph([y, numpy.zeros(2)])
    with pytest.raises(ValueError, match='rankdir'):
        c.build_computational_graph(y, rankdir='XY')
    with pytest.raises(NotImplementedError):
        c.build_computational_graph(y).dump('png')


def test_dot_node():
    x, h, y, z = _graph()
    node = c.DotNode(x.node, {'color': 'blue'})
    assert node.id_ == id(x.node)
    assert node.label.startswith('{} ['.format(id(x.node)))
    assert 'color="blue"' in node.label and node.label.endswith('];')
    with pytest.raises(TypeError):
        c.DotNode(x)
