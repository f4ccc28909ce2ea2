"""Safety of the NPZ serializers: no unpickling, all-or-nothing loads, atomic saves."""
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import zipfile

import numpy
import pytest

import kusari
from kusari.serializers import (
    save_npz, load_npz, SerializationError, MissingKeyError, IncompatibleValueError)
from kusari.serializers import _npyio


def _pythonpath():
    return os.pathsep.join(os.path.dirname(p) for p in kusari.__path__)


# -- never unpickle ------------------------------------------------------------------


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, ('touch ' + self.marker,))


def test_object_array_refused(tmp_path):
    path = tmp_path / 'obj.npz'
    numpy.savez(path, a=numpy.arange(2.0), obj=numpy.array([1, 'x', None], object))
    link = kusari.Link()
    link.add_persistent('a', numpy.zeros(2))
    link.add_persistent('obj', None)
    with pytest.raises(SerializationError) as e:
        load_npz(path, link)
    msg = str(e.value)
    assert 'load_npz' in msg and 'obj.npz' in msg and "'obj'" in msg
    assert 'pickl' in msg
    numpy.testing.assert_array_equal(link.a, numpy.zeros(2))   # untouched


@pytest.mark.parametrize('shape', [(), (1,)])
def test_pickled_payload_never_executed(tmp_path, shape):
    marker = str(tmp_path / 'pwned')
    arr = numpy.empty(shape, object)
    arr[(0,) * len(shape)] = _Evil(marker)
    path = tmp_path / 'evil.npz'
    numpy.savez(path, x=arr)
    obj = kusari.Link()
    obj.add_persistent('x', None)
    with pytest.raises(SerializationError) as e:
        load_npz(path, obj)
    msg = str(e.value)
    assert 'load_npz' in msg and 'evil.npz' in msg and "'x'" in msg
    assert not os.path.exists(marker)
    assert obj.x is None


def test_none_recognizer():
    assert _npyio.is_none_pickle(_npyio.NONE_PICKLE)
    for protocol in (3, 4, 5):
        assert _npyio.is_none_pickle(pickle.dumps(numpy.asarray(None), protocol))
    for other in (numpy.asarray(1, object), numpy.asarray('x', object),
                  numpy.array([None], object), numpy.asarray(0.0)):
        assert not _npyio.is_none_pickle(pickle.dumps(other, 3))
    assert not _npyio.is_none_pickle(pickle.dumps(_Evil('/nonexistent/x'), 3))
    assert not _npyio.is_none_pickle(pickle.dumps(None, 3))
    assert not _npyio.is_none_pickle(b'garbage')
    evil_none = _npyio.NONE_PICKLE.replace(b'cnumpy\ndtype\n', b'cos\nsystem\n')
    assert not _npyio.is_none_pickle(evil_none)


def test_save_refuses_object_arrays(tmp_path):
    path = tmp_path / 'x.npz'
    save_npz(path, {'a': numpy.arange(3)})
    with pytest.raises(SerializationError, match="save_npz.*'bad'.*object"):
        save_npz(path, {'a': numpy.zeros(3), 'bad': numpy.array([1, None], object)})
    with numpy.load(path) as f:      # the previous file is intact
        numpy.testing.assert_array_equal(f['a'], numpy.arange(3))


# -- all or nothing ------------------------------------------------------------------


def _fresh(helpers):
    model = helpers.mlp(seed=20)
    model.l2 = None
    del model.l2
    with model.init_scope():
        model.l2 = helpers.uninit_linear()
    return model


def _expect_unchanged(helpers, model, path, exc, *fragments, **kwargs):
    before = helpers.snapshot(model)
    with pytest.raises(exc) as e:
        load_npz(path, model, **kwargs)
    helpers.assert_same(before, helpers.snapshot(model))
    msg = str(e.value)
    assert 'load_npz' in msg and os.path.basename(str(path)) in msg, msg
    for fragment in fragments:
        assert fragment in msg, (fragment, msg)
    return e.value


def test_missing_key_leaves_target_unchanged(helpers, tmp_path):
    src = helpers.mlp()
    path = tmp_path / 'm.npz'
    s = {}
    from kusari.serializers import DictionarySerializer
    DictionarySerializer(s).save(src)
    del s['l2/b']
    save_npz(path, s)
    model = _fresh(helpers)
    err = _expect_unchanged(helpers, model, path, MissingKeyError, "'l2/b'")
    assert isinstance(err, KeyError)
    assert model.l2.W.array is None       # the uninitialized param stayed so


