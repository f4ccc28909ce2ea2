import numpy
import pytest

from kusari import optimizers


def test_eps_inside_sqrt(make_link):
    outs = []
    for inside in (False, True):
        link = make_link({'w': numpy.zeros(2)})
        opt = optimizers.RMSprop(lr=0.1, alpha=0.0, eps=0.25,
                                 eps_inside_sqrt=inside).setup(link)
        link.w.grad = numpy.array([1.0, 0.0])
        opt.update()
        outs.append(link.w.array.copy())
    # ms = g^2 = 1: g / (1 + 0.25) vs g / sqrt(1.25)
    numpy.testing.assert_allclose(outs[0], [-0.1 / 1.25, 0.0])
    numpy.testing.assert_allclose(outs[1], [-0.1 / numpy.sqrt(1.25), 0.0])


def test_eps_too_small_for_float16(make_link):
    link = make_link({'w': numpy.zeros(2, numpy.float16)})
    opt = optimizers.RMSprop().setup(link)  # eps = 1e-8 is zero in float16
    link.w.grad = numpy.ones(2, numpy.float16)
    with pytest.raises(ValueError, match='eps of RMSprop optimizer is too small for '
                                         'float16'):
        opt.update()
    opt.eps = 1e-4
    opt.update()
    assert not numpy.isnan(link.w.array).any()
