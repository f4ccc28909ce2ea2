"""kusari.serializers.npz: round trips, Chainer's key layout and value semantics."""
import io
import pathlib
import pickle
import zipfile

import numpy
import pytest

import kusari
from kusari.serializers import (
    DictionarySerializer, NpzDeserializer, save_npz, load_npz,
    SerializationError, MissingKeyError, IncompatibleValueError)
from kusari.serializers import _npyio


def _roundtrip(src, dst, tmp_path, **kwargs):
    path = tmp_path / 'x.npz'
    save_npz(str(path), src, **kwargs)
    load_npz(str(path), dst)
    return path


# -- key layout ----------------------------------------------------------------------


def test_key_layout_of_chain(helpers, tmp_path):
    path = tmp_path / 'm.npz'
    save_npz(path, helpers.mlp())
    with numpy.load(path) as f:
        keys = set(f.files)
        n = f['bn/N']
    assert keys == {'l1/W', 'l1/b', 'bn/gamma', 'bn/beta', 'bn/avg_mean',
                    'bn/avg_var', 'bn/N', 'l2/W', 'l2/b'}
    # Python ints are stored as 0-d int64 arrays, as Chainer does.
    assert n.shape == () and n.dtype == numpy.int64 and int(n) == 1


def test_key_layout_of_chainlist(helpers, tmp_path):
    model = kusari.ChainList(helpers.linear(2, 3), helpers.linear(3, 1, seed=1))
    path = tmp_path / 'm.npz'
    save_npz(path, model)
    with numpy.load(path) as f:
        assert set(f.files) == {'0/W', '0/b', '1/W', '1/b'}
    dst = kusari.ChainList(helpers.linear(2, 3, seed=5), helpers.linear(3, 1, seed=6))
    load_npz(path, dst)
    helpers.assert_same(helpers.snapshot(model), helpers.snapshot(dst))


def test_optimizer_key_layout(helpers, tmp_path):
    model = helpers.mlp()
    opt = helpers.CoreAdam().setup(model)
    for p in model.params():
        p.grad = numpy.ones_like(p.array)
    opt.update()
    opt.new_epoch()
    path = tmp_path / 'o.npz'
    save_npz(path, opt)
    with numpy.load(path) as f:
        keys = set(f.files)
        assert int(f['t']) == 1 and int(f['epoch']) == 1
        assert f['l1/W/m'].shape == (5, 4)
    expected = {'t', 'epoch'}
    for name in ('l1/W', 'l1/b', 'bn/gamma', 'bn/beta', 'l2/W', 'l2/b'):
        expected |= {name + '/t', name + '/m', name + '/v'}
    assert keys == expected


# -- round trips ---------------------------------------------------------------------


@pytest.mark.parametrize('compression', [True, False])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_roundtrip_link(helpers, tmp_path, compression, dtype):
    src = kusari.Chain(l1=helpers.linear(3, 4, dtype=dtype), bn=helpers.batchnorm(4))
    dst = kusari.Chain(l1=helpers.linear(3, 4, dtype=dtype, seed=9),
                       bn=helpers.batchnorm(4, seed=7))
    before = helpers.snapshot(src)
    path = _roundtrip(src, dst, tmp_path, compression=compression)
    helpers.assert_same(before, helpers.snapshot(dst))
    with zipfile.ZipFile(path) as zf:
        types = {info.compress_type for info in zf.infolist()}
    assert types == {zipfile.ZIP_DEFLATED if compression else zipfile.ZIP_STORED}


def test_load_into_uninitialized_params(helpers, tmp_path):
    src = helpers.linear(3, 2)
    dst = helpers.uninit_linear()
    _roundtrip(src, dst, tmp_path)
    assert dst.W.shape == (2, 3) and dst.b.shape == (2,)
    numpy.testing.assert_array_equal(dst.W.array, src.W.array)
    numpy.testing.assert_array_equal(dst.b.array, src.b.array)


