import numpy
import pytest

from kusari import optimizers


@pytest.mark.parametrize('cls_name,kwargs,expected', [
    # two steps with g = 1 from 0, hand-computed
    ('SGD', {'lr': 0.5}, -1.0),
    ('MomentumSGD', {'lr': 0.5, 'momentum': 0.5}, -0.5 - 0.75),
    ('CorrectedMomentumSGD', {'lr': 0.5, 'momentum': 0.5}, -0.5 - 0.75),
    # v1 = -0.5: p1 = 0.25 * -0.5 - 1.5 * 0.5 = -0.875; v2 = -0.75: p2 = p1 - 0.1875 - 0.75
    ('NesterovAG', {'lr': 0.5, 'momentum': 0.5}, -0.875 - 0.1875 - 0.75),
])
def test_two_steps_by_hand(cls_name, kwargs, expected, make_link):
    link = make_link({'w': numpy.zeros(1)})
    opt = getattr(optimizers, cls_name)(**kwargs).setup(link)
    for _ in range(2):
        link.w.grad = numpy.ones(1)
        opt.update()
    assert link.w.array[0] == pytest.approx(expected)


def test_corrected_momentum_differs_when_lr_changes(make_link):
    out = []
    for cls in (optimizers.MomentumSGD, optimizers.CorrectedMomentumSGD):
        link = make_link({'w': numpy.zeros(1)})
        opt = cls(lr=1.0, momentum=0.5).setup(link)
        link.w.grad = numpy.ones(1)
        opt.update()
        opt.lr = 0.1
        link.w.grad = numpy.ones(1)
        opt.update()
        out.append(link.w.array[0])
    # MomentumSGD keeps the old velocity (-1): -1 + (0.5 * -1 - 0.1);
    # CorrectedMomentumSGD rescales it: -1 + 0.1 * (0.5 * -1 - 1)
    assert out == [pytest.approx(-1.6), pytest.approx(-1.15)]
