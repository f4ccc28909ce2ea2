"""Core modules that exist for Chainer's names: basic_math, backends.intel64,
utils.tempdir, utils.experimental, backend.get_cpu_array_types/is_arrays_compatible."""
import os
import warnings

import numpy
import pytest

import kusari
from kusari import backend
from kusari import basic_math
from kusari import utils


def test_basic_math_nodes_are_what_operators_apply():
    x = kusari.Variable(numpy.array([1., 2.]))
    y = kusari.Variable(numpy.array([3., 4.]))
    cases = [(x + y, basic_math.Add, '_ + _'), (x - y, basic_math.Sub, '_ - _'),
             (x * y, basic_math.Mul, '_ * _'), (x / y, basic_math.Div, '_ / _'),
             (x ** y, basic_math.PowVarVar, '_ ** _'), (-x, basic_math.Neg, '__neg__'),
             (abs(x), basic_math.Absolute, '|_|'),
             (x + 2.0, basic_math.AddConstant, '_ + 2.0'),
             (2.0 - x, basic_math.SubFromConstant, '2.0 - _'),
             (x * 2.0, basic_math.MulConstant, '_ * 2.0'),
             (2.0 / x, basic_math.DivFromConstant, '2.0 / _'),
             (x ** 2.0, basic_math.PowVarConst, '_ ** 2.0'),
             (2.0 ** x, basic_math.PowConstVar, '2.0 ** _')]
    for out, cls, label in cases:
        assert isinstance(out.creator, cls), cls
        assert out.creator.label == label
    numpy.testing.assert_allclose((x * y).array, [3., 8.])


def test_convert_value_to_string():
    f = basic_math._convert_value_to_string
    assert (f(2), f(0), f(-2), f(2.0), f(-2.0), f(numpy.float32(2))) == \
        ('2', '0', '(-2)', '2.0', '(-2.0)', '2.0')
    assert f(numpy.array([1, 2])) == 'constant array'
    assert f(kusari.Variable(numpy.array([1., 2.]))) == 'constant array'
    with pytest.raises(ValueError):
        f('text')


def test_intel64_is_never_available():
    from kusari.backends import intel64
    assert not intel64.is_ideep_available()
    assert not intel64.should_use_ideep('>=auto')
    assert not intel64.inputs_all_ready((numpy.zeros((2, 2)),))
    with pytest.raises(RuntimeError, match='iDeep'):
        intel64.check_ideep_available()


def test_cpu_array_types_and_compatibility():
    assert backend.get_cpu_array_types() == (numpy.ndarray,)
    assert backend.is_arrays_compatible([numpy.zeros(1), None, numpy.ones(3)])
    assert backend.is_arrays_compatible([])


def test_tempdir_lifetime_and_kwargs():
    with utils.tempdir(prefix='kusari-t-') as d:
        assert os.path.isdir(d) and os.path.basename(d).startswith('kusari-t-')
        open(os.path.join(d, 'f'), 'w').close()
    assert not os.path.exists(d)


def test_experimental_warns_unless_disabled():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        utils.experimental('MyLink.forward')
    assert len(w) == 1 and w[0].category is FutureWarning
    assert 'MyLink.forward is experimental.' in str(w[0].message)
    old = getattr(kusari, 'disable_experimental_feature_warning', False)
    kusari.disable_experimental_feature_warning = True
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            utils.experimental('f')
        assert w == []
    finally:
        kusari.disable_experimental_feature_warning = old


def test_collections_abc_alias():
    import collections.abc
    assert utils.collections_abc is collections.abc


def test_get_order():
    from kusari.utils import sparse
    assert utils.get_order is sparse.get_order
    row = numpy.array([0, 0, 1, 1, 2])
    col = numpy.array([0, 1, 1, 2, 2])
    assert utils.get_order(row, col) == 'C' and utils.get_order(col, row) == 'C'
    row, col = numpy.array([0, 2, 4, 1, 3]), numpy.array([1, 3, 0, 2, 4])
    assert utils.get_order(row, col) == 'other'
    dense = numpy.array([[1., 0., 2.], [0., 3., 4.]], numpy.float32)
    coo = utils.to_coo(dense)
    assert utils.get_order(coo.row, coo.col) == 'C'
    assert utils.get_order(coo.col, coo.row) == 'F'
    batched = numpy.array([[0, 1, -1], [0, 0, 1]]), numpy.array([[1, 0, -1], [0, 2, 1]])
    assert utils.get_order(*batched) == 'C'
    with pytest.raises(ValueError):
        utils.get_order(numpy.array([0, 1]), numpy.array([0, 1, 2]))
    with pytest.raises(ValueError):
        utils.get_order(numpy.array([0, -1]), numpy.array([-1, 1]))


def test_cpu_device_from_array():
    assert backend.CpuDevice.from_array(numpy.zeros(1)) == backend.CpuDevice()
    assert backend.CpuDevice.from_array(1) is None


def test_cudnn_is_never_used():
    from kusari.backends import cuda
    assert cuda.cudnn_enabled is False
    assert cuda.should_use_cudnn('>=auto') is False
    assert cuda.should_use_cudnn_tensor_core(numpy.float16) is False
    with pytest.raises(ValueError):
        cuda.should_use_cudnn('sometimes')


def test_light_type_info_tuple():
    from kusari.utils import type_check
    t = type_check.get_light_types((numpy.zeros(2), numpy.ones(3)))
    assert isinstance(t, type_check.LightTypeInfoTuple) and t.size() == 2
    assert t[1].shape == (3,)


def test_mixed16_and_get_dtype():
    from kusari import configuration
    m = configuration.mixed16
    assert repr(m) == "dtype('mixed16')" and numpy.dtype(m) == numpy.float16
    assert configuration.get_dtype(m) == numpy.float16
    assert configuration.get_dtype(m, map_mixed16=numpy.float32) == numpy.float32
    assert configuration.get_dtype(numpy.float64, map_mixed16=numpy.float32) == \
        numpy.float64
    with kusari.using_config('dtype', numpy.float64):
        assert configuration.get_dtype() == numpy.float64
