"""concat_examples, to_device, Converter/converter."""
import numpy
import pytest

from kusari import backend
from kusari import dataset


def test_concat_arrays_equals_stack():
    rng = numpy.random.RandomState(0)
    arrays = [rng.rand(3, 4).astype(numpy.float32) for _ in range(5)]
    out = dataset.concat_examples(arrays)
    assert isinstance(out, numpy.ndarray) and out.dtype == numpy.float32
    numpy.testing.assert_array_equal(out, numpy.stack(arrays))


def test_concat_tuples_and_dicts():
    rng = numpy.random.RandomState(1)
    tuples = [(rng.rand(2, 3), rng.randint(0, 9)) for _ in range(4)]
    x, t = dataset.concat_examples(tuples)
    numpy.testing.assert_array_equal(x, numpy.stack([a for a, _ in tuples]))
    numpy.testing.assert_array_equal(t, numpy.array([b for _, b in tuples]))
    dicts = [{'x': a, 'y': b} for a, b in tuples]
    out = dataset.concat_examples(dicts)
    assert set(out) == {'x', 'y'}
    numpy.testing.assert_array_equal(out['x'], x)
    numpy.testing.assert_array_equal(out['y'], t)


@pytest.mark.parametrize('padding', [None, 0])
def test_builtin_types(padding):
    ints = dataset.concat_examples([1, 2, 3], None, padding)
    assert ints.shape == (3,) and ints.dtype == numpy.asarray([1]).dtype
    numpy.testing.assert_array_equal(ints, [1, 2, 3])
    floats = dataset.concat_examples([1.0, 2.0, 3.0], -1, padding)
    assert floats.dtype == numpy.float64
    numpy.testing.assert_array_equal(floats, [1.0, 2.0, 3.0])


def _reference_pad(arrays, value):
    shape = numpy.max([a.shape for a in arrays], axis=0)
    out = numpy.full((len(arrays),) + tuple(shape), value, arrays[0].dtype)
    for i, a in enumerate(arrays):
        out[i][tuple(slice(0, d) for d in a.shape)] = a
    return out


def test_padding_arrays():
    rng = numpy.random.RandomState(2)
    arrays = [rng.rand(3, 4), rng.rand(2, 5), rng.rand(4, 3)]
    out = dataset.concat_examples(arrays, padding=0)
    assert out.shape == (3, 4, 5)
    numpy.testing.assert_array_equal(out, _reference_pad(arrays, 0))
    numpy.testing.assert_array_equal(out[0, 3:, :], 0)
    numpy.testing.assert_array_equal(out[1, :2, :5], arrays[1])


def test_padding_per_position_tuple_and_dict():
    rng = numpy.random.RandomState(3)
    tuples = [(rng.rand(3, 4), rng.randint(0, 5, size=(2,))),
              (rng.rand(4, 4), rng.randint(0, 5, size=(4,)))]
    x, t = dataset.concat_examples(tuples, padding=(0.5, -1))
    numpy.testing.assert_array_equal(x, _reference_pad([a for a, _ in tuples], 0.5))
    numpy.testing.assert_array_equal(t, _reference_pad([b for _, b in tuples], -1))
    assert t[0, 2] == -1 and t.dtype == tuples[0][1].dtype
    dicts = [{'x': a, 't': b} for a, b in tuples]
    out = dataset.concat_examples(dicts, padding={'x': 0.5, 't': -1})
    numpy.testing.assert_array_equal(out['t'], t)
    numpy.testing.assert_array_equal(out['x'], x)


def test_device_cpu_specs():
    a = [numpy.arange(3), numpy.arange(3)]
    for device in (None, -1, '@numpy', backend.CpuDevice()):
        out = dataset.concat_examples(a, device)
        assert isinstance(out, numpy.ndarray)
        assert backend.get_device_from_array(out) == backend.CpuDevice()


def test_to_device():
    x = numpy.array([1], 'i')
    assert dataset.to_device(None, x) is x
    assert dataset.to_device(-1, x) is x
    assert dataset.to_device('@numpy', x) is x
    assert dataset.to_device(-1, None) is None


