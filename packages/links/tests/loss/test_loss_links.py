import itertools

import numpy
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import gradient_check
from kusari import initializers
from kusari import testing
from kusari.links.loss.hierarchical_softmax import BinaryHierarchicalSoftmaxFunction
from kusari.utils.type_check import InvalidType

import _links_testing as lt

COUNTS = [3, 1, 4, 1, 5]
V = len(COUNTS)


# ---- BlackOut ---------------------------------------------------------------------

def _black_out(in_size=3, sample_size=2):
    link = L.BlackOut(in_size, COUNTS, sample_size)
    link.W.array[...] = numpy.random.RandomState(0).uniform(-1, 1, link.W.shape)
    link.sample_data = numpy.array([[1, 2], [3, 4]], numpy.int32)
    return link


def test_black_out_params():
    link = L.BlackOut(3, COUNTS, 2)
    assert [n for n, _ in link.namedparams()] == ['/W']
    assert link.W.shape == (V, 3)
    assert numpy.isnan(link.W.array).all()      # Chainer creates W uninitialized
    testing.assert_allclose(
        numpy.bincount(link.sampler.sample((20000,)), minlength=V) / 20000.0,
        numpy.array(COUNTS) / sum(COUNTS), atol=0.02)


def test_black_out_forward():
    link = _black_out()
    x = numpy.random.RandomState(1).uniform(-1, 1, (2, 3)).astype(numpy.float32)
    t = numpy.array([0, 2], numpy.int32)
    testing.assert_allclose(link(x, t).array,
                            F.black_out(x, t, link.W, link.sample_data).array)
    link.sample_data = None
    numpy.random.seed(3)
    y = link(x, t)
    numpy.random.seed(3)
    s = link.sampler.sample((2, 2))
    testing.assert_allclose(y.array, F.black_out(x, t, link.W, s).array)


def test_black_out_common():
    x = numpy.random.RandomState(1).uniform(-1, 1, (2, 3)).astype(numpy.float32)
    lt.check_common(_black_out, [x, numpy.array([0, 2], numpy.int32)])


# ---- NegativeSampling -------------------------------------------------------------

def _seeded(link, x, t):
    numpy.random.seed(0)
    return link(x, t, reduce='no')


def test_negative_sampling_params_and_sampler():
    link = L.NegativeSampling(3, COUNTS, 2, power=0.5)
    assert [n for n, _ in link.namedparams()] == ['/W']
    assert link.W.shape == (V, 3) and (link.W.array == 0).all()
    numpy.random.seed(0)
    freq = numpy.bincount(link.sampler.sample((20000,)), minlength=V) / 20000.0
    p = numpy.array(COUNTS, numpy.float64) ** 0.5
    testing.assert_allclose(freq, p / p.sum(), atol=0.02)


@pytest.mark.parametrize('reduce', ['sum', 'no'])
def test_negative_sampling_forward(reduce):
    link = L.NegativeSampling(3, COUNTS, 2)
    link.W.array[...] = numpy.random.RandomState(0).uniform(-1, 1, link.W.shape)
    x = numpy.random.RandomState(1).uniform(-1, 1, (4, 3)).astype(numpy.float32)
    t = numpy.array([0, 2, -1, 4], numpy.int32)
    numpy.random.seed(5)
    y, samples = link(x, t, reduce=reduce, return_samples=True)
    assert samples.shape == (4, 3) and (samples[:, 0] == t).all()
    expected = F.negative_sampling(x, t, link.W, lambda shape: samples, 2, reduce=reduce)
    testing.assert_allclose(y.array, expected.array)
    with pytest.raises(TypeError):
        link(x, t, return_sample=True)


def test_negative_sampling_common():
    def make():
        link = L.NegativeSampling(3, COUNTS, 2)
        link.W.array[...] = numpy.random.RandomState(0).uniform(-1, 1, link.W.shape)
        return link
    x = numpy.random.RandomState(1).uniform(-1, 1, (2, 3)).astype(numpy.float32)
    lt.check_common(make, [x, numpy.array([0, 2], numpy.int32)], call=_seeded)


# ---- CRF1d ------------------------------------------------------------------------

def _seqs(K=3, lengths=(2, 4, 3), seed=0):
    rng = numpy.random.RandomState(seed)
    xs = [rng.uniform(-1, 1, (n, K)).astype(numpy.float32) for n in lengths]
    ys = [rng.randint(0, K, n).astype(numpy.int32) for n in lengths]
    return xs, ys


