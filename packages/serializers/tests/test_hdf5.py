"""kusari.serializers.hdf5: round trips, layout, all-or-nothing loads, atomic saves."""
import io
import os
import signal
import subprocess
import sys
import textwrap

import numpy
import pytest

import kusari
from kusari.serializers import (
    HDF5Serializer, HDF5Deserializer, save_hdf5, load_hdf5,
    SerializationError, MissingKeyError, IncompatibleValueError)

h5py = pytest.importorskip('h5py')


def test_layout_compression_and_none(helpers, tmp_path):
    model = helpers.mlp()
    model.add_persistent('nothing', None)
    path = tmp_path / 'm.h5'
    save_hdf5(path, model, compression=3)
    with h5py.File(path, 'r') as f:
        names = []
        f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset)
                     else None)
        assert set(names) == {'l1/W', 'l1/b', 'bn/gamma', 'bn/beta', 'bn/avg_mean',
                              'bn/avg_var', 'bn/N', 'l2/W', 'l2/b', 'nothing'}
        assert f['l1/W'].compression == 'gzip' and f['l1/W'].compression_opts == 3
        assert f['bn/N'].shape == () and f['bn/N'].compression is None
        assert f['bn/N'].dtype == numpy.int64 and f['bn/N'][()] == 1
        assert f['nothing'].shape is None          # h5py.Empty, as Chainer


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_roundtrip(helpers, tmp_path, dtype):
    src = kusari.Chain(l1=helpers.linear(3, 4, dtype=dtype), bn=helpers.batchnorm(4),
                       cl=kusari.ChainList(helpers.linear(2, 2, dtype=dtype)))
    dst = kusari.Chain(l1=helpers.linear(3, 4, dtype=dtype, seed=3),
                       bn=helpers.batchnorm(4, seed=5),
                       cl=kusari.ChainList(helpers.uninit_linear(dtype)))
    path = tmp_path / 'm.h5'
    save_hdf5(str(path), src)
    load_hdf5(str(path), dst)
    helpers.assert_same(helpers.snapshot(src), helpers.snapshot(dst))


def test_none_values(tmp_path):
    src = kusari.Link()
    src.add_persistent('p', None)
    dst = kusari.Link()
    dst.add_persistent('p', numpy.ones(2))
    path = tmp_path / 'n.h5'
    save_hdf5(path, src)
    load_hdf5(path, dst)
    assert dst.p is None


def test_optimizer_roundtrip_and_path(helpers, tmp_path):
    model = helpers.mlp()
    opt = helpers.CoreAdam(alpha=0.01).setup(model)
    for p in model.params():
        p.grad = numpy.full_like(p.array, 0.5)
    opt.update()
    path = tmp_path / 'snap.h5'
    with h5py.File(path, 'w') as f:
        HDF5Serializer(f)['updater']['optimizer:main'].save(opt)
    fresh = helpers.CoreAdam(alpha=0.01).setup(helpers.mlp())
    load_hdf5(path, fresh, path='updater/optimizer:main/')
    helpers.assert_same(helpers.snapshot(opt), helpers.snapshot(fresh))
    fresh2 = helpers.CoreAdam(alpha=0.01).setup(helpers.mlp())
    with h5py.File(path, 'r') as f:
        d = HDF5Deserializer(f)['updater']['optimizer:main']
        assert d.group.name == '/updater/optimizer:main'
        d.load(fresh2)
        assert HDF5Deserializer(f)['nope'].group is None
    helpers.assert_same(helpers.snapshot(opt), helpers.snapshot(fresh2))


def test_strict_false(helpers, tmp_path):
    path = tmp_path / 'part.h5'
    save_hdf5(path, kusari.Chain(l1=helpers.linear(4, 5)))
    dst = helpers.mlp(seed=4)
    before = helpers.snapshot(dst)
    with h5py.File(path, 'r') as f:
        with pytest.raises(MissingKeyError, match="'bn/N'|'bn/beta'"):
            HDF5Deserializer(f).load(dst)
        helpers.assert_same(before, helpers.snapshot(dst))
        HDF5Deserializer(f, strict=False).load(dst)
    numpy.testing.assert_array_equal(dst.l1.W.array, helpers.linear(4, 5).W.array)
    numpy.testing.assert_array_equal(dst.l2.W.array, before['/l2/W'])


def test_file_object(helpers, tmp_path):
    src = helpers.mlp()
    buf = io.BytesIO()
    save_hdf5(buf, src)
    buf.seek(0)
    dst = helpers.mlp(seed=9)
    load_hdf5(buf, dst)
    helpers.assert_same(helpers.snapshot(src), helpers.snapshot(dst))


def test_save_dict(tmp_path):
    path = tmp_path / 'd.h5'
    save_hdf5(path, {'a/b': numpy.arange(4.0), 'n': 3, 'z': None})
    with h5py.File(path, 'r') as f:
        numpy.testing.assert_array_equal(f['a/b'][()], numpy.arange(4.0))
        assert f['n'][()] == 3 and f['z'].shape is None


# -- all or nothing ------------------------------------------------------------------


def _check_unchanged(helpers, model, path, exc, *fragments):
    before = helpers.snapshot(model)
    with pytest.raises(exc) as e:
        load_hdf5(path, model)
    helpers.assert_same(before, helpers.snapshot(model))
    msg = str(e.value)
    assert 'load_hdf5' in msg and os.path.basename(str(path)) in msg, msg
    for fragment in fragments:
        assert fragment in msg, (fragment, msg)


