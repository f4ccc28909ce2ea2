"""The caching allocator of the CPU kernels (kusari._workspace)."""
import importlib

import numpy
import pytest

ws = importlib.import_module('kusari._workspace')

BIG = (256, 256)          # 256 KiB of float32: pooled
F32 = numpy.dtype(numpy.float32)


@pytest.fixture(autouse=True)
def _fresh_pool():
    ws.clear()
    yield
    ws.clear()


def test_reuses_an_array_nobody_holds():
    a = ws.empty(BIG, F32)
    addr = a.ctypes.data
    assert a.shape == BIG and a.dtype == F32 and a.flags.c_contiguous
    del a
    b = ws.empty(BIG, F32)
    assert b.ctypes.data == addr


def test_never_hands_out_an_array_in_use():
    a = ws.empty(BIG, F32)
    b = ws.empty(BIG, F32)
    assert not numpy.shares_memory(a, b)
    a[...] = 1
    b[...] = 2
    assert (a == 1).all()


def test_a_view_keeps_its_base_in_use():
    a = ws.empty(BIG, F32)
    v = a[1:, ::2]
    addr = a.ctypes.data
    del a
    b = ws.empty(BIG, F32)
    assert b.ctypes.data != addr
    assert v.base is not None


def test_small_arrays_are_not_pooled():
    n = ws.MIN_BYTES // 8
    a = ws.empty((n,), F32)
    assert a.nbytes < ws.MIN_BYTES
    assert ws.pooled_bytes() == 0


def test_zeros_and_keys():
    a = ws.zeros(BIG, F32)
    assert (a == 0).all()
    del a
    c = ws.empty(BIG, numpy.dtype(numpy.float64))   # another dtype: another array
    assert c.dtype == numpy.float64
    d = ws.zeros(BIG, F32)
    assert (d == 0).all()


def test_cap_and_eviction(monkeypatch):
    monkeypatch.setattr(ws, 'max_bytes', 3 * 256 * 1024)
    keep = [ws.empty(BIG, F32) for _ in range(3)]
    assert ws.pooled_bytes() == 3 * 256 * 1024
    extra = ws.empty(BIG, F32)            # over the cap while all are in use
    assert ws.pooled_bytes() == 3 * 256 * 1024
    assert all(not numpy.shares_memory(extra, k) for k in keep)
    del keep
    other = ws.empty((512, 256), F32)     # evicts free arrays of the older shape
    assert other.shape == (512, 256)
    assert ws.pooled_bytes() <= ws.max_bytes


def test_clear():
    a = ws.empty(BIG, F32)
    assert ws.pooled_bytes() > 0
    ws.clear()
    assert ws.pooled_bytes() == 0
    a[...] = 3          # still a valid array
    assert (a == 3).all()
