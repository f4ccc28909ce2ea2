import numpy

from kusari import optimizers


def test_accumulates_squares(make_link):
    link = make_link({'w': numpy.zeros(1)})
    opt = optimizers.AdaGrad(lr=1.0, eps=0.0).setup(link)
    for g in (3.0, 4.0):
        link.w.grad = numpy.array([g])
        opt.update()
    numpy.testing.assert_allclose(link.w.update_rule.state['h'], [25.0])
    numpy.testing.assert_allclose(link.w.array, [-1.0 - 4.0 / 5.0])


def test_ada_delta_state(make_link):
    link = make_link({'w': numpy.zeros(1)})
    opt = optimizers.AdaDelta(rho=0.5, eps=0.01).setup(link)
    link.w.grad = numpy.array([2.0])
    opt.update()
    state = link.w.update_rule.state
    dx = numpy.sqrt(0.01 / 2.01) * 2.0
    numpy.testing.assert_allclose(state['msg'], [2.0])
    numpy.testing.assert_allclose(state['msdx'], [0.5 * dx * dx])
    numpy.testing.assert_allclose(link.w.array, [-dx])


def test_rmsprop_graves_state(make_link):
    link = make_link({'w': numpy.zeros(1)})
    opt = optimizers.RMSpropGraves(lr=0.1, alpha=0.5, momentum=0.5, eps=0.0).setup(link)
    for _ in range(2):
        link.w.grad = numpy.array([2.0])
        opt.update()
    state = link.w.update_rule.state
    numpy.testing.assert_allclose(state['n'], [3.0])
    numpy.testing.assert_allclose(state['g'], [1.5])
    d1 = -0.1 * 2 / numpy.sqrt(2.0 - 1.0)
    d2 = 0.5 * d1 - 0.1 * 2 / numpy.sqrt(3.0 - 2.25)
    numpy.testing.assert_allclose(state['delta'], [d2])
    numpy.testing.assert_allclose(link.w.array, [d1 + d2])
