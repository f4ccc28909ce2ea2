"""Variable: construction, properties, gradients, devices, repr."""
import copy
import pickle

import numpy
import pytest

import kusari
from kusari import Variable


def test_construction_and_properties():
    a = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    v = Variable(a, name='x')
    assert v.array is a and v.data is a
    assert v.shape == (2, 3) and v.ndim == 2 and v.size == 6
    assert v.dtype == numpy.float32
    assert v.name == 'x'
    assert v.xp is numpy
    assert v.rank == 0
    assert v.creator is None and v.creator_node is None
    assert v.requires_grad
    assert len(v) == 2
    assert v.label == '(2, 3), float32'
    assert isinstance(v.device, kusari.backend.CpuDevice)


def test_construction_rejects_non_arrays():
    with pytest.raises(TypeError, match='Variable'):
        Variable([1.0, 2.0])
    with pytest.raises(TypeError):
        Variable(numpy.float32(1.0))


def test_requires_grad_false_gets_no_grad():
    x = Variable(numpy.ones(3, numpy.float32), requires_grad=False)
    w = Variable(numpy.full(3, 2, numpy.float32))
    y = x * w
    y.grad = numpy.ones(3, numpy.float32)
    y.backward()
    assert x.grad is None
    numpy.testing.assert_array_equal(w.grad, numpy.ones(3))


def test_repr_and_str_like_chainer():
    v = Variable(numpy.array([1., 2., 3.], numpy.float32))
    assert repr(v) == 'variable([1., 2., 3.])'
    assert str(v) == 'variable([1. 2. 3.])'
    w = Variable(numpy.zeros((2, 0), numpy.float32), name='w')
    assert repr(w) == 'variable w([], shape=(2, 0))'
    assert repr(Variable()) == 'variable(None)'


def test_grad_setter_checks_shape_and_dtype():
    v = Variable(numpy.zeros(3, numpy.float32))
    with pytest.raises(ValueError, match='shape'):
        v.grad = numpy.zeros(4, numpy.float32)
    with pytest.raises(TypeError, match='dtype'):
        v.grad = numpy.zeros(3, numpy.float64)
    v.grad = numpy.ones(3, numpy.float32)
    assert v.grad_var.array is v.grad
    v.cleargrad()
    assert v.grad is None
    v.zerograd()
    numpy.testing.assert_array_equal(v.grad, numpy.zeros(3))


def test_addgrad_and_copydata():
    a = Variable(numpy.ones(3, numpy.float32))
    b = Variable(numpy.arange(3, dtype=numpy.float32))
    b.grad = numpy.full(3, 2, numpy.float32)
    a.addgrad(b)
    numpy.testing.assert_array_equal(a.grad, [2, 2, 2])
    a.addgrad(b)
    numpy.testing.assert_array_equal(a.grad, [4, 4, 4])
    arr = a.array
    a.copydata(b)
    assert a.array is arr
    numpy.testing.assert_array_equal(a.array, [0, 1, 2])


def test_item_and_len_errors():
    assert Variable(numpy.array(3.5)).item() == 3.5
    with pytest.raises(ValueError):
        Variable(numpy.zeros(2)).item()
    with pytest.raises(TypeError):
        len(Variable(numpy.array(1.0)))


def test_comparison_and_bool_are_refused():
    v = Variable(numpy.zeros(2))
    with pytest.raises(NotImplementedError):
        v == v
    with pytest.raises(NotImplementedError):
        bool(v)
    assert hash(v) == hash(v)
    assert {v: 1}[v] == 1


def test_reshape_transpose_T_getitem():
    a = numpy.arange(24, dtype=numpy.float64).reshape(2, 3, 4)
    v = Variable(a)
    numpy.testing.assert_array_equal(v.reshape(6, 4).array, a.reshape(6, 4))
    numpy.testing.assert_array_equal(v.reshape((4, 6)).array, a.reshape(4, 6))
    numpy.testing.assert_array_equal(v.transpose().array, a.transpose())
    numpy.testing.assert_array_equal(v.transpose(1, 0, 2).array, a.transpose(1, 0, 2))
    numpy.testing.assert_array_equal(v.T.array, a.T)
    numpy.testing.assert_array_equal(v[1, ..., ::2].array, a[1, ..., ::2])
    numpy.testing.assert_array_equal(v[:, [0, 2]].array, a[:, [0, 2]])
    numpy.testing.assert_array_equal(v[a > 10].array, a[a > 10])


def test_getitem_gradient_accumulates_duplicates():
    v = Variable(numpy.arange(4, dtype=numpy.float64))
    y = v[numpy.array([0, 0, 3])]
    y.grad = numpy.ones(3)
    y.backward()
    numpy.testing.assert_array_equal(v.grad, [2, 0, 0, 1])


def test_to_device_on_cpu():
    v = Variable(numpy.ones(2, numpy.float32))
    v.grad = numpy.ones(2, numpy.float32)
    v.to_device('@numpy')
    v.to_cpu()
    assert isinstance(v.array, numpy.ndarray) and isinstance(v.grad, numpy.ndarray)
    with pytest.raises(ValueError):
        v.to_device('@tpu:0')


def test_copy_and_pickle_drop_graph_keep_values():
    x = Variable(numpy.arange(3, dtype=numpy.float32), name='x')
    y = x * 2.0
    y.grad = numpy.ones(3, numpy.float32)
    z = copy.deepcopy(y)
    assert z.creator is None
    numpy.testing.assert_array_equal(z.array, y.array)
    assert z.array is not y.array
    s = copy.copy(y)
    assert s.array is y.array and s.creator_node is y.creator_node
    p = pickle.loads(pickle.dumps(x))
    assert p.name == 'x'
    numpy.testing.assert_array_equal(p.array, x.array)


def test_array_setter_updates_node_info():
    v = Variable(numpy.zeros(3, numpy.float32))
    v.array = numpy.zeros((2, 2), numpy.float64)
    assert v.node.shape == (2, 2) and v.node.dtype == numpy.float64
    with pytest.raises(TypeError):
        v.array = [1, 2]


def test_parameter_lazy_initialization():
    p = kusari.Parameter(kusari.initializers.Constant(0.5))
    assert not p.is_initialized and p.array is None
    p.initialize((2, 3))
    assert p.is_initialized
    numpy.testing.assert_array_equal(p.array, numpy.full((2, 3), 0.5, numpy.float32))
    # Chainer initializes a parameter's gradient with NaN until cleargrad()
    assert numpy.isnan(p.grad).all()


def test_parameter_from_array_and_scalar():
    a = numpy.arange(3, dtype=numpy.float32)
    p = kusari.Parameter(a)
    assert p.array is a
    q = kusari.Parameter(2.0, (2,))
    numpy.testing.assert_array_equal(q.array, [2, 2])
    r = kusari.Parameter()
    r.cleargrad()
    r.initialize((2,))
    assert r.grad is None and numpy.isnan(r.array).all()


def test_parameter_update_calls_rule():
    calls = []

    class Rule:
        def update(self, param):
            calls.append(param)

    p = kusari.Parameter(numpy.zeros(2, numpy.float32))
    p.update()   # no rule: nothing
    p.update_rule = Rule()
    p.update()
    assert calls == [p]
