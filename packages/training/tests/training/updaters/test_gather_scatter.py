"""multiprocess_parallel_updater's gather/scatter helpers (Chainer's module API)."""
import numpy
import pytest

import kusari
from kusari.training.updaters import multiprocess_parallel_updater as mpu


def _model(seed):
    # (core links only: kusari-training does not depend on kusari-links)
    rng = numpy.random.RandomState(seed)
    model = kusari.Chain()
    with model.init_scope():
        model.a = kusari.Link()
        model.b = kusari.Link()
        with model.a.init_scope():
            model.a.W = kusari.Parameter(numpy.zeros((2, 3), numpy.float32))
            model.a.bias = kusari.Parameter(numpy.zeros(2, numpy.float32))
        with model.b.init_scope():
            model.b.W = kusari.Parameter(numpy.zeros((4, 2), numpy.float32))
    for _, p in model.namedparams():
        p.array[...] = rng.uniform(-1, 1, p.shape)
        p.grad = rng.uniform(-1, 1, p.shape).astype(p.dtype)
    return model


@pytest.mark.parametrize('fn', [mpu.gather_grads, mpu.gather_params])
def test_gather_raises_on_cpu(fn):
    with pytest.raises(RuntimeError, match='GPU'):
        fn(_model(0))


def test_scatter_params_and_grads_in_sorted_name_order():
    model = _model(1)
    names = sorted(n for n, _ in model.namedparams())
    sizes = [dict(model.namedparams())[n].size for n in names]
    flat = numpy.arange(sum(sizes), dtype=numpy.float32)
    mpu.scatter_params(model, flat)
    mpu.scatter_grads(model, -flat)
    offset = 0
    for n, size in zip(names, sizes):
        p = dict(model.namedparams())[n]
        numpy.testing.assert_array_equal(p.array.ravel(), flat[offset:offset + size])
        numpy.testing.assert_array_equal(p.grad.ravel(), -flat[offset:offset + size])
        offset += size
    with pytest.raises(ValueError, match='scatter_params'):
        mpu.scatter_params(model, flat[:-1])


@pytest.mark.gpu
def test_gather_scatter_round_trip_on_gpu():
    cupy = pytest.importorskip('cupy')
    m0, m1 = _model(2), _model(3)
    m0.to_device('@cupy:0')
    m1.to_device('@cupy:0')
    mpu.scatter_params(m1, mpu.gather_params(m0))
    mpu.scatter_grads(m1, mpu.gather_grads(m0))
    for (n0, p0), (n1, p1) in zip(sorted(m0.namedparams()), sorted(m1.namedparams())):
        cupy.testing.assert_array_equal(p0.array, p1.array)
        cupy.testing.assert_array_equal(p0.grad, p1.grad)