def test_uninitialized_param_saved_as_none(helpers, tmp_path):
    src = helpers.uninit_linear()
    path = tmp_path / 'u.npz'
    save_npz(path, src)
    with zipfile.ZipFile(path) as zf:
        assert zf.read('W.npy') == _npyio.NONE_NPY
    # NumPy (as Chainer does, with allow_pickle=True) reads it as None.
    with numpy.load(path, allow_pickle=True) as f:
        assert f['W'][()] is None
    # Loading a None into an initialized parameter leaves it as it is.
    dst = helpers.linear(3, 2)
    before = helpers.snapshot(dst)
    load_npz(path, dst)
    helpers.assert_same(before, helpers.snapshot(dst))


def test_none_persistent_roundtrip(tmp_path):
    src = kusari.Link()
    src.add_persistent('p', None)
    dst = kusari.Link()
    dst.add_persistent('p', numpy.zeros(3))
    _roundtrip(src, dst, tmp_path)
    assert dst.p is None


def test_none_marker_bytes_match_numpy():
    # What NumPy 1.x (Chainer 7) writes: protocol-3 pickle via numpy.core.
    payload = pickle.dumps(numpy.asarray(None), protocol=3)
    payload = payload.replace(b'cnumpy._core.multiarray\n', b'cnumpy.core.multiarray\n')
    assert payload == _npyio.NONE_PICKLE
    buf = io.BytesIO()
    numpy.lib.format.write_array(buf, numpy.asarray(None), version=(1, 0),
                                 allow_pickle=True)
    header_len = len(_npyio.NONE_NPY) - len(_npyio.NONE_PICKLE)
    assert buf.getvalue()[:header_len] == _npyio.NONE_NPY[:header_len]


class _Scalars:
    def __init__(self, i=0, f=0.0, b=False, s='', f32=numpy.float32(0)):
        self.i, self.f, self.b, self.s, self.f32 = i, f, b, s, f32

    def serialize(self, serializer):
        self.i = serializer('i', self.i)
        self.f = serializer('f', self.f)
        self.b = serializer('b', self.b)
        self.s = serializer('s', self.s)
        self.f32 = serializer('f32', self.f32)


def test_user_object_scalars(tmp_path):
    src = _Scalars(7, 2.5, True, 'hello', numpy.float32(1.25))
    dst = _Scalars()
    _roundtrip(src, dst, tmp_path)
    assert (dst.i, dst.f, dst.b, dst.s) == (7, 2.5, True, 'hello')
    assert type(dst.i) is int and type(dst.f) is float and type(dst.b) is bool
    assert type(dst.f32) is numpy.float32 and dst.f32 == numpy.float32(1.25)


def test_noncontiguous_arrays(tmp_path):
    base = numpy.arange(24, dtype=numpy.float32).reshape(4, 6)
    src = kusari.Link()
    src.add_persistent('a', base[:, ::2])          # strided
    src.add_persistent('f', numpy.asfortranarray(base))
    dst = kusari.Link()
    target = numpy.zeros((4, 6), numpy.float32)
    view_target = numpy.zeros((8, 3), numpy.float32)[::2]      # non-contiguous
    dst.add_persistent('a', view_target)
    dst.add_persistent('f', target)
    _roundtrip(src, dst, tmp_path)
    numpy.testing.assert_array_equal(view_target, base[:, ::2])
    numpy.testing.assert_array_equal(target, base)
    assert dst.a is view_target


def test_fortran_and_big_endian_members(tmp_path):
    path = tmp_path / 'f.npz'
    a = numpy.asfortranarray(numpy.arange(12, dtype=numpy.float64).reshape(3, 4))
    b = numpy.arange(5, dtype='>i4')
    numpy.savez(path, a=a, b=b)
    dst = kusari.Link()
    dst.add_persistent('a', numpy.zeros((3, 4), numpy.float32))  # cast f8 -> f4
    dst.add_persistent('b', numpy.zeros(5, numpy.int64))
    load_npz(path, dst)
    numpy.testing.assert_array_equal(dst.a, a.astype(numpy.float32))
    numpy.testing.assert_array_equal(dst.b, b)
    new = kusari.Link()
    new.add_persistent('a', None)
    new.add_persistent('b', None)
    load_npz(path, new)
    numpy.testing.assert_array_equal(new.a, a)
    assert new.b.dtype == numpy.int32 and new.b.dtype.isnative


