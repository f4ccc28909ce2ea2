"""``from_params`` of Linear and ConvolutionND (Chainer's classmethods)."""
import numpy
import pytest

import kusari.links as L


@pytest.mark.parametrize('nobias', [False, True])
def test_linear_from_params_copies(nobias):
    link1 = L.Linear(5, 10, nobias=nobias)
    link2 = L.Linear.from_params(link1.W, link1.b, nobias=nobias)
    assert link2.W.shape == (10, 5) and (link2.b is None) == nobias
    numpy.testing.assert_array_equal(link2.W.array, link1.W.array)
    assert link2.W.array is not link1.W.array
    if not nobias:
        numpy.testing.assert_array_equal(link2.b.array, link1.b.array)
    x = numpy.random.RandomState(0).rand(2, 5).astype(numpy.float32)
    numpy.testing.assert_array_equal(link1(x).array, link2(x).array)


def test_linear_from_params_rejects_bad_shapes():
    with pytest.raises(ValueError, match='Linear.from_params: W must be 2-d'):
        L.Linear.from_params(numpy.ones((3,), numpy.float32))
    with pytest.raises(ValueError, match=r'b must have shape \(3,\)'):
        L.Linear.from_params(numpy.ones((3, 2), numpy.float32), numpy.ones(4, numpy.float32))
    with pytest.raises(ValueError, match='initialized parameter or an array'):
        L.Linear.from_params(L.Linear(None, 3).W)


@pytest.mark.parametrize('groups', [1, 2])
def test_convolution_nd_from_params(groups):
    link1 = L.ConvolutionND(2, 4, 6, 3, stride=2, pad=1, groups=groups)
    link2 = L.ConvolutionND.from_params(link1.W, link1.b, stride=2, pad=1, groups=groups)
    assert link2.W.shape == link1.W.shape and link2.b.shape == link1.b.shape
    assert link2.stride == link1.stride and link2.pad == link1.pad
    x = numpy.random.RandomState(1).rand(1, 4, 7, 7).astype(numpy.float32)
    numpy.testing.assert_array_equal(link1(x).array, link2(x).array)


def test_convolution_1d_from_params_keeps_its_class():
    link1 = L.Convolution1D(2, 3, 4)
    link2 = L.Convolution1D.from_params(link1.W, nobias=True)
    assert type(link2) is L.Convolution1D and link2.b is None
    assert link2.W.shape == (3, 2, 4)
