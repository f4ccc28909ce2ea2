import numpy

from kusari import optimizers


def test_initial_state_and_first_step(make_link):
    link = make_link({'w': numpy.zeros(2, numpy.float32)})
    opt = optimizers.SMORMS3(lr=0.1).setup(link)
    link.w.grad = numpy.array([2.0, 0.0], numpy.float32)
    opt.update()
    state = link.w.update_rule.state
    # r = 1 / (mem + 1) = 0.5 with mem = 1 at first
    numpy.testing.assert_allclose(state['g'], [1.0, 0.0])
    numpy.testing.assert_allclose(state['g2'], [2.0, 0.0])
    # x = g^2 / g2 = 0.5: mem = 1 + 1 * (1 - 0.5); for g = 0: x = 0, mem = 2
    numpy.testing.assert_allclose(state['mem'], [1.5, 2.0])
    numpy.testing.assert_allclose(link.w.array, [-2 * 0.1 / numpy.sqrt(2), 0.0],
                                  rtol=1e-6)
