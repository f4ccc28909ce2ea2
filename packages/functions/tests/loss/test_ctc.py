import itertools

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari import testing
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]
T, B, V, M = 4, 3, 3, 2
ctc = F.connectionist_temporal_classification


def _data(dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.uniform(-2, 2, (T, B, V)).astype(dtype)
    t = rng.randint(1, V, (B, M)).astype(numpy.int32)
    t[0] = [1, 1]                  # a repeated label needs a blank in between
    in_len = numpy.array([4, 3, 3], numpy.int32)
    lab_len = numpy.array([2, 1, 2], numpy.int32)
    return x, t, in_len, lab_len


def _brute(xb, label, blank=0):
    """-log p(label | xb) by enumerating every alignment of length len(xb)."""
    xb = xb.astype(numpy.float64)
    e = numpy.exp(xb - xb.max(1, keepdims=True))
    p = e / e.sum(1, keepdims=True)
    total = 0.0
    for path in itertools.product(range(p.shape[1]), repeat=len(xb)):
        collapsed = [c for i, c in enumerate(path)
                     if c != blank and (i == 0 or path[i - 1] != c)]
        if collapsed == list(label):
            total += numpy.prod([p[i, c] for i, c in enumerate(path)])
    return -numpy.log(total) if total > 0 else numpy.inf


def _ref(x, t, in_len, lab_len, blank=0):
    return numpy.array([_brute(x[:in_len[b], b], t[b, :lab_len[b]], blank)
                        for b in range(x.shape[1])])


def _tol(dtype):
    return dict(atol=1e-2, rtol=1e-2) if dtype == numpy.float16 else \
        dict(atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_forward_matches_brute_force(dtype, reduce):
    x, t, in_len, lab_len = _data(dtype)
    y = ctc(list(x), t, 0, in_len, lab_len, reduce=reduce)
    ref = _ref(x, t, in_len, lab_len)
    assert y.dtype == dtype
    expected = ref.mean() if reduce == 'mean' else ref
    assert y.shape == numpy.shape(expected)
    testing.assert_allclose(y.array.astype(numpy.float64), expected, **_tol(dtype))


def test_default_lengths_other_blank_and_noncontiguous():
    x, t, _, _ = _data(numpy.float64, seed=1)
    t = numpy.where(t == 2, 0, t)            # labels in {0, 1}; blank is 2
    xs = [numpy.asfortranarray(xi) for xi in x]
    xs = [numpy.repeat(xi, 2, axis=1)[:, ::2] for xi in xs]
    assert not xs[0].flags.c_contiguous
    y = ctc([kusari.Variable(xi) for xi in xs], kusari.Variable(t), 2, reduce='no')
    full_in = numpy.full(B, T, numpy.int32)
    full_lab = numpy.full(B, M, numpy.int32)
    testing.assert_allclose(y.array, _ref(x, t, full_in, full_lab, blank=2))


def test_labels_past_label_length_are_ignored():
    x, t, in_len, lab_len = _data(numpy.float64)
    t2 = t.copy()
    t2[1, 1] = -1                      # past label_length[1] == 1
    testing.assert_allclose(ctc(list(x), t2, 0, in_len, lab_len, reduce='no').array,
                            _ref(x, t, in_len, lab_len))


def test_empty_label_and_infeasible():
    x, t, in_len, lab_len = _data(numpy.float64)
    lab_len = numpy.array([0, 1, 2], numpy.int32)
    in_len = numpy.array([2, 3, 1], numpy.int32)    # sequence 2 cannot fit 2 labels
    v = kusari.Variable(x)
    y = ctc(list(F.separate(v, 0)), t, 0, in_len, lab_len, reduce='no')
    ref = _ref(x, t, in_len, lab_len)
    assert numpy.isinf(ref[2]) and numpy.isinf(y.array[2])
    testing.assert_allclose(y.array[:2], ref[:2])
    F.sum(y[:2]).backward()
    assert numpy.all(v.grad[:, 2] == 0)           # infeasible: zero gradient
    assert numpy.all(v.grad[2:, 0] == 0)          # past the input length: zero


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_backward(dtype, reduce):
    x, t, in_len, lab_len = _data(dtype)
    gy = None if reduce == 'mean' else \
        numpy.random.RandomState(2).uniform(-1, 1, B).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(
        lambda *xs: ctc(list(xs), t, 0, in_len, lab_len, reduce=reduce), tuple(x), gy,
        dtype=numpy.float64, **tol)


@pytest.mark.parametrize('dtype', DTYPES)
def test_backward_paths_agree(dtype):
    x, t, in_len, lab_len = _data(dtype)
    gy = numpy.random.RandomState(3).uniform(-1, 1, B).astype(dtype)
    results = []
    for double in (False, True):
        v = kusari.Variable(x.copy())
        y = ctc(list(F.separate(v, 0)), t, 0, in_len, lab_len, reduce='no')
        g, = kusari.grad([y], [v], grad_outputs=[gy.copy()],
                         enable_double_backprop=double)
        results.append(g.array)
    assert results[0].dtype == dtype
    testing.assert_allclose(results[0], results[1], **_tol(dtype))


def test_invalid():
    x, t, in_len, lab_len = _data(numpy.float32)
    xs = list(x)
    with pytest.raises(TypeError, match='connectionist_temporal_classification'):
        ctc(x, t, 0)                                  # not a list
    with pytest.raises(TypeError, match='blank_symbol'):
        ctc(xs, t, 0.5)
    with pytest.raises(ValueError, match='blank_symbol'):
        ctc(xs, t, V)
    with pytest.raises(ValueError, match="'reduce'"):
        ctc(xs, t, 0, reduce='sum')
    cases = [
        (([xi.astype(numpy.int32) for xi in xs], t, 0), 'x[0].dtype'),
        ((xs[:1] + [xs[1][:, :2]] + xs[2:], t, 0), 'x[1]'),
        ((xs, t[:2], 0), 't.'),
        ((xs, t.astype(numpy.float32), 0), 't.dtype'),
        ((xs, t, 0, in_len[:2]), 'input_length.shape'),
        ((xs, t, 0, None, lab_len.astype(numpy.float32)), 'label_length.dtype'),
    ]
    for args, match in cases:
        with pytest.raises(InvalidType) as e:
            ctc(*args)
        assert 'connectionist_temporal_classification' in str(e.value)
        assert match in str(e.value)
    for args in [(xs, t, 0, in_len + 2), (xs, t, 0, None, lab_len + 2),
                 (xs, t + V, 0)]:
        with pytest.raises(ValueError, match='connectionist_temporal_classification'):
            ctc(*args)


@pytest.mark.gpu
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_gpu_matches_cpu(dtype, reduce):
    import cupy
    x, t, in_len, lab_len = _data(dtype)
    cpu = ctc(list(x), t, 0, in_len, lab_len, reduce=reduce)
    gpu = ctc([cupy.asarray(xi) for xi in x], cupy.asarray(t), 0, cupy.asarray(in_len),
              cupy.asarray(lab_len), reduce=reduce)
    testing.assert_allclose(gpu.array, cpu.array, **_tol(dtype))
    v_cpu = kusari.Variable(x)
    v_gpu = kusari.Variable(cupy.asarray(x))
    F.sum(ctc(list(F.separate(v_cpu, 0)), t, 0, in_len, lab_len, reduce=reduce)).backward()
    F.sum(ctc(list(F.separate(v_gpu, 0)), cupy.asarray(t), 0, cupy.asarray(in_len),
              cupy.asarray(lab_len), reduce=reduce)).backward()
    testing.assert_allclose(v_gpu.grad, v_cpu.grad, **_tol(dtype))
