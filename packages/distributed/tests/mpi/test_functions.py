"""Differentiable communication and MultiNodeChainList: values and gradients in closed form."""
import numpy as np
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import distributed
from kusari.distributed import functions as DF


@pytest.fixture
def comm():
    return distributed.create_communicator('naive')


def arr(rank, shape=(2, 3)):
    return (np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
            + 10 * rank)


def test_send_recv_forward_and_backward(comm):
    if comm.size < 2:
        return
    w = np.float32(3.0)
    if comm.rank == 0:
        x = kusari.Variable(arr(0) / 10)
        delegate = DF.send(F.tanh(x), comm, rank=1)
        assert delegate.shape == ()
        delegate.backward()
        # d/dx sum(w * tanh(x)) = w * (1 - tanh^2)
        np.testing.assert_allclose(
            x.grad, w * (1 - np.tanh(arr(0) / 10.0) ** 2), rtol=1e-5)
    elif comm.rank == 1:
        h = DF.recv(comm, rank=0)
        np.testing.assert_allclose(h.array, np.tanh(arr(0) / 10.0), rtol=1e-6)
        F.sum(h * w).backward()


def test_send_recv_tuple(comm):
    if comm.size < 2:
        return
    if comm.rank == 0:
        a, b = kusari.Variable(arr(0)), kusari.Variable(arr(1, (4,)))
        DF.send((a, b), comm, rank=1).backward()
        np.testing.assert_array_equal(a.grad, np.full((2, 3), 2, np.float32))
        np.testing.assert_array_equal(b.grad, np.full(4, 5, np.float32))
    elif comm.rank == 1:
        a, b = DF.recv(comm, rank=0)
        np.testing.assert_array_equal(b.array, arr(1, (4,)))
        (F.sum(a) * 2 + F.sum(b) * 5).backward()


def test_send_to_self_is_an_error(comm):
    with pytest.raises(ValueError, match='this process'):
        DF.send(kusari.Variable(arr(0)), comm, rank=comm.rank)


def test_pseudo_connect():
    d = kusari.Variable(np.zeros((), np.float32))
    x = kusari.Variable(arr(0))
    y = DF.pseudo_connect(d, x)
    np.testing.assert_array_equal(y.array, x.array)
    F.sum(y * 2).backward()
    np.testing.assert_array_equal(x.grad, np.full((2, 3), 2, np.float32))
    assert d.grad == 0


def test_allgather(comm):
    x = kusari.Variable(arr(comm.rank))
    ys = DF.allgather(comm, x)
    assert len(ys) == comm.size
    for r, y in enumerate(ys):
        np.testing.assert_array_equal(y.array, arr(r))
    sum(F.sum(y * (i + 1)) for i, y in enumerate(ys)).backward()
    # every rank's loss uses rank r's x with weight r + 1
    np.testing.assert_array_equal(x.grad, np.full((2, 3), comm.size * (comm.rank + 1)))


def test_alltoall(comm):
    xs = [kusari.Variable(arr(comm.rank * comm.size + d)) for d in range(comm.size)]
    ys = DF.alltoall(comm, xs)
    for s, y in enumerate(ys):
        np.testing.assert_array_equal(y.array, arr(s * comm.size + comm.rank))
    sum(F.sum(y * (s + 1) * (comm.rank + 1)) for s, y in enumerate(ys)).backward()
    for d, x in enumerate(xs):
        # xs[d] arrived on rank d as its ys[rank]
        np.testing.assert_array_equal(x.grad, np.full((2, 3), (comm.rank + 1) * (d + 1)))


def test_bcast(comm):
    x = kusari.Variable(arr(7)) if comm.rank == 0 else None
    y = DF.bcast(comm, x, root=0)
    np.testing.assert_array_equal(y.array, arr(7))
    F.sum(y * (comm.rank + 1)).backward()
    if comm.rank == 0:
        np.testing.assert_array_equal(x.grad, np.full((2, 3), sum(range(1, comm.size + 1))))


def test_gather(comm):
    x = kusari.Variable(arr(comm.rank))
    out = DF.gather(comm, x, root=0)
    if comm.rank == 0:
        for r, y in enumerate(out):
            np.testing.assert_array_equal(y.array, arr(r))
        sum(F.sum(y * (r + 1)) for r, y in enumerate(out)).backward()
    else:
        out.backward()
    np.testing.assert_array_equal(x.grad, np.full((2, 3), comm.rank + 1))