def test_shape_and_dtype_mismatch(helpers, tmp_path):
    path = tmp_path / 'm.h5'
    save_hdf5(path, kusari.Chain(l1=helpers.linear(4, 6), bn=helpers.batchnorm(6),
                                 l2=helpers.linear(6, 3)))
    _check_unchanged(helpers, helpers.mlp(seed=2), path, IncompatibleValueError,
                     "'l1/W'", '(5, 4)', '(6, 4)')
    dst = kusari.Link()
    dst.add_persistent('N', numpy.zeros((), numpy.int32))
    save_hdf5(path, {'N': numpy.asarray(1.5)})
    _check_unchanged(helpers, kusari.Chain(x=dst), path, MissingKeyError, "'x/N'")
    before = dst.N.copy()
    with pytest.raises(IncompatibleValueError, match="'N'.*dtype"):
        load_hdf5(path, dst)
    assert dst.N == before


def test_missing_group(helpers, tmp_path):
    path = tmp_path / 'm.h5'
    save_hdf5(path, kusari.Chain(l1=helpers.linear(4, 5), bn=helpers.batchnorm(5)))
    model = helpers.mlp(seed=3)
    _check_unchanged(helpers, model, path, MissingKeyError, "'l2/W'")


def test_truncated_and_other_format(helpers, tmp_path):
    path = tmp_path / 'm.h5'
    save_hdf5(path, helpers.mlp())
    data = path.read_bytes()
    bad = tmp_path / 'cut.h5'
    bad.write_bytes(data[:len(data) // 2])
    _check_unchanged(helpers, helpers.mlp(seed=1), bad, SerializationError)
    npz = tmp_path / 'x.npz'
    numpy.savez(npz, a=numpy.zeros(2))
    _check_unchanged(helpers, helpers.mlp(seed=1), npz, SerializationError,
                     'not an HDF5 file')


def test_corrupted_chunk(helpers, tmp_path):
    path = tmp_path / 'm.h5'
    big = kusari.Link()
    big.add_persistent('a', numpy.arange(4096, dtype=numpy.float64))
    big.add_persistent('b', numpy.arange(4096, dtype=numpy.float64))
    save_hdf5(path, big)
    with h5py.File(path, 'r') as f:
        offset = f['b'].id.get_chunk_info(0).byte_offset
    data = bytearray(path.read_bytes())
    for i in range(8):
        data[offset + 4 + i] ^= 0xFF
    path.write_bytes(bytes(data))
    dst = kusari.Link()
    dst.add_persistent('a', numpy.zeros(4096))
    dst.add_persistent('b', numpy.zeros(4096))
    _check_unchanged(helpers, dst, path, SerializationError, "'b'", 'corrupted')


# -- atomic saves --------------------------------------------------------------------


_KILL_SCRIPT = textwrap.dedent('''
    import os, signal, sys
    import numpy, kusari
    from kusari.serializers import hdf5
    calls = []
    original = hdf5.HDF5Serializer.__call__
    def hook(self, key, value):
        calls.append(key)
        if len(calls) == 3:          # mid-save
            self.group.file.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        return original(self, key, value)
    hdf5.HDF5Serializer.__call__ = hook
    link = kusari.Link()
    for i in range(5):
        link.add_persistent('a%d' % i, numpy.full(1000, 2.0))
    hdf5.save_hdf5(sys.argv[1], link)
''')


def test_kill_during_save_keeps_old_file(tmp_path):
    path = tmp_path / 'model.h5'
    old = kusari.Link()
    for i in range(5):
        old.add_persistent('a%d' % i, numpy.full(1000, 1.0))
    save_hdf5(path, old)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        os.path.dirname(p) for p in kusari.__path__))
    proc = subprocess.run([sys.executable, '-c', _KILL_SCRIPT, str(path)], env=env,
                          capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert len(list(tmp_path.iterdir())) == 2      # the old file and a stray temp
    dst = kusari.Link()
    for i in range(5):
        dst.add_persistent('a%d' % i, numpy.zeros(1000))
    load_hdf5(path, dst)
    for i in range(5):
        numpy.testing.assert_array_equal(getattr(dst, 'a%d' % i), 1.0)


def test_error_during_save_keeps_old_file(tmp_path):
    path = tmp_path / 'model.h5'
    save_hdf5(path, {'a': numpy.arange(3.0)})
    with pytest.raises(SerializationError, match="'bad'"):
        save_hdf5(path, {'a': numpy.zeros(3), 'bad': numpy.array([None, 1], object)})
    assert [p.name for p in tmp_path.iterdir()] == ['model.h5']
    with h5py.File(path, 'r') as f:
        numpy.testing.assert_array_equal(f['a'][()], numpy.arange(3.0))


def test_available_flag_like_chainer():
    from kusari.serializers import hdf5
    import importlib.util
    assert hdf5._available is (importlib.util.find_spec('h5py') is not None)
    with pytest.raises(AttributeError):
        hdf5.no_such_name


def test_none_needs_h5py_empty(tmp_path, monkeypatch):
    h5py = pytest.importorskip('h5py')
    from kusari.serializers import HDF5Serializer
    monkeypatch.setattr(h5py.version, 'version_tuple', (2, 6, 0))
    with h5py.File(str(tmp_path / 'a.h5'), 'w') as f:
        with pytest.raises(RuntimeError, match='HDF5Serializer'):
            HDF5Serializer(f)('x', None)
        HDF5Serializer(f)('y', numpy.zeros(2))  # arrays still work
