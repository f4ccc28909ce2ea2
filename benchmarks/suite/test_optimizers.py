"""Every optimizer's ``update()`` on 10M float32 parameters (a few rounds each)."""
import numpy
import pytest

import kusari
from kusari import optimizers

N_PARAMS = 10_000_000
NAMES = sorted(optimizers.__all__)
NAMES = [n for n in NAMES if not n.endswith('Rule')]


class _Model(kusari.Link):
    def __init__(self, rng):
        super().__init__()
        with self.init_scope():
            # two parameters, so that per-parameter overhead shows up too
            self.a = kusari.Parameter(rng.standard_normal(N_PARAMS // 2, numpy.float32))
            self.b = kusari.Parameter(rng.standard_normal(N_PARAMS // 2, numpy.float32))


@pytest.mark.parametrize('name', NAMES)
def test_update(benchmark, name):
    benchmark.group = 'optimizers'
    rng = numpy.random.default_rng(0)
    model = _Model(rng)
    for p in model.params():
        p.grad = rng.standard_normal(p.shape, numpy.float32) * 1e-3
    opt = getattr(optimizers, name)()
    opt.setup(model)
    opt.update()        # creates the state
    benchmark.extra_info['n_params'] = N_PARAMS
    benchmark.pedantic(opt.update, rounds=3, iterations=1, warmup_rounds=1)
