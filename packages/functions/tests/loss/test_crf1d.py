import itertools

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari import testing
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]
K = 3
LENGTHS = [3, 2, 2, 1]


def _data(dtype, lengths=LENGTHS, seed=0):
    rng = numpy.random.RandomState(seed)
    cost = rng.uniform(-1, 1, (K, K)).astype(dtype)
    seqs = [rng.uniform(-1, 1, (n, K)).astype(dtype) for n in lengths]
    labels = [rng.randint(0, K, n).astype(numpy.int32) for n in lengths]
    L = max(lengths)
    xs = [numpy.stack([s[t] for s in seqs if len(s) > t]) for t in range(L)]
    ys = [numpy.array([lab[t] for lab in labels if len(lab) > t], numpy.int32)
          for t in range(L)]
    return cost, seqs, labels, xs, ys


def _path_score(cost, x, path):
    return (sum(x[i, p] for i, p in enumerate(path))
            + sum(cost[path[i - 1], path[i]] for i in range(1, len(path))))


def _brute(cost, x, y):
    """(nll, best path, best score) by enumerating every label path."""
    cost = cost.astype(numpy.float64)
    x = x.astype(numpy.float64)
    paths = list(itertools.product(range(K), repeat=len(x)))
    scores = numpy.array([_path_score(cost, x, p) for p in paths])
    logz = numpy.log(numpy.exp(scores - scores.max()).sum()) + scores.max()
    best = int(numpy.argmax(scores))
    return logz - _path_score(cost, x, y), paths[best], scores[best]


