import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari import testing
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]
B, K, H, W = 2, 3, 3, 4
DV, DD = 0.3, 1.0


def _data(dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    emb = rng.uniform(-1, 1, (B, K, H, W)).astype(dtype)
    labels = rng.randint(0, K + 1, (B, H, W)).astype(numpy.int32)
    labels[1][labels[1] == 2] = 0                 # instance 2 absent in image 1
    return emb, labels


def _ref(emb, labels, norm, alpha=1.0, beta=1.0, gamma=0.001):
    """Loop-by-loop reference of Chainer's definition."""
    emb = emb.astype(numpy.float64)

    def nrm(v):
        return numpy.abs(v).sum() if norm == 1 else numpy.sqrt((v * v).sum())
    mu = numpy.zeros((K, B, K))
    for k in range(K):
        for b in range(B):
            m = labels[b] == k + 1
            if m.any():
                mu[k, b] = emb[b][:, m].mean(axis=1)
    l_reg = sum(nrm(mu[k]) for k in range(K)) / (K * B)
    l_var = 0.0
    for k in range(K):
        acc, n = 0.0, 0
        for b in range(B):
            for h in range(H):
                for w in range(W):
                    if labels[b, h, w] == k + 1:
                        d = nrm(mu[k, b] - emb[b, :, h, w])
                        acc += max(d - DV, 0) ** 2
                        n += 1
        l_var += acc / max(n, 1)
    l_var /= K
    l_dist, count = 0.0, 0
    for a in range(K):
        for c in range(a + 1, K):
            for b in range(B):
                l_dist += max(2 * DD - nrm(mu[a, b] - mu[c, b]), 0) ** 2
            count += 1
    l_dist /= max(count * B, 1)
    return alpha * l_var, beta * l_dist, gamma * l_reg


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('norm', [1, 2])
def test_forward(dtype, norm):
    emb, labels = _data(dtype)
    out = F.discriminative_margin_based_clustering_loss(
        emb, labels, DV, DD, K, norm=norm, alpha=0.5, beta=2.0, gamma=0.1)
    ref = _ref(emb, labels, norm, 0.5, 2.0, 0.1)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else \
        dict(atol=1e-5, rtol=1e-5)
    assert len(out) == 3
    for o, r in zip(out, ref):
        assert isinstance(o, kusari.Variable) and o.shape == () and o.dtype == dtype
        testing.assert_allclose(float(o.array), r, **tol)


def test_forward_noncontiguous():
    emb, labels = _data(numpy.float64, seed=1)
    nc = numpy.repeat(emb, 2, axis=3)[..., ::2]
    assert not nc.flags.c_contiguous
    out = F.discriminative_margin_based_clustering_loss(nc, labels, DV, DD, K)
    for o, r in zip(out, _ref(emb, labels, 1)):
        testing.assert_allclose(float(o.array), r)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('norm', [1, 2])
def test_backward(dtype, norm):
    emb, labels = _data(dtype, seed=2)
    gys = tuple(numpy.array(g, dtype) for g in (0.7, -0.4, 1.3))
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(
        lambda e: F.discriminative_margin_based_clustering_loss(
            e, labels, DV, DD, K, norm=norm, gamma=0.5),
        emb, gys, dtype=numpy.float64, **tol)


def test_double_backward():
    emb, labels = _data(numpy.float64, seed=3)
    rng = numpy.random.RandomState(4)
    gys = tuple(numpy.array(g) for g in (0.7, -0.4, 1.3))
    gradient_check.check_double_backward(
        lambda e: F.discriminative_margin_based_clustering_loss(
            e, labels, DV, DD, K, norm=2, gamma=0.5),
        emb, gys, rng.uniform(-1, 1, emb.shape), atol=1e-4, rtol=1e-4)


def test_single_instance_has_zero_distance_term():
    emb = numpy.ones((1, 1, 2, 2), numpy.float32)
    _, l_dist, _ = F.discriminative_margin_based_clustering_loss(
        emb, numpy.ones((1, 2, 2), numpy.int32), DV, DD, 1)
    assert float(l_dist.array) == 0.0


def test_invalid():
    emb, labels = _data(numpy.float32)
    f = F.discriminative_margin_based_clustering_loss
    cases = [
        ((emb.astype(numpy.int32), labels), 'embeddings.dtype'),
        ((emb[0], labels), 'embeddings.ndim'),
        ((emb[:, :2], labels), 'max_embedding_dim'),
        ((emb, labels.astype(numpy.float32)), 'labels.dtype'),
        ((emb, labels[:, :2]), 'labels.shape'),
    ]
    for (e, lab), match in cases:
        with pytest.raises(InvalidType) as err:
            f(e, lab, DV, DD, K)
        assert 'discriminative_margin_based_clustering_loss' in str(err.value)
        assert match in str(err.value)
    with pytest.raises(ValueError, match='norm'):
        f(emb, labels, DV, DD, K, norm=3)
    with pytest.raises(ValueError, match='max_embedding_dim'):
        f(emb, labels, DV, DD, 0)


@pytest.mark.gpu
def test_gpu_matches_cpu():
    import cupy
    emb, labels = _data(numpy.float32)
    cpu = F.discriminative_margin_based_clustering_loss(emb, labels, DV, DD, K, norm=2)
    gpu = F.discriminative_margin_based_clustering_loss(
        cupy.asarray(emb), cupy.asarray(labels), DV, DD, K, norm=2)
    for a, b in zip(gpu, cpu):
        testing.assert_allclose(a.array, b.array, atol=1e-5, rtol=1e-5)
