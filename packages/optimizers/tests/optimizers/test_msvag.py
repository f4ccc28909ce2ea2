import numpy
import pytest

from kusari import optimizers


def test_first_step_and_zero_gradient(make_link):
    link = make_link({'w': numpy.array([1.0, 2.0, 3.0])})
    opt = optimizers.MSVAG(lr=0.1).setup(link)
    link.w.grad = numpy.array([1.0, 0.0, -2.0])
    opt.update()
    # t = 1: rho = 0.9999 (capped), no variance estimate yet (s = 0): factor 1, and
    # factor 0 where m = v = 0 (0 / 0)
    numpy.testing.assert_allclose(link.w.array, [0.9, 2.0, 3.2])


def test_beta_power_follows_t(make_link):
    link = make_link({'w': numpy.zeros(2)})
    opt = optimizers.MSVAG(beta=0.5).setup(link)
    rule = link.w.update_rule
    for t in (1, 2, 3):
        link.w.grad = numpy.ones(2)
        opt.update()
        assert rule.beta_power == pytest.approx(0.5 ** t)