def _brute_best(cost, x):
    K = cost.shape[0]

    def score(p):
        return (sum(x[i, c] for i, c in enumerate(p))
                + sum(cost[p[i - 1], p[i]] for i in range(1, len(p))))
    return max(itertools.product(range(K), repeat=len(x)), key=score)


def test_crf1d_params_and_initial_cost():
    link = L.CRF1d(3)
    assert [n for n, _ in link.namedparams()] == ['/cost']
    assert link.cost.shape == (3, 3) and (link.cost.array == 0).all()
    init = numpy.arange(9, dtype=numpy.float32).reshape(3, 3)
    link = L.CRF1d(3, initial_cost=init)
    testing.assert_allclose(link.cost.array, init)
    link = L.CRF1d(2, initial_cost=initializers.Constant(0.5))
    assert (link.cost.array == 0.5).all()


@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_crf1d_forward_and_transpose(reduce):
    link = L.CRF1d(3, initial_cost=numpy.random.RandomState(1).uniform(
        -1, 1, (3, 3)).astype(numpy.float32))
    xs, ys = _seqs()
    order = [1, 2, 0]                        # by decreasing length
    txs = F.transpose_sequence([xs[i] for i in order])
    tys = [y.array for y in F.transpose_sequence([ys[i] for i in order])]
    expected = F.crf1d(link.cost, list(txs), tys, reduce=reduce)
    testing.assert_allclose(link(list(txs), tys, reduce=reduce).array, expected.array)
    got = link(xs, ys, reduce=reduce, transpose=True)
    testing.assert_allclose(got.array, expected.array, rtol=1e-5)


def test_crf1d_argmax_transpose():
    cost = numpy.random.RandomState(2).uniform(-1, 1, (3, 3)).astype(numpy.float32)
    link = L.CRF1d(3, initial_cost=cost)
    xs, _ = _seqs(seed=3)
    score, paths = link.argmax(xs, transpose=True)
    assert len(paths) == len(xs)
    for x, p in zip(xs, paths):
        assert tuple(p.tolist()) == _brute_best(cost, x)
    assert score.shape == (3,)


def test_crf1d_common():
    xs, ys = _seqs(lengths=(3, 2))
    txs = [x.array for x in F.transpose_sequence(xs)]
    tys = [y.array for y in F.transpose_sequence(ys)]

    def make():
        return L.CRF1d(3, initial_cost=numpy.random.RandomState(0).uniform(
            -1, 1, (3, 3)).astype(numpy.float32))
    lt.check_common(make, [txs, tys], call=lambda link, xs, ys: link(xs, ys))


# ---- BinaryHierarchicalSoftmax -----------------------------------------------------

def test_huffman_tree():
    make = L.BinaryHierarchicalSoftmax.create_huffman_tree
    assert make({0: 8, 1: 5, 2: 6, 3: 4}) == ((3, 1), (2, 0))
    assert make({'a': 1}) == 'a'
    with pytest.raises(ValueError):
        make({})


def _word_logprob(W, tree, x, word):
    """log P(word | x) by walking the tuple tree (pre-order node ids)."""
    counter = itertools.count()

    def walk(node):
        if not isinstance(node, tuple):
            return {node: 0.0}
        nid = next(counter)
        s = float(W[nid] @ x)
        left, right = walk(node[0]), walk(node[1])
        out = {w: lp - numpy.logaddexp(0, -s) for w, lp in left.items()}
        out.update({w: lp - numpy.logaddexp(0, s) for w, lp in right.items()})
        return out
    return walk(tree)[word]


TREE = ((0, (1, 2)), (3, 4))


def test_hsm_params():
    with kusari.using_config('dtype', numpy.float64):
        link = L.BinaryHierarchicalSoftmax(3, TREE)
    assert [n for n, _ in link.namedparams()] == ['/W']
    assert link.W.shape == (4, 3) and link.W.dtype == numpy.float64
    assert (numpy.abs(link.W.array) <= 1).all() and link.W.array.std() > 0.1


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_hsm_forward(dtype):
    with kusari.using_config('dtype', dtype):
        link = L.BinaryHierarchicalSoftmax(3, TREE)
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (5, 3)).astype(dtype)
    t = numpy.array([0, 1, 2, 3, 4], numpy.int32)
    y = link(x, t)
    assert y.dtype == dtype and y.shape == ()
    W = link.W.array.astype(numpy.float64)
    ref = -sum(_word_logprob(W, TREE, x[i].astype(numpy.float64), w)
               for i, w in enumerate(t))
    tol = dict(rtol=5e-3, atol=5e-3) if dtype == numpy.float16 else dict(rtol=1e-5)
    testing.assert_allclose(float(y.array), ref, **tol)
    # the word probabilities sum to one
    total = sum(numpy.exp(_word_logprob(W, TREE, x[0].astype(numpy.float64), w))
                for w in range(5))
    testing.assert_allclose(total, 1.0)