def test_file_objects_and_pathlike(helpers, tmp_path):
    src = helpers.mlp()
    buf = io.BytesIO()
    save_npz(buf, src)
    dst = helpers.mlp(seed=3)
    buf.seek(0)
    load_npz(buf, dst)
    helpers.assert_same(helpers.snapshot(src), helpers.snapshot(dst))
    path = pathlib.Path(tmp_path) / 'p.npz'
    with open(path, 'wb') as f:
        save_npz(f, src)
    dst2 = helpers.mlp(seed=4)
    with open(path, 'rb') as f:
        load_npz(f, dst2)
    helpers.assert_same(helpers.snapshot(src), helpers.snapshot(dst2))


def test_save_dict_as_is(tmp_path):
    path = tmp_path / 'd.npz'
    save_npz(path, {'a/b': numpy.arange(3), 'n': 5, 'z': None})
    with numpy.load(path, allow_pickle=True) as f:
        assert set(f.files) == {'a/b', 'n', 'z'}
        numpy.testing.assert_array_equal(f['a/b'], numpy.arange(3))
        assert f['z'][()] is None


def test_optimizer_roundtrip(helpers, tmp_path):
    model = helpers.mlp()
    opt = helpers.CoreAdam(alpha=0.01).setup(model)
    for step in range(2):
        for p in model.params():
            p.grad = numpy.full_like(p.array, 0.1 * (step + 1))
        opt.update()
    path = tmp_path / 'o.npz'
    save_npz(path, opt)
    model2 = helpers.mlp()
    opt2 = helpers.CoreAdam(alpha=0.01).setup(model2)
    load_npz(path, opt2)
    helpers.assert_same(helpers.snapshot(opt), helpers.snapshot(opt2))
    # Both continue identically (the state m, v depends on the gradients only).
    for o, m in ((opt, model), (opt2, model2)):
        for p in m.params():
            p.grad = numpy.full_like(p.array, -0.3)
        o.update()
    helpers.assert_same(helpers.snapshot(opt), helpers.snapshot(opt2))


# -- DictionarySerializer / NpzDeserializer ------------------------------------------


def test_dictionary_serializer(helpers):
    s = DictionarySerializer()
    src = kusari.Chain(l1=helpers.uninit_linear())
    src.add_persistent('t', 3)
    s.save(src)
    assert set(s.target) == {'l1/W', 'l1/b', 't'}
    assert s.target['l1/W'].dtype == object and s.target['l1/W'][()] is None
    assert s.target['t'] == 3 and s.target['t'].dtype == numpy.int64
    child = s['a/']['b']
    assert child.path == 'a/b/' and child.target is s.target


def test_npz_deserializer_on_dict_and_npzfile(helpers, tmp_path):
    src = helpers.mlp()
    s = DictionarySerializer()
    s.save(src)
    dst = helpers.mlp(seed=5)
    NpzDeserializer(s.target).load(dst)
    helpers.assert_same(helpers.snapshot(src), helpers.snapshot(dst))
    path = tmp_path / 'x.npz'
    save_npz(path, src)
    dst = helpers.mlp(seed=6)
    with numpy.load(path) as f:
        NpzDeserializer(f).load(dst)
    helpers.assert_same(helpers.snapshot(src), helpers.snapshot(dst))
    # Direct calls, one value at a time.
    with numpy.load(path) as f:
        d = NpzDeserializer(f)
        w = numpy.zeros((5, 4), numpy.float32)
        assert d['l1']('W', w) is w
        numpy.testing.assert_array_equal(w, src.l1.W.array)
        assert d['bn']('N', 0) == 1
        with pytest.raises(MissingKeyError, match='nothere'):
            d('nothere', 0)
    with pytest.raises(TypeError, match='NpzDeserializer'):
        NpzDeserializer(42)


def test_path_argument(helpers, tmp_path):
    src = helpers.mlp()
    s = DictionarySerializer()
    s['updater']['model:main'].save(src)
    path = tmp_path / 'snap.npz'
    save_npz(path, s.target)
    dst = helpers.mlp(seed=8)
    load_npz(path, dst, path='updater/model:main/')
    helpers.assert_same(helpers.snapshot(src), helpers.snapshot(dst))