def test_shape_mismatches_reported_together(helpers, tmp_path):
    path = tmp_path / 'm.npz'
    src = kusari.Chain(l1=helpers.linear(4, 6), bn=helpers.batchnorm(6),
                       l2=helpers.linear(6, 3))
    save_npz(path, src)
    model = _fresh(helpers)
    err = _expect_unchanged(helpers, model, path, IncompatibleValueError,
                            "'l1/W'", '(5, 4)', '(6, 4)', "'bn/gamma'",
                            'shape mismatch', 'nothing was loaded')
    assert isinstance(err, ValueError)


def test_truncated_file(helpers, tmp_path):
    path = tmp_path / 'm.npz'
    save_npz(path, helpers.mlp())
    data = path.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 30):
        bad = tmp_path / 'cut{}.npz'.format(cut)
        bad.write_bytes(data[:cut])
        _expect_unchanged(helpers, _fresh(helpers), bad, SerializationError)


def test_corrupted_member(helpers, tmp_path):
    path = tmp_path / 'm.npz'
    src = helpers.mlp()
    save_npz(path, src, compression=False)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo('l2/W.npy')
        offset = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data = bytearray(path.read_bytes())
    data[offset + info.file_size - 3] ^= 0xFF      # inside l2/W's data
    path.write_bytes(bytes(data))
    _expect_unchanged(helpers, _fresh(helpers), path, SerializationError,
                      "'l2/W'", 'corrupted')


def test_inconsistent_header(helpers, tmp_path):
    path = tmp_path / 'm.npz'
    with zipfile.ZipFile(path, 'w') as zf:
        with zf.open('l1/W.npy', 'w') as f:
            numpy.lib.format.write_array(f, numpy.zeros((5, 4), numpy.float32))
        with zf.open('l1/b.npy', 'w') as f:      # header says (5,), holds 3 values
            header = numpy.lib.format.header_data_from_array_1_0(
                numpy.zeros(5, numpy.float32))
            numpy.lib.format.write_array_header_1_0(f, header)
            f.write(numpy.zeros(3, numpy.float32).tobytes())
    model = kusari.Chain(l1=helpers.linear(4, 5))
    _expect_unchanged(helpers, model, path, SerializationError, "'l1/b'", 'truncated')


@pytest.mark.parametrize('kind', ['text', 'npy', 'empty', 'hdf5'])
def test_other_format(helpers, tmp_path, kind):
    path = tmp_path / 'not.npz'
    if kind == 'text':
        path.write_text('hello world\n' * 10)
    elif kind == 'npy':
        numpy.save(open(path, 'wb'), numpy.zeros(3))
    elif kind == 'empty':
        path.write_bytes(b'')
    else:
        h5py = pytest.importorskip('h5py')
        with h5py.File(path, 'w') as f:
            f['l1/W'] = numpy.zeros((5, 4), numpy.float32)
    _expect_unchanged(helpers, _fresh(helpers), path, SerializationError,
                      'not an NPZ file')


def test_missing_file_raises_oserror(helpers, tmp_path):
    with pytest.raises(FileNotFoundError):
        load_npz(tmp_path / 'nope.npz', helpers.mlp())


def _trained_optimizer(helpers, disabled=None):
    model = helpers.mlp()
    opt = helpers.CoreAdam(alpha=0.01).setup(model)
    if disabled is not None:
        disabled(model).update_rule.enabled = False
    for p in model.params():
        p.grad = numpy.ones_like(p.array)
    opt.update()
    return opt


def test_optimizer_missing_state_is_all_or_nothing(helpers, tmp_path):
    opt = _trained_optimizer(helpers)
    from kusari.serializers import DictionarySerializer
    s = DictionarySerializer()
    s.save(opt)
    del s.target['l2/b/m']
    path = tmp_path / 'o.npz'
    save_npz(path, s.target)
    fresh = helpers.CoreAdam(alpha=0.01).setup(helpers.mlp())
    before = helpers.snapshot(fresh)
    with pytest.raises(MissingKeyError, match="load_npz.*'l2/b/m'"):
        load_npz(path, fresh)
    helpers.assert_same(before, helpers.snapshot(fresh))
    # Every state is still None (not an empty dict), so training can go on.
    assert all(p.update_rule.state is None for p in fresh.target.params())


def test_optimizer_with_disabled_rule(helpers, tmp_path):
    opt = _trained_optimizer(helpers, disabled=lambda m: m.l1.W)
    path = tmp_path / 'o.npz'
    save_npz(path, opt)
    with numpy.load(path) as f:
        assert 'l1/W/m' not in f.files and 'l1/W/t' in f.files
    fresh = helpers.CoreAdam(alpha=0.01).setup(helpers.mlp())
    fresh.target.l1.W.update_rule.enabled = False
    load_npz(path, fresh)       # the disabled rule tolerates its missing state
    assert fresh.target.l1.W.update_rule.state is None
    helpers.assert_same(helpers.snapshot(opt), helpers.snapshot(fresh))
    # an enabled rule does not
    fresh2 = helpers.CoreAdam(alpha=0.01).setup(helpers.mlp())
    before = helpers.snapshot(fresh2)
    with pytest.raises(MissingKeyError, match="'l1/W/m'"):
        load_npz(path, fresh2)
    helpers.assert_same(before, helpers.snapshot(fresh2))


