"""scatter_dataset, scatter_index, create_empty_dataset, DataSizeError."""
import numpy as np
import pytest

from kusari import distributed

pytest.importorskip('kusari.datasets')


@pytest.mark.parametrize('n', [7, 12, 13])
@pytest.mark.parametrize('shuffle', [False, True])
def test_scatter_dataset_covers_everything(n, shuffle):
    comm = distributed.create_communicator('naive')
    data = list(range(100, 100 + n)) if comm.rank == 0 else None
    mine = distributed.scatter_dataset(data, comm, shuffle=shuffle, seed=5)
    got = [mine[i] for i in range(len(mine))]
    everyone = comm.mpi_comm.allgather(got)
    assert {len(g) for g in everyone} == {-(-n // comm.size)}  # equal lengths
    assert set().union(*map(set, everyone)) == set(range(100, 100 + n))
    if not shuffle:
        b = n * comm.rank // comm.size
        assert got == list(range(100 + b, 100 + b + len(got)))


def test_scatter_dataset_not_equal_length_is_a_partition():
    comm = distributed.create_communicator('naive')
    n = 10
    mine = distributed.scatter_dataset(list(range(n)), comm,
                                       force_equal_length=False)
    everyone = comm.mpi_comm.allgather([mine[i] for i in range(len(mine))])
    assert sorted(sum(everyone, [])) == list(range(n))


def test_scatter_dataset_with_a_tuple_dataset():
    from kusari.datasets import TupleDataset
    comm = distributed.create_communicator('naive')
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    t = np.arange(10, dtype=np.int32)
    mine = distributed.scatter_dataset(TupleDataset(x, t), comm, shuffle=True, seed=0)
    for i in range(len(mine)):
        xi, ti = mine[i]
        np.testing.assert_array_equal(xi, x[ti])


def test_empty_dataset_raises_data_size_error_everywhere():
    comm = distributed.create_communicator('naive')
    too_small = list(range(comm.size - 1))
    with pytest.raises(distributed.DataSizeError, match='every process needs'):
        distributed.scatter_dataset(too_small, comm)
    # the job is still usable afterwards (nobody is left waiting)
    assert comm.allreduce_obj(1) == comm.size


def test_scatter_index():
    comm = distributed.create_communicator('naive')
    b, e = distributed.scatter_index(10, comm)
    assert e - b == -(-10 // comm.size)
    assert b == 10 * comm.rank // comm.size
    b, e = distributed.scatter_index(10, comm, force_equal_length=False)
    assert (b, e) == (10 * comm.rank // comm.size, 10 * (comm.rank + 1) // comm.size)


def test_create_empty_dataset():
    assert distributed.create_empty_dataset(np.zeros((4, 2))) == [()] * 4