def test_strict_false_skips_missing(helpers, tmp_path):
    path = tmp_path / 'part.npz'
    save_npz(path, kusari.Chain(l1=helpers.linear(4, 5)))
    dst = helpers.mlp(seed=2)
    before = helpers.snapshot(dst)
    with pytest.raises(MissingKeyError):
        load_npz(path, dst)
    helpers.assert_same(before, helpers.snapshot(dst))
    load_npz(path, dst, strict=False)
    after = helpers.snapshot(dst)
    numpy.testing.assert_array_equal(after['/l1/W'],
                                     helpers.linear(4, 5).W.array)
    numpy.testing.assert_array_equal(after['/l2/W'], before['/l2/W'])


@pytest.mark.parametrize('ignore', [
    'l2/W', ['l2/W', lambda k: k.startswith('bn/')], lambda k: k == 'l2/W'])
def test_ignore_names(helpers, tmp_path, ignore):
    src = helpers.mlp()
    path = tmp_path / 'x.npz'
    save_npz(path, src)
    dst = helpers.mlp(seed=11)
    before = helpers.snapshot(dst)
    load_npz(path, dst, ignore_names=ignore)
    after = helpers.snapshot(dst)
    numpy.testing.assert_array_equal(after['/l2/W'], before['/l2/W'])
    numpy.testing.assert_array_equal(after['/l1/W'], src.l1.W.array)


def test_ignore_names_bad_type(helpers, tmp_path):
    path = tmp_path / 'x.npz'
    save_npz(path, helpers.mlp())
    with pytest.raises(ValueError, match='load_npz.*ignore_names'):
        load_npz(path, helpers.mlp(), ignore_names=[3])


def test_dtype_and_type_mismatch(tmp_path):
    path = tmp_path / 'x.npz'
    save_npz(path, {'a': numpy.arange(3.0), 'f': 2.5, 'big': numpy.arange(2)})
    dst = kusari.Link()
    dst.add_persistent('a', numpy.zeros(3, numpy.int32))   # float -> int: refused
    with pytest.raises(IncompatibleValueError, match="load_npz.*'a'.*dtype") as e:
        load_npz(path, dst)
    assert isinstance(e.value, TypeError) and isinstance(e.value, ValueError)

    class Obj:
        def __init__(self, key, value):
            self.key, self.value = key, value

        def serialize(self, s):
            self.value = s(self.key, self.value)

    with pytest.raises(IncompatibleValueError, match="'f'.*int"):
        load_npz(path, Obj('f', 0))          # float64 into int: unsafe
    with pytest.raises(IncompatibleValueError, match="'big'"):
        load_npz(path, Obj('big', 0))        # 2 elements into a scalar
    o = Obj('f', 0.0)
    load_npz(path, o)
    assert o.value == 2.5


def test_load_npz_error_types_are_chainer_compatible(tmp_path):
    assert issubclass(MissingKeyError, KeyError)
    assert issubclass(MissingKeyError, ValueError)
    assert issubclass(SerializationError, ValueError)
    err = MissingKeyError('load_npz: key missing')
    assert str(err) == 'load_npz: key missing'


def test_none_written_by_numpy_savez_loads(tmp_path):
    # numpy.savez pickles numpy.asarray(None) (protocol 4, numpy._core on NumPy 2):
    # recognized as None without unpickling.
    path = tmp_path / 'n.npz'
    numpy.savez(path, p=numpy.asarray(None), q=numpy.arange(2))
    dst = kusari.Link()
    dst.add_persistent('p', numpy.ones(3))
    dst.add_persistent('q', None)
    load_npz(path, dst)
    assert dst.p is None
    numpy.testing.assert_array_equal(dst.q, numpy.arange(2))


def test_save_npz_hands_a_dictionary_serializer_to_serialize(tmp_path):
    # As in Chainer, obj.serialize receives a DictionarySerializer (code checks it).
    seen = []

    class Obj:
        def serialize(self, serializer):
            seen.append(serializer)
            serializer('a', numpy.arange(3))

    save_npz(str(tmp_path / 'o.npz'), Obj())
    assert len(seen) == 1 and isinstance(seen[0], DictionarySerializer)
    with numpy.load(str(tmp_path / 'o.npz')) as f:
        numpy.testing.assert_array_equal(f['a'], [0, 1, 2])