def test_scatter(comm):
    xs = [kusari.Variable(arr(r)) for r in range(comm.size)] if comm.rank == 0 else None
    y = DF.scatter(comm, xs, root=0)
    np.testing.assert_array_equal(y.array, arr(comm.rank))
    F.sum(y * (comm.rank + 1)).backward()
    if comm.rank == 0:
        for r, x in enumerate(xs):
            np.testing.assert_array_equal(x.grad, np.full((2, 3), r + 1))


def make_layers():
    rng = np.random.RandomState(3)
    l1 = L.Linear(4, 5, initialW=rng.normal(size=(5, 4)).astype(np.float32))
    l2 = L.Linear(5, 3, initialW=rng.normal(size=(3, 5)).astype(np.float32))
    return l1, l2


class Stage(kusari.Chain):
    def __init__(self, link, act):
        super().__init__()
        with self.init_scope():
            self.link = link
        self.act = act

    def forward(self, x):
        return self.act(self.link(x))


def test_multi_node_chain_list_trains_like_one_model(comm):
    if comm.size < 2:
        return
    rng = np.random.RandomState(0)
    x = rng.normal(size=(6, 4)).astype(np.float32)
    t = rng.randint(0, 3, 6).astype(np.int32)

    # the reference: the whole MLP in one process
    r1, r2 = make_layers()
    ref = kusari.Sequential(r1, F.relu, r2)
    ref_opt = kusari.optimizers.SGD(lr=0.5)
    ref_opt.setup(ref)
    for _ in range(2):
        ref_opt.update(lambda: F.softmax_cross_entropy(ref(x), t))

    l1, l2 = make_layers()
    model = distributed.MultiNodeChainList(comm)
    if comm.rank == 0:
        model.add_link(Stage(l1, F.relu), rank_in=None, rank_out=1)
    elif comm.rank == 1:
        model.add_link(Stage(l2, lambda h: h), rank_in=0, rank_out=None)
    else:
        return                                   # ranks >= 2 take no part
    opt = kusari.optimizers.SGD(lr=0.5)
    opt.setup(model)
    for _ in range(2):
        if comm.rank == 0:
            opt.update(lambda: model(x))         # the delegate
        else:
            opt.update(lambda: F.softmax_cross_entropy(model(), t))
    mine = l1 if comm.rank == 0 else l2
    ref_link = r1 if comm.rank == 0 else r2
    np.testing.assert_allclose(mine.W.array, ref_link.W.array, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(mine.b.array, ref_link.b.array, rtol=1e-5, atol=1e-6)
    assert not np.allclose(mine.W.array, make_layers()[comm.rank].W.array)


def test_multi_node_chain_list_checks_ranks(comm):
    model = distributed.MultiNodeChainList(comm)
    with pytest.raises(ValueError, match='rank {} is not in'.format(comm.size)):
        model.add_link(L.Linear(2, 2), rank_in=None, rank_out=comm.size)


# Numerical gradient checks: on one process each collective is a function of the local
# input alone (with several processes, another rank's input moves this rank's output,
# which a local numerical derivative cannot see; the closed forms above cover that).


@pytest.mark.parametrize('name', ['allgather', 'alltoall', 'bcast', 'gather', 'scatter',
                                  'send_recv_free_pseudo_connect'])
def test_check_backward_on_one_process(name):
    from kusari import gradient_check
    comm = distributed.create_communicator('naive')
    if comm.size != 1:
        return                                   # the same on every rank: no collective
    rng = np.random.RandomState(1)
    x = rng.normal(size=(3, 2))
    fns = {
        'allgather': lambda x: DF.allgather(comm, x)[0] * 2,
        'alltoall': lambda x: DF.alltoall(comm, [x])[0] * 3,
        'bcast': lambda x: F.tanh(DF.bcast(comm, x)),
        'gather': lambda x: DF.gather(comm, x)[0] ** 2,
        'scatter': lambda x: DF.scatter(comm, [x]) * x,
        'send_recv_free_pseudo_connect': lambda x: DF.pseudo_connect(
            kusari.Variable(np.zeros((), np.float32)), x) * 5,
    }
    gy = rng.normal(size=(3, 2))
    gradient_check.check_backward(fns[name], x, gy, dtype=np.float64)