def test_bad_input():
    with pytest.raises(ValueError, match='concat_examples.*empty'):
        dataset.concat_examples([])
    with pytest.raises(ValueError, match='concat_examples.*example 1.*tuple of length 2'):
        dataset.concat_examples([(1, 2), (1, 2, 3)])
    with pytest.raises(ValueError, match='concat_examples.*dict with keys'):
        dataset.concat_examples([{'a': 1}, {'b': 1}])
    with pytest.raises(ValueError, match='concat_examples.*ranks'):
        dataset.concat_examples([numpy.zeros((2, 2)), numpy.zeros(2)], padding=0)
    with pytest.raises(ValueError, match=r'concat_examples.*shapes \[\(2,\), \(3,\)\]'):
        dataset.concat_examples([numpy.zeros(2), numpy.zeros(3)])
    with pytest.raises(ValueError, match='concat_examples'):
        dataset.concat_examples([numpy.zeros((2, 3)), numpy.zeros((3, 3))])


def test_converter_decorator():
    calls = []

    @dataset.converter()
    def conv(batch, device):
        calls.append(device)
        return len(batch)

    assert isinstance(conv, dataset.Converter)
    assert isinstance(dataset.concat_examples, dataset.Converter)
    assert conv([1, 2, 3], None) == 3 and calls == [None]
    assert conv.__name__ == 'conv'
    with pytest.raises(TypeError, match='converter'):
        dataset.converter()(42)
    with pytest.raises(NotImplementedError):
        dataset.Converter()([], None)


def test_call_converter_passes_device_object():
    from kusari.dataset.convert import _call_converter
    seen = []

    @dataset.converter()
    def conv(batch, device):
        seen.append(device)
        return batch

    _call_converter(conv, [1], -1)
    assert seen == [backend.CpuDevice()]
    # A legacy plain function gets the device as given.
    assert _call_converter(lambda b, d: d, [1], -1) == -1


def test_mixed_and_zero_dim_examples_match_stack():
    zero_d = [numpy.float32(1.5) * numpy.ones((), numpy.float32), numpy.array(2.0, 'f')]
    numpy.testing.assert_array_equal(dataset.concat_examples(zero_d), numpy.stack(zero_d))
    mixed = [numpy.arange(3), [4, 5, 6]]
    out = dataset.concat_examples(mixed)
    numpy.testing.assert_array_equal(out, [[0, 1, 2], [4, 5, 6]])
    promoted = [numpy.zeros(2, numpy.float32), numpy.ones(2, numpy.float64)]
    assert dataset.concat_examples(promoted).dtype == numpy.stack(promoted).dtype
    views = [numpy.arange(12).reshape(3, 4)[:, 1], numpy.arange(3)]
    numpy.testing.assert_array_equal(dataset.concat_examples(views), numpy.stack(views))


@pytest.mark.gpu
@pytest.mark.parametrize('padding', [None, 0])
def test_concat_to_gpu_and_back(padding):
    import cupy
    arrays = [numpy.arange(3, dtype=numpy.float32), numpy.ones(3, numpy.float32)]
    out = dataset.concat_examples(list(zip(arrays, [1, 2])), device=0, padding=padding)
    assert isinstance(out[0], cupy.ndarray) and int(out[0].device) == 0
    numpy.testing.assert_array_equal(cupy.asnumpy(out[0]), numpy.stack(arrays))
    on_gpu = [cupy.asarray(a) for a in arrays]
    stacked = dataset.concat_examples(on_gpu, padding=padding)
    assert isinstance(stacked, cupy.ndarray)
    back = dataset.concat_examples(on_gpu, device=-1, padding=padding)
    assert isinstance(back, numpy.ndarray)
    numpy.testing.assert_array_equal(back, numpy.stack(arrays))
    assert isinstance(dataset.to_device('@cupy:0', arrays[0]), cupy.ndarray)


def test_concat_examples_pickles_by_reference():
    import pickle
    from kusari.dataset import concat_examples as ce
    assert pickle.loads(pickle.dumps(ce)) is ce


def test_custom_converter_pickles():
    import pickle
    conv = dataset.converter()(_first_only)
    restored = pickle.loads(pickle.dumps(conv))
    assert restored([(1, 'a'), (2, 'b')], None).tolist() == [1, 2]


def test_concat_with_async_transfer_matches_concat_examples():
    import pickle
    conv = dataset.ConcatWithAsyncTransfer()
    batch = [(numpy.arange(3), 1), (numpy.arange(3) + 3, 2)]
    x, t = conv(batch)
    numpy.testing.assert_array_equal(x, [[0, 1, 2], [3, 4, 5]])
    numpy.testing.assert_array_equal(t, [1, 2])
    x2 = pickle.loads(pickle.dumps(conv))([numpy.array([1]), numpy.array([2, 3])],
                                          padding=0)
    numpy.testing.assert_array_equal(x2, [[1, 0], [2, 3]])


def _first_only(batch, device):
    return dataset.concat_examples([b[0] for b in batch], device)
