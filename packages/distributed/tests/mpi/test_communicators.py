"""Communicators' messages and collectives against NumPy, on every rank count."""
import numpy as np
import pytest

import kusari
import kusari.links as L
from kusari import distributed

NAMES = ['naive', 'flat', 'bucketed']


@pytest.fixture(params=NAMES)
def comm(request):
    c = distributed.create_communicator(request.param)
    yield c
    c.finalize()


def value(rank, shape, dtype=np.float32):
    """A different, exactly representable array per rank."""
    n = int(np.prod(shape))
    return (np.arange(n, dtype=np.float64).reshape(shape) + 10 * rank).astype(dtype)


def test_layout(comm, mpi_comm):
    assert comm.rank == mpi_comm.rank and comm.size == mpi_comm.size
    # one machine: one node, intra ranks are the ranks
    assert (comm.intra_rank, comm.intra_size) == (comm.rank, comm.size)
    assert (comm.inter_rank, comm.inter_size) == (0, 1)


@pytest.mark.parametrize('dtype', [np.float16, np.float32, np.float64, np.int32])
def test_send_recv_ring(comm, dtype):
    if comm.size == 1:
        return
    nxt, prv = (comm.rank + 1) % comm.size, (comm.rank - 1) % comm.size
    x = value(comm.rank, (3, 2), dtype)
    # non-contiguous input
    if comm.rank % 2 == 0:
        comm.send(np.asfortranarray(x)[:, :], dest=nxt, tag=3)
        y = comm.recv(source=prv, tag=3)
    else:
        y = comm.recv(source=prv, tag=3)
        comm.send(x, dest=nxt, tag=3)
    assert y.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(y, value(prv, (3, 2), dtype))


def test_send_recv_tuple_and_obj(comm):
    if comm.size == 1:
        return
    if comm.rank == 0:
        comm.send((np.ones(2, np.float32), np.arange(3)), dest=1, tag=1)
        comm.send_obj({'a': 1}, dest=1)
    elif comm.rank == 1:
        a, b = comm.recv(source=0, tag=1)
        np.testing.assert_array_equal(a, np.ones(2))
        np.testing.assert_array_equal(b, np.arange(3))
        assert comm.recv_obj(source=0) == {'a': 1}


def test_bcast(comm):
    x = value(0, (2, 3))
    y = comm.bcast(x if comm.rank == 0 else None, root=0)
    np.testing.assert_array_equal(y, x)
    root = comm.size - 1
    y = comm.bcast(np.array(42.0) if comm.rank == root else None, root=root)
    assert y.shape == () and y == 42


def test_gather_allgather(comm):
    x = value(comm.rank, (2, 2))
    ys = comm.gather(x, root=0)
    if comm.rank == 0:
        assert len(ys) == comm.size
        for r, y in enumerate(ys):
            np.testing.assert_array_equal(y, value(r, (2, 2)))
    else:
        assert ys is None
    # different shapes per rank
    ys = comm.allgather(np.full(comm.rank + 1, comm.rank, np.int64))
    for r, y in enumerate(ys):
        np.testing.assert_array_equal(y, np.full(r + 1, r))


def test_allreduce(comm):
    x = value(comm.rank, (4,), np.float64)
    expected = sum(value(r, (4,), np.float64) for r in range(comm.size))
    np.testing.assert_array_equal(comm.allreduce(x), expected)
    assert comm.allreduce_obj(comm.rank) == sum(range(comm.size))


def test_scatter(comm):
    xs = [value(r, (3,)) for r in range(comm.size)]
    y = comm.scatter(xs if comm.rank == 0 else None, root=0)
    np.testing.assert_array_equal(y, xs[comm.rank])
    if comm.rank == 0:                          # checked before any message
        with pytest.raises(ValueError, match='expected {} arrays'.format(comm.size)):
            comm.scatter(xs + [xs[0]], root=0)


def test_alltoall(comm):
    xs = tuple(value(comm.rank * comm.size + d, (d + 1, 2)) for d in range(comm.size))
    ys = comm.alltoall(xs)
    for src, y in enumerate(ys):
        np.testing.assert_array_equal(y, value(src * comm.size + comm.rank,
                                               (comm.rank + 1, 2)))


def test_objects(comm):
    assert comm.bcast_obj({'k': comm.rank}, root=0) == {'k': 0}
    got = comm.gather_obj(comm.rank * 2, root=0)
    assert got == ([2 * r for r in range(comm.size)] if comm.rank == 0 else None)


def test_split(comm):
    sub = comm.split(comm.rank % 2, comm.rank)
    assert type(sub) is type(comm)
    members = [r for r in range(comm.size) if r % 2 == comm.rank % 2]
    assert sub.size == len(members) and sub.rank == members.index(comm.rank)
    assert sub.allreduce_obj(comm.rank) == sum(members)


def test_config(comm):
    comm.set_config('batched_copy', True)
    assert comm.get_config('batched_copy') is True
    with pytest.raises(ValueError, match='unknown config'):
        comm.set_config('blah blah blah')
    with pytest.raises(ValueError, match='floating'):
        comm.set_config('allreduce_grad_dtype', np.int32)


