"""The trainer-side wrappers: evaluator, checkpointer, iterators (need kusari-training)."""
import os

import numpy as np
import pytest

pytest.importorskip('kusari.training')

import kusari  # noqa: E402
import kusari.functions as F  # noqa: E402
import kusari.links as L  # noqa: E402
from kusari import distributed, training  # noqa: E402
from kusari.datasets import TupleDataset  # noqa: E402
from kusari.iterators import SerialIterator  # noqa: E402
from kusari.training import extensions  # noqa: E402


class Scale(kusari.Chain):
    """Reports x.mean() as 'value' (so the evaluator's mean is known in closed form)."""

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l = L.Linear(1, 1)

    def forward(self, x):
        kusari.report({'value': F.mean(x)}, self)
        return F.mean(self.l(x))


def test_multi_node_evaluator_averages_over_ranks():
    comm = distributed.create_communicator('naive')
    x = np.full((4, 1), comm.rank, np.float32)       # rank r's examples are all r
    it = SerialIterator(x, 2, repeat=False, shuffle=False)
    ev = distributed.create_multi_node_evaluator(
        extensions.Evaluator(it, Scale()), comm)
    result = ev()
    assert result['main/value'] == pytest.approx(np.mean(range(comm.size)))


def make_trainer(comm, out, epochs):
    rng = np.random.RandomState(0)
    x = rng.normal(size=(24, 3)).astype(np.float32)
    t = (x.sum(axis=1) > 0).astype(np.int32)
    train = distributed.scatter_dataset(TupleDataset(x, t), comm)
    model = L.Classifier(L.Linear(3, 2))
    opt = distributed.create_multi_node_optimizer(kusari.optimizers.SGD(lr=0.1), comm)
    opt.setup(model)
    it = SerialIterator(train, 4, shuffle=False)
    updater = training.updaters.StandardUpdater(it, opt)
    return training.Trainer(updater, (epochs, 'epoch'), out=out), model


def test_checkpointer_saves_per_rank_and_resumes(shared_tmp):
    comm = distributed.create_communicator('naive')
    trainer, model = make_trainer(comm, shared_tmp, 3)
    cp = distributed.create_multi_node_checkpointer('cp', comm, cp_interval=2,
                                                    gc_interval=1)
    trainer.extend(cp)
    trainer.run()
    comm.mpi_comm.barrier()
    mine = sorted(f for f in os.listdir(shared_tmp)
                  if f.startswith('cp.{}-of-{}.'.format(comm.rank, comm.size)))
    per_epoch = trainer.updater.iteration // 3
    # two newest kept (gc after every save)
    assert mine == ['cp.{}-of-{}.{}.npz'.format(comm.rank, comm.size, i * per_epoch)
                    for i in (2, 3)]
    trained = {n: p.array.copy() for n, p in model.namedparams()}

    fresh, fresh_model = make_trainer(comm, shared_tmp, 3)
    cp2 = distributed.create_multi_node_checkpointer('cp', comm)
    assert cp2.maybe_load(fresh, None) == 3 * per_epoch
    assert fresh.updater.iteration == 3 * per_epoch
    for n, p in fresh_model.namedparams():
        np.testing.assert_array_equal(p.array, trained[n])


def test_checkpointer_refuses_another_rank_count(shared_tmp):
    comm = distributed.create_communicator('naive')
    if comm.rank == 0:      # a snapshot written by a job of a different size
        open(os.path.join(shared_tmp, 'cp.0-of-{}.10.npz'.format(comm.size + 1)),
             'wb').close()
    comm.mpi_comm.barrier()
    trainer, _ = make_trainer(comm, shared_tmp, 1)
    cp = distributed.create_multi_node_checkpointer('cp', comm)
    with pytest.raises(ValueError, match=r'written by {} processes, this job has {}'
                       .format(comm.size + 1, comm.size)):
        cp.maybe_load(trainer, None)


def test_checkpointer_without_snapshots_returns_none(shared_tmp):
    comm = distributed.create_communicator('naive')
    trainer, _ = make_trainer(comm, shared_tmp, 1)
    cp = distributed.create_multi_node_checkpointer('none', comm)
    assert cp.maybe_load(trainer, None) is None


def test_multi_node_iterator_gives_master_batches():
    comm = distributed.create_communicator('naive')
    data = np.arange(10) + 100 * comm.rank            # differs per rank
    it = distributed.create_multi_node_iterator(
        SerialIterator(data, 3, repeat=False, shuffle=False), comm)
    batches = list(it)
    assert [list(b) for b in batches] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert it.epoch == 1 and it.is_new_epoch


