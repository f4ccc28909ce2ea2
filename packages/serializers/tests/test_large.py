"""Large arrays are streamed: no second full copy in memory when saving or loading."""
import tracemalloc

import numpy
import pytest

import kusari
from kusari.serializers import save_npz, load_npz, save_hdf5, load_hdf5


def _big_link(n, fill):
    link = kusari.Link()
    array = numpy.empty(n, numpy.float32)
    array[...] = fill
    array[::4097] = numpy.arange(array[::4097].size)
    with link.init_scope():
        link.W = kusari.Parameter(array)
    return link


def _peak(fn):
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _check(tmp_path, n, limit, fmt='npz'):
    src = _big_link(n, 1.5)
    nbytes = src.W.array.nbytes
    if fmt == 'npz':
        path = tmp_path / 'big.npz'
        save = lambda: save_npz(path, src, compression=False)  # noqa: E731,F821
    else:
        path = tmp_path / 'big.h5'
        save = lambda: save_hdf5(path, src, compression=None)  # noqa: E731,F821
    peak_save = _peak(save)
    del src
    dst = _big_link(n, 0.0)
    target = dst.W.array
    peak_load = _peak(lambda: (load_npz if fmt == 'npz' else load_hdf5)(path, dst))
    assert dst.W.array is target                    # filled in place
    assert target[1] == 1.5 and target[-1] == 1.5
    numpy.testing.assert_array_equal(target[::4097], numpy.arange(target[::4097].size))
    assert peak_save < limit * nbytes, (peak_save, nbytes)
    assert peak_load < limit * nbytes, (peak_load, nbytes)


def test_streaming_memory_small(tmp_path):
    # 32 MB: save/load peaks stay at the chunk sizes (16 MiB write, 4 MiB read).
    _check(tmp_path, 8 * 1024 * 1024, 0.75)


@pytest.mark.slow
def test_streaming_memory_200mb(tmp_path):
    _check(tmp_path, 50 * 1024 * 1024, 0.25)


@pytest.mark.slow
def test_streaming_memory_200mb_hdf5(tmp_path):
    pytest.importorskip('h5py')
    _check(tmp_path, 50 * 1024 * 1024, 0.25, fmt='hdf5')
