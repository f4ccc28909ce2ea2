"""Forward and forward+backward of every function family, at two sizes (CPU)."""
import numpy
import pytest

import kusari
from _cases import CASES


def _run_backward(fn, inputs, out_index):
    y = fn(*inputs)
    if out_index is not None:
        y = y[out_index]
    y.grad = numpy.ones(y.shape, y.dtype)
    y.backward()
    for x in inputs:
        if isinstance(x, kusari.Variable):
            x.cleargrad()


@pytest.mark.parametrize('size', ['small', 'large'])
@pytest.mark.parametrize('mode', ['forward', 'backward'])
@pytest.mark.parametrize('family,name,make', CASES, ids=[f'{c[0]}.{c[1]}' for c in CASES])
def test_function(benchmark, family, name, make, mode, size):
    benchmark.group = f'{family}.{name}'
    fn, inputs, out_index = make(size, numpy.random.default_rng(0))
    if mode == 'forward':
        benchmark(fn, *inputs)
    else:
        benchmark(_run_backward, fn, inputs, out_index)
