"""MultiNodeBatchNormalization equals BatchNormalization on the whole batch."""
import numpy as np
import pytest

import kusari
import kusari.functions as F
from kusari import distributed, gradient_check


@pytest.mark.parametrize('shape', [(4, 3), (4, 3, 2, 2)])
def test_mnbn_equals_bn_on_the_whole_batch(shape):
    comm = distributed.create_communicator('naive')
    n = shape[0]
    rng = np.random.RandomState(0)
    x_all = rng.normal(1.5, 2, (n * comm.size,) + shape[1:]).astype(np.float64)
    w_all = rng.normal(size=x_all.shape)
    gamma = rng.uniform(0.5, 1.5, shape[1])
    beta = rng.normal(size=shape[1])
    sl = slice(comm.rank * n, (comm.rank + 1) * n)

    # reference: Chainer's batch normalization over the whole batch, one process
    xr = kusari.Variable(x_all)
    gr, br = kusari.Variable(gamma.copy()), kusari.Variable(beta.copy())
    yr = F.batch_normalization(xr, gr, br, eps=2e-5)
    F.sum(yr * w_all).backward()

    x = kusari.Variable(x_all[sl])
    g, b = kusari.Variable(gamma.copy()), kusari.Variable(beta.copy())
    mean, var = np.zeros(shape[1]), np.ones(shape[1])
    y = distributed.functions.multi_node_batch_normalization(
        x, g, b, comm, eps=2e-5, running_mean=mean, running_var=var, decay=0.0)
    np.testing.assert_allclose(y.array, yr.array[sl], rtol=1e-10, atol=1e-10)
    F.sum(y * w_all[sl]).backward()
    # the loss is the sum of every process's loss: x's gradient is the reference's
    np.testing.assert_allclose(x.grad, xr.grad[sl], rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(comm.allreduce(g.grad), gr.grad, rtol=1e-9)
    np.testing.assert_allclose(comm.allreduce(b.grad), br.grad, rtol=1e-9)
    axes = (0,) + tuple(range(2, len(shape)))
    m = x_all.size // shape[1]
    np.testing.assert_allclose(mean, x_all.mean(axis=axes), rtol=1e-10)
    np.testing.assert_allclose(var, x_all.var(axis=axes) * m / (m - 1), rtol=1e-9)


def test_mnbn_link_train_and_test_modes():
    comm = distributed.create_communicator('naive')
    bn = distributed.MultiNodeBatchNormalization(3, comm)
    assert sorted(n for n, _ in bn.namedparams()) == ['/beta', '/gamma']
    x = np.random.RandomState(comm.rank).normal(size=(5, 3)).astype(np.float32)
    y = bn(x)
    everyone = np.concatenate(comm.mpi_comm.allgather(x))
    np.testing.assert_allclose(bn.avg_mean, 0.1 * everyone.mean(axis=0), rtol=1e-5)
    expected = (x - everyone.mean(axis=0)) / np.sqrt(everyone.var(axis=0) + 2e-5)
    np.testing.assert_allclose(y.array, expected, rtol=1e-4, atol=1e-5)
    with kusari.using_config('train', False):
        yt = bn(x)
    np.testing.assert_allclose(
        yt.array, (x - bn.avg_mean) / np.sqrt(bn.avg_var + 2e-5), rtol=1e-5)


def test_mnbn_check_backward_on_one_process():
    comm = distributed.create_communicator('naive')
    if comm.size != 1:
        return
    rng = np.random.RandomState(2)
    x = rng.normal(size=(6, 3))
    gamma, beta = rng.uniform(0.5, 1.5, 3), rng.normal(size=3)
    gradient_check.check_backward(
        lambda x, g, b: distributed.functions.multi_node_batch_normalization(
            x, g, b, comm), (x, gamma, beta), rng.normal(size=(6, 3)), dtype=np.float64)


def test_create_mnbn_model_replaces_every_batch_normalization():
    import kusari.links as L
    comm = distributed.create_communicator('naive')

    class Net(kusari.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.l = L.Linear(3, 4)
                self.bn = L.BatchNormalization(4)
                self.seq = kusari.ChainList(L.Linear(4, 4), L.BatchNormalization(4))

    net = Net()
    net.bn.gamma.array[...] = 2
    net.bn.avg_mean[...] = 0.5
    mn = distributed.create_mnbn_model(net, comm)
    assert isinstance(mn.bn, distributed.MultiNodeBatchNormalization)
    assert isinstance(mn.seq[1], distributed.MultiNodeBatchNormalization)
    assert isinstance(net.bn, L.BatchNormalization)          # the original is kept
    np.testing.assert_array_equal(mn.bn.gamma.array, np.full(4, 2, np.float32))
    np.testing.assert_array_equal(mn.bn.avg_mean, np.full(4, 0.5, np.float32))
    np.testing.assert_array_equal(mn.l.W.array, net.l.W.array)
    assert sorted(n for n, _ in mn.namedparams()) == sorted(
        n for n, _ in net.namedparams())
    with kusari.using_config('train', False):
        x = np.ones((2, 3), np.float32)
        np.testing.assert_allclose(mn.seq[1](mn.bn(mn.l(x))).array,
                                   net.seq[1](net.bn(net.l(x))).array, rtol=1e-6)