def test_synchronized_iterator_same_order_on_every_rank():
    comm = distributed.create_communicator('naive')
    np.random.seed(comm.rank)                        # different global seeds
    it = distributed.create_synchronized_iterator(
        SerialIterator(np.arange(20), 5, shuffle=True), comm)
    order = [list(it.next()) for _ in range(8)]
    everyone = comm.mpi_comm.allgather(order)
    assert all(o == everyone[0] for o in everyone)
    assert sorted(sum(order[:4], [])) == list(range(20))


def test_allreduce_persistent_averages_batchnorm_statistics():
    comm = distributed.create_communicator('naive')
    model = kusari.Sequential(L.Linear(3, 4), L.BatchNormalization(4))
    bn = model[1]
    bn.avg_mean.fill(comm.rank * 1)
    bn.avg_var.fill(comm.rank * 3)
    W = model[0].W.array.copy()
    model[0].W.array[...] += comm.rank                  # parameters are not touched
    distributed.AllreducePersistent(model, comm)()
    avg = (comm.size - 1) / 2.0
    np.testing.assert_allclose(bn.avg_mean, np.full(4, avg))
    np.testing.assert_allclose(bn.avg_var, np.full(4, avg * 3))
    np.testing.assert_array_equal(model[0].W.array, W + comm.rank)


@pytest.mark.parametrize('interval', [1, 2])
@pytest.mark.parametrize('as_variable', [False, True])
def test_observation_aggregator(interval, as_variable, shared_tmp):
    comm = distributed.create_communicator('naive')
    trainer, _ = make_trainer(comm, shared_tmp, 1)
    checked = []

    @training.make_extension(trigger=(1, 'iteration'),
                             priority=training.PRIORITY_WRITER)
    def rank_reporter(tr):
        # rank r observes r + iteration
        v = np.asarray(comm.rank + tr.updater.iteration, np.float32)
        tr.observation['rank'] = kusari.Variable(v) if as_variable else v

    @training.make_extension(trigger=(interval, 'iteration'),
                             priority=training.PRIORITY_READER)
    def checker(tr):
        got = tr.observation['rank-aggregated']
        assert isinstance(got, kusari.Variable) == as_variable
        it = tr.updater.iteration
        iters = range(it - interval + 1, it + 1)
        expected = np.mean([r + i for r in range(comm.size) for i in iters])
        np.testing.assert_allclose(getattr(got, 'array', got), expected, rtol=1e-6)
        checked.append(it)

    trainer.extend(rank_reporter)
    trainer.extend(distributed.ObservationAggregator(
        comm, 'rank', 'rank-aggregated', comm_trigger=(interval, 'iteration')))
    trainer.extend(checker)
    trainer.run()
    assert checked and checked == list(range(interval, trainer.updater.iteration + 1,
                                             interval))


def test_multi_node_early_stopping_trigger_decides_on_the_mean():
    import types
    comm = distributed.create_communicator('naive')
    # the mean over ranks: 5, 4, 3, 3.5, 3.2, 3.1, ... -> best 3 at iteration 3,
    # two checks without improvement (patience 2) stop at iteration 5; each rank's
    # own sequence is shifted by offsets that cancel in the mean
    mean = [5, 4, 3, 3.5, 3.2, 3.1, 3.0]
    offsets = [((-1) ** r) * (r + 1) * (1 if i == 3 else 0.1)
               for r in range(comm.size) for i in range(len(mean))]
    offsets = np.array(offsets).reshape(comm.size, len(mean))
    offsets -= offsets.mean(axis=0)                   # zero mean over the ranks
    trig = distributed.MultiNodeEarlyStoppingTrigger(
        comm, check_trigger=(1, 'iteration'), monitor='main/loss', patience=2,
        max_trigger=(100, 'iteration'))
    stopped = None
    for i, m in enumerate(mean, start=1):
        updater = types.SimpleNamespace(iteration=i, epoch=0, epoch_detail=i / 100,
                                        previous_epoch_detail=(i - 1) / 100,
                                        is_new_epoch=False)
        trainer = types.SimpleNamespace(
            updater=updater,
            observation={'main/loss': np.float32(m + offsets[comm.rank, i - 1])})
        if trig(trainer):
            stopped = i
            break
        # the trainer's own observation is left as it was
        assert trainer.observation['main/loss'] == np.float32(
            m + offsets[comm.rank, i - 1])
    assert stopped == 5