class Model(kusari.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.a = L.Linear(2, 3)
            self.b = L.Linear(3, 4)


def set_grads(model, rank):
    for i, (_, p) in enumerate(sorted(model.namedparams())):
        p.grad = value(rank + i, p.shape)


def test_multi_node_mean_grad(comm):
    model = Model()
    set_grads(model, comm.rank)
    comm.multi_node_mean_grad(model)
    for i, (_, p) in enumerate(sorted(model.namedparams())):
        expected = np.mean([value(r + i, p.shape) for r in range(comm.size)], axis=0)
        np.testing.assert_allclose(p.grad, expected, rtol=1e-6)
    # the deprecated name does the same
    set_grads(model, comm.rank)
    comm.allreduce_grad(model)
    np.testing.assert_allclose(
        model.a.W.grad, np.mean([value(r, (3, 2)) for r in range(comm.size)], axis=0))


def test_multi_node_mean_grad_again_on_the_same_gradient_arrays(comm):
    # flat keeps the gradients as views of its buffer: writing into them in place
    # (as zerograds + backward do) and reducing again must still give the mean
    model = Model()
    set_grads(model, comm.rank)
    comm.multi_node_mean_grad(model)
    for step in range(2):
        for i, (_, p) in enumerate(sorted(model.namedparams())):
            p.grad[...] = value(comm.rank + i + step, p.shape)
        comm.multi_node_mean_grad(model)
        for i, (_, p) in enumerate(sorted(model.namedparams())):
            expected = np.mean([value(r + i + step, p.shape)
                                for r in range(comm.size)], axis=0)
            np.testing.assert_allclose(p.grad, expected, rtol=1e-6)


def test_multi_node_mean_grad_zero_fill(comm):
    model = Model()
    set_grads(model, comm.rank)
    model.b.W.grad = None                        # on every rank
    comm.multi_node_mean_grad(model, zero_fill=False)
    assert model.b.W.grad is None
    model.b.W.grad = None
    set_grads(model.a, comm.rank)
    comm.multi_node_mean_grad(model, zero_fill=True)
    np.testing.assert_array_equal(model.b.W.grad, np.zeros((4, 3), np.float32))


def test_allreduce_grad_dtype_float16():
    comm = distributed.create_communicator('flat', allreduce_grad_dtype=np.float16)
    assert comm.allreduce_grad_dtype is np.float16
    model = Model()
    rng = np.random.RandomState(comm.rank)
    grads = {}
    for name, p in sorted(model.namedparams()):
        p.grad = rng.uniform(-1, 1, p.shape).astype(np.float32)
    all_grads = comm.mpi_comm.allgather({n: p.grad.copy()
                                         for n, p in model.namedparams()})
    comm.multi_node_mean_grad(model)
    for name, p in model.namedparams():
        expected = np.mean([g[name] for g in all_grads], axis=0)
        assert p.grad.dtype == np.float32
        np.testing.assert_allclose(p.grad, expected, atol=2e-3)
        grads[name] = p.grad
    assert grads


def test_bcast_data(comm):
    model = Model()
    for _, p in model.namedparams():
        p.array[...] = comm.rank + 1
    comm.bcast_data(model)
    for _, p in model.namedparams():
        np.testing.assert_array_equal(p.array, np.ones_like(p.array))


def test_create_communicator_errors():
    with pytest.raises(ValueError, match='unknown communicator_name'):
        distributed.create_communicator('nope')
    with pytest.raises(ValueError, match='not provided'):
        distributed.create_communicator('hierarchical')
    with pytest.raises(TypeError, match='mpi_comm'):
        distributed.communicators.FlatCommunicator(object())


def test_gpu_communicators_need_cupy():
    try:
        import cupy  # noqa: F401
        cupy.cuda.runtime.getDeviceCount()
        have_gpu = True
    except Exception:
        have_gpu = False
    if have_gpu:
        pytest.skip('a GPU is present: the NCCL path is exercised by scripts/gpu-check')
    for name in ('pure_nccl', 'non_cuda_aware'):
        with pytest.raises(RuntimeError, match='CuPy|NCCL|cuda'):
            distributed.create_communicator(name)


@pytest.mark.parametrize('bucket_size', [4, 40, 1000])
def test_bucketed_with_many_buckets(mpi_comm, bucket_size):
    comm = distributed.communicators.BucketedCommunicator(mpi_comm,
                                                          bucket_size=bucket_size)
    assert comm.get_config('bucket_size') == bucket_size
    model = Model()
    for step in range(2):         # fresh gradients, then the same arrays again
        for i, (_, p) in enumerate(sorted(model.namedparams())):
            if step == 0:
                p.grad = value(comm.rank + i, p.shape)
            else:
                p.grad[...] = value(comm.rank + i, p.shape)
        comm.multi_node_mean_grad(model)
        for i, (_, p) in enumerate(sorted(model.namedparams())):
            expected = np.mean([value(r + i, p.shape) for r in range(comm.size)], axis=0)
            np.testing.assert_allclose(p.grad, expected, rtol=1e-6)
    with pytest.raises(ValueError, match='bucket_size'):
        distributed.communicators.BucketedCommunicator(mpi_comm, bucket_size=0)