def _tol(dtype):
    return dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else \
        dict(atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_forward_matches_brute_force(dtype, reduce):
    cost, seqs, labels, xs, ys = _data(dtype)
    ref = numpy.array([_brute(cost, s, lab)[0] for s, lab in zip(seqs, labels)])
    y = F.crf1d(cost, xs, ys, reduce=reduce)
    assert y.dtype == dtype
    expected = ref.mean() if reduce == 'mean' else ref
    assert y.shape == numpy.shape(expected)
    testing.assert_allclose(y.array.astype(numpy.float64), expected, **_tol(dtype))


def test_forward_variables_and_noncontiguous():
    cost, seqs, labels, xs, ys = _data(numpy.float64, lengths=[3, 3])
    big = [numpy.repeat(x, 2, axis=1) for x in xs]
    nc = [b[:, ::2] for b in big]
    assert not nc[0].flags.c_contiguous
    costT = numpy.asfortranarray(cost)
    ref = numpy.array([_brute(cost, s, lab)[0] for s, lab in zip(seqs, labels)])
    y = F.crf1d(kusari.Variable(costT), [kusari.Variable(x) for x in nc], ys,
                reduce='no')
    testing.assert_allclose(y.array, ref)


@pytest.mark.parametrize('dtype', DTYPES)
def test_argmax_matches_brute_force(dtype):
    cost, seqs, labels, xs, ys = _data(dtype, seed=1)
    s, ps = F.argmax_crf1d(cost, xs)
    assert isinstance(s, kusari.Variable) and s.shape == (len(seqs),)
    assert len(ps) == len(xs)
    for t, p in enumerate(ps):
        assert p.dtype == numpy.int32 and p.shape == xs[t].shape[:1]
    for b, seq in enumerate(seqs):
        _, best, best_score = _brute(cost, seq, [0] * len(seq))
        got = [int(ps[t][b]) for t in range(len(seq))]
        assert tuple(got) == best
        testing.assert_allclose(float(s.array[b]), best_score, **_tol(dtype))


def test_argmax_score_gradient():
    cost, seqs, labels, xs, ys = _data(numpy.float64, seed=2)
    gy = numpy.random.RandomState(0).uniform(-1, 1, len(seqs))
    gradient_check.check_backward(
        lambda c, *xs: F.argmax_crf1d(c, list(xs))[0], (cost,) + tuple(xs), gy,
        atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_backward(dtype, reduce):
    cost, seqs, labels, xs, ys = _data(dtype)
    rng = numpy.random.RandomState(3)
    gy = None if reduce == 'mean' else rng.uniform(-1, 1, len(seqs)).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(
        lambda c, *xs: F.crf1d(c, list(xs), ys, reduce=reduce), (cost,) + tuple(xs),
        gy, dtype=numpy.float64, **tol)


def test_backward_matches_marginals():
    # d logZ / d x[t, b, k] is the marginal probability of label k at position t
    cost, seqs, labels, xs, ys = _data(numpy.float64, lengths=[3])
    xv = [kusari.Variable(x) for x in xs]
    F.crf1d(cost, xv, ys).backward()
    paths = list(itertools.product(range(K), repeat=3))
    sc = numpy.array([_path_score(cost, seqs[0], p) for p in paths])
    prob = numpy.exp(sc - sc.max())
    prob /= prob.sum()
    for t in range(3):
        marg = numpy.zeros(K)
        for p, q in zip(paths, prob):
            marg[p[t]] += q
        onehot = numpy.eye(K)[labels[0][t]]
        testing.assert_allclose(xv[t].grad[0], marg - onehot, atol=1e-10)


@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_double_backward(reduce):
    cost, seqs, labels, xs, ys = _data(numpy.float64, lengths=[3, 2, 1])
    rng = numpy.random.RandomState(4)
    gy = rng.uniform(-1, 1, () if reduce == 'mean' else (3,))
    ggs = (rng.uniform(-1, 1, cost.shape),) + tuple(rng.uniform(-1, 1, x.shape)
                                                   for x in xs)
    gradient_check.check_double_backward(
        lambda c, *xs: F.crf1d(c, list(xs), ys, reduce=reduce), (cost,) + tuple(xs),
        gy, ggs, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize('dtype', DTYPES)
def test_backward_paths_agree(dtype):
    cost, seqs, labels, xs, ys = _data(dtype)
    gy = numpy.random.RandomState(5).uniform(-1, 1, len(seqs)).astype(dtype)
    results = []
    for double in (False, True):
        vs = [kusari.Variable(cost.copy())] + [kusari.Variable(x.copy()) for x in xs]
        y = F.crf1d(vs[0], vs[1:], ys, reduce='no')
        gs = kusari.grad([y], vs, grad_outputs=[gy.copy()],
                         enable_double_backprop=double)
        results.append([g.array for g in gs])
    for a, b in zip(*results):
        assert a.dtype == dtype
        testing.assert_allclose(a, b, **_tol(dtype))


def test_single_step_and_single_label():
    cost = numpy.zeros((1, 1), numpy.float32)
    xs = [numpy.array([[2.0]], numpy.float32)]
    ys = [numpy.array([0], numpy.int32)]
    assert float(F.crf1d(cost, xs, ys).array) == 0.0
    s, ps = F.argmax_crf1d(cost, xs)
    assert float(s.array[0]) == 2.0 and ps[0].tolist() == [0]


@pytest.mark.parametrize('args,match', [
    (lambda c, xs, ys: (c.astype(numpy.int32), xs, ys), 'cost'),
    (lambda c, xs, ys: (c[:2], xs, ys), 'cost'),
    (lambda c, xs, ys: (c, [x[:, :2] for x in xs], ys), 'xs'),
    (lambda c, xs, ys: (c, [x.astype(numpy.float32) for x in xs], ys), 'dtype'),
    (lambda c, xs, ys: (c, xs[::-1], ys[::-1]), 'increase'),
    (lambda c, xs, ys: (c, xs, ys[:-1]), 'len(ys)'),
    (lambda c, xs, ys: (c, xs, [y.astype(numpy.float64) for y in ys]), 'ys'),
    (lambda c, xs, ys: (c, xs, [y[:1] for y in ys]), 'ys'),
])
def test_invalid(args, match):
    cost, seqs, labels, xs, ys = _data(numpy.float64)
    with pytest.raises(InvalidType) as e:
        F.crf1d(*args(cost, xs, ys))
    assert 'crf1d' in str(e.value) and match in str(e.value)


def test_invalid_label_and_reduce():
    cost, seqs, labels, xs, ys = _data(numpy.float64)
    bad = [y.copy() for y in ys]
    bad[1][0] = K
    with pytest.raises(ValueError, match='crf1d'):
        F.crf1d(cost, xs, bad)
    with pytest.raises(ValueError, match="'reduce'"):
        F.crf1d(cost, xs, ys, reduce='sum')
    with pytest.raises(InvalidType, match='argmax_crf1d'):
        F.argmax_crf1d(cost, [])


@pytest.mark.gpu
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_gpu_matches_cpu(dtype):
    import cupy
    cost, seqs, labels, xs, ys = _data(dtype)
    gy = numpy.random.RandomState(6).uniform(-1, 1, len(seqs)).astype(dtype)
    cpu = F.crf1d(cost, xs, ys, reduce='no')
    gpu = F.crf1d(cupy.asarray(cost), [cupy.asarray(x) for x in xs],
                  [cupy.asarray(y) for y in ys], reduce='no')
    testing.assert_allclose(gpu.array, cpu.array, **_tol(dtype))
    gradient_check.check_backward(
        lambda c, *xs: F.crf1d(c, list(xs), [cupy.asarray(y) for y in ys], reduce='no'),
        (cupy.asarray(cost),) + tuple(cupy.asarray(x) for x in xs), cupy.asarray(gy),
        dtype=numpy.float64, atol=1e-4, rtol=1e-4)
    s_cpu, p_cpu = F.argmax_crf1d(cost, xs)
    s_gpu, p_gpu = F.argmax_crf1d(cupy.asarray(cost), [cupy.asarray(x) for x in xs])
    testing.assert_allclose(s_gpu.array, s_cpu.array, **_tol(dtype))
    for a, b in zip(p_gpu, p_cpu):
        assert cupy.asnumpy(a).tolist() == b.tolist()