def test_hsm_backward_and_paths_agree():
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, (4, 3))
    W = rng.uniform(-1, 1, (4, 3))
    t = numpy.array([4, 0, 2, 2], numpy.int32)
    nc = numpy.asfortranarray(x)

    def f(x, W):
        return BinaryHierarchicalSoftmaxFunction(TREE).apply((x, t, W))[0]
    gradient_check.check_backward(f, (nc, W), numpy.array(0.7))
    res = []
    for double in (False, True):
        vs = [kusari.Variable(x.copy()), kusari.Variable(W.copy())]
        gs = kusari.grad([f(*vs)], vs, grad_outputs=[numpy.array(0.7)],
                         enable_double_backprop=double)
        res.append([g.array for g in gs])
    for a, b in zip(*res):
        testing.assert_allclose(a, b)


def test_hsm_invalid():
    link = L.BinaryHierarchicalSoftmax(3, TREE)
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match='x.dtype'):
        link(x.astype(numpy.int32), numpy.array([0, 1], numpy.int32))
    with pytest.raises(InvalidType, match='W.shape'):
        link(numpy.zeros((2, 4), numpy.float32), numpy.array([0, 1], numpy.int32))
    with pytest.raises(ValueError, match='BinaryHierarchicalSoftmax'):
        link(x, numpy.array([0, 5], numpy.int32))
    with pytest.raises(ValueError, match='two child'):
        L.BinaryHierarchicalSoftmax(3, ((0, 1, 2), 3))


def test_hsm_sample():
    link = L.BinaryHierarchicalSoftmax(2, ((0, 1), 2))
    link.W.array[...] = [[2.0, 0.0], [0.0, 0.0]]
    numpy.random.seed(0)
    x = numpy.tile(numpy.array([[1.0, 0.0]], numpy.float32), (4000, 1))
    s = link.sample(x)
    assert s.shape == (4000,) and s.dtype == numpy.int32
    p_left = 1 / (1 + numpy.exp(-2.0))
    expected = numpy.array([p_left / 2, p_left / 2, 1 - p_left])
    testing.assert_allclose(numpy.bincount(s, minlength=3) / 4000.0, expected, atol=0.03)


def test_hsm_common():
    def make():
        with kusari.using_config('dtype', numpy.float32):
            return L.BinaryHierarchicalSoftmax(3, TREE)
    x = numpy.random.RandomState(2).uniform(-1, 1, (3, 3)).astype(numpy.float32)
    numpy.random.seed(0)
    lt.check_common(make, [x, numpy.array([0, 3, 4], numpy.int32)])


@pytest.mark.gpu
def test_gpu_round_trips():
    x = numpy.random.RandomState(1).uniform(-1, 1, (2, 3)).astype(numpy.float32)
    t = numpy.array([0, 2], numpy.int32)
    lt.check_gpu_round_trip(_black_out, [x, t])
    lt.check_gpu_round_trip(lambda: L.BinaryHierarchicalSoftmax(3, TREE), [x, t])
    xs, ys = _seqs(lengths=(3, 2))
    txs = [a.array for a in F.transpose_sequence(xs)]
    tys = [a.array for a in F.transpose_sequence(ys)]
    import cupy
    lt.check_gpu_round_trip(
        lambda: L.CRF1d(3, initial_cost=numpy.eye(3, dtype=numpy.float32)), [txs, tys],
        call=lambda link, xs, ys: link([link.xp.asarray(a) for a in xs],
                                       [link.xp.asarray(a) for a in ys]))
    link = L.NegativeSampling(3, COUNTS, 2)
    link.to_device('@cupy:0')
    assert isinstance(link.sampler.sample((2, 3)), cupy.ndarray)
    y = link(cupy.asarray(x), cupy.asarray(t))
    assert isinstance(y.array, cupy.ndarray)
