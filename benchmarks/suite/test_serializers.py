"""Save/load throughput of the npz and HDF5 serializers on ~10M float32 parameters."""
import importlib.util

import numpy
import pytest

import kusari
import kusari.links as L
from kusari import serializers

HAS_H5PY = importlib.util.find_spec('h5py') is not None
MB = 4 * 10_000_000 / 2 ** 20


def _model():
    class M(kusari.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                for i in range(4):
                    setattr(self, 'l%d' % i, L.Linear(1000, 2500))
    return M()


FORMATS = [('npz', serializers.save_npz, serializers.load_npz,
            dict(compression=False)),
           pytest.param('hdf5', getattr(serializers, 'save_hdf5', None),
                        getattr(serializers, 'load_hdf5', None), dict(compression=0),
                        marks=pytest.mark.skipif(not HAS_H5PY, reason='needs h5py'))]


@pytest.mark.parametrize('fmt,save,load,kw', FORMATS, ids=['npz', 'hdf5'])
def test_save(benchmark, tmp_path, fmt, save, load, kw):
    benchmark.group = 'serializers'
    benchmark.extra_info['MiB'] = MB
    model = _model()
    path = str(tmp_path / ('m.' + fmt))
    benchmark.pedantic(save, args=(path, model), kwargs=kw, rounds=3, iterations=1,
                       warmup_rounds=1)


@pytest.mark.parametrize('fmt,save,load,kw', FORMATS, ids=['npz', 'hdf5'])
def test_load(benchmark, tmp_path, fmt, save, load, kw):
    benchmark.group = 'serializers'
    benchmark.extra_info['MiB'] = MB
    model = _model()
    path = str(tmp_path / ('m.' + fmt))
    save(path, model, **kw)
    target = _model()
    benchmark.pedantic(load, args=(path, target), rounds=3, iterations=1,
                       warmup_rounds=1)
    numpy.testing.assert_array_equal(target.l0.W.array, model.l0.W.array)