def test_optimizer_shape_mismatch_is_all_or_nothing(helpers, tmp_path):
    opt = _trained_optimizer(helpers)
    path = tmp_path / 'o.npz'
    save_npz(path, opt)
    model = helpers.mlp()
    fresh = helpers.CoreAdam(alpha=0.01).setup(model)
    for p in model.params():
        p.grad = numpy.zeros_like(p.array)
    fresh.update()      # states exist now
    with numpy.load(path) as f:
        d = dict(f)
    d['bn/beta/v'] = numpy.zeros(7, numpy.float32)
    save_npz(path, d)
    before = helpers.snapshot(fresh)
    with pytest.raises(IncompatibleValueError, match="'bn/beta/v'.*shape"):
        load_npz(path, fresh)
    helpers.assert_same(before, helpers.snapshot(fresh))


# -- atomic saves --------------------------------------------------------------------


def _link(value, n=5, size=1000):
    link = kusari.Link()
    for i in range(n):
        link.add_persistent('a%d' % i, numpy.full(size, value))
    return link


_KILL_SCRIPT = textwrap.dedent('''
    import os, signal, sys
    import numpy, kusari
    from kusari.serializers import _npyio, save_npz
    calls = []
    original = _npyio.write_member
    def hook(zf, key, array):
        calls.append(key)
        if len(calls) == 3:          # mid-save: two members are on disk
            zf.fp.flush()
            os.fsync(zf.fp.fileno())
            os.kill(os.getpid(), signal.SIGKILL)
        return original(zf, key, array)
    _npyio.write_member = hook
    link = kusari.Link()
    for i in range(5):
        link.add_persistent('a%d' % i, numpy.full(1000, 2.0))
    save_npz(sys.argv[1], link, compression=False)
''')


def test_kill_during_save_keeps_old_file(tmp_path):
    path = tmp_path / 'model.npz'
    save_npz(path, _link(1.0))
    proc = subprocess.run(
        [sys.executable, '-c', _KILL_SCRIPT, str(path)],
        env=dict(os.environ, PYTHONPATH=_pythonpath()), capture_output=True,
        timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    leftovers = [p for p in tmp_path.iterdir() if p.name != 'model.npz']
    assert len(leftovers) == 1 and leftovers[0].stat().st_size > 16000
    dst = _link(0.0)
    load_npz(path, dst)
    for i in range(5):
        numpy.testing.assert_array_equal(getattr(dst, 'a%d' % i), 1.0)


def test_error_during_save_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / 'model.npz'
    save_npz(path, _link(1.0))
    original = _npyio.write_member
    calls = []

    def failing(zf, key, array):
        calls.append(key)
        if len(calls) == 2:
            raise OSError('disk full')
        return original(zf, key, array)

    monkeypatch.setattr(_npyio, 'write_member', failing)
    with pytest.raises(OSError, match='disk full'):
        save_npz(path, _link(2.0))
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ['model.npz']   # temp removed
    dst = _link(0.0)
    load_npz(path, dst)
    numpy.testing.assert_array_equal(dst.a0, 1.0)


def test_save_keeps_mode_and_follows_symlink(tmp_path):
    real = tmp_path / 'real.npz'
    save_npz(real, _link(1.0))
    os.chmod(real, 0o640)
    link = tmp_path / 'link.npz'
    os.symlink(real, link)
    save_npz(link, _link(3.0))
    assert os.path.islink(link)
    assert (os.stat(real).st_mode & 0o777) == 0o640
    dst = _link(0.0)
    load_npz(real, dst)
    numpy.testing.assert_array_equal(dst.a4, 3.0)


def test_optimizer_corrupted_later_state_entry(helpers, tmp_path):
    # A fresh optimizer asks for 'm' with None (the dry run cannot know that 'v'
    # follows): 'v' is still read through before anything is assigned.
    opt = _trained_optimizer(helpers)
    path = tmp_path / 'o.npz'
    save_npz(path, opt, compression=False)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo('l2/b/v.npy')
        offset = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data = bytearray(path.read_bytes())
    data[offset + info.file_size - 1] ^= 0x55
    path.write_bytes(bytes(data))
    fresh = helpers.CoreAdam(alpha=0.01).setup(helpers.mlp())
    before = helpers.snapshot(fresh)
    with pytest.raises(SerializationError, match="load_npz.*'l2/b/v'.*corrupted"):
        load_npz(path, fresh)
    helpers.assert_same(before, helpers.snapshot(fresh))
