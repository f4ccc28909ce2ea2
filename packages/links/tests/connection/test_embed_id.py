import numpy
import pytest

import kusari
import kusari.links as L
from kusari import gradient_check
from kusari import initializers
from kusari.utils import type_check

import _links_testing as lt


def test_params_and_initializer():
    link = L.EmbedID(5, 3)
    assert [n for n, _ in link.namedparams()] == ['/W']
    assert link.W.shape == (5, 3)
    assert isinstance(link.W.initializer, initializers.Normal)
    assert link.W.initializer.scale == 1.0


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('ignore_label', [None, -1, 2])
def test_forward(dtype, ignore_label):
    lt.require_F('embed_id')
    with kusari.using_config('dtype', dtype):
        link = L.EmbedID(5, 3, ignore_label=ignore_label)
    x = numpy.array([[0, 4, 2], [-1 if ignore_label == -1 else 1, 3, 2]], numpy.int32)
    ref = link.W.array[numpy.where(x == -1, 0, x)]
    if ignore_label is not None:
        ref = numpy.where((x == ignore_label)[..., None], 0, ref)
    y = link(x)
    assert y.shape == (2, 3, 3) and y.dtype == dtype
    numpy.testing.assert_array_equal(y.array, ref)


def test_backward():
    lt.require_F('embed_id')
    rng = numpy.random.RandomState(0)
    with kusari.using_config('dtype', numpy.float64):
        link = L.EmbedID(4, 2, ignore_label=-1)
    x = numpy.array([0, 3, -1, 0], numpy.int32)
    gy = rng.uniform(-1, 1, (4, 2))
    gradient_check.check_backward(link, x, gy, params=(link.W,), atol=1e-6, rtol=1e-5)


def test_common():
    lt.require_F('embed_id')
    lt.check_common(lambda: L.EmbedID(4, 2), [numpy.array([1, 3, 1], numpy.int32)])


def test_bad_input():
    link = L.EmbedID(4, 2)
    with pytest.raises(type_check.InvalidType) as e:
        link(numpy.zeros(3, numpy.float32))
    lt.assert_invalid(e, 'EmbedID')
    with pytest.raises(ValueError, match='EmbedID'):
        link(numpy.array([0, 4], numpy.int32))
    with pytest.raises(ValueError, match='EmbedID'):
        link(numpy.array([-1], numpy.int32))


@pytest.mark.gpu
def test_gpu():
    lt.check_gpu_round_trip(lambda: L.EmbedID(4, 2),
                            [numpy.array([1, 3, 1], numpy.int32)])


def test_from_params_copies_w():
    W = numpy.arange(6, dtype=numpy.float32).reshape(3, 2)
    src = L.EmbedID(3, 2, initialW=W)
    link = L.EmbedID.from_params(src.W, ignore_label=1)
    assert link.W.shape == (3, 2) and link.ignore_label == 1
    numpy.testing.assert_array_equal(link.W.array, W)
    assert link.W.array is not src.W.array
    numpy.testing.assert_array_equal(
        link(numpy.array([2, 1], numpy.int32)).array, [[4., 5.], [0., 0.]])
    with pytest.raises(ValueError, match='from_params'):
        L.EmbedID.from_params(numpy.zeros(3, numpy.float32))
