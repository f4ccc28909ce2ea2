"""Data-parallel training equals single-process training on the whole batch.

Each rank trains a reference model on the whole global batch with a plain optimizer
(no communication) and a data-parallel model on its own slice through
``create_multi_node_optimizer``; the two must agree after every step.
"""
import numpy as np
import pytest

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import distributed, optimizers

GLOBAL_BATCH = 12          # divisible by 1, 2, 3 and 4 ranks


class MLP(kusari.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(5, 7)
            self.l2 = L.Linear(7, 3)

    def forward(self, x, t):
        return F.softmax_cross_entropy(self.l2(F.tanh(self.l1(x))), t)


def make_model(seed):
    model = MLP()
    rng = np.random.RandomState(seed)
    for _, p in sorted(model.namedparams()):
        p.array[...] = rng.normal(0, 0.5, p.shape)
    return model


OPTS = {
    'SGD': lambda: optimizers.SGD(lr=0.1),
    'MomentumSGD': lambda: optimizers.MomentumSGD(lr=0.1, momentum=0.9),
    'Adam': lambda: optimizers.Adam(alpha=0.01),
}


@pytest.mark.parametrize('opt_name', sorted(OPTS))
@pytest.mark.parametrize('comm_name', ['naive', 'flat', 'bucketed'])
def test_data_parallel_equals_whole_batch(comm_name, opt_name):
    comm = distributed.create_communicator(comm_name)
    if GLOBAL_BATCH % comm.size:
        pytest.skip('needs a rank count dividing {}'.format(GLOBAL_BATCH))
    rng = np.random.RandomState(0)
    xs = [rng.normal(size=(GLOBAL_BATCH, 5)).astype(np.float32) for _ in range(3)]
    ts = [rng.randint(0, 3, GLOBAL_BATCH).astype(np.int32) for _ in range(3)]

    ref = make_model(1)
    ref_opt = OPTS[opt_name]()
    ref_opt.setup(ref)

    # each rank starts from a different model: the first update broadcasts rank 0's
    dp = make_model(1 + 100 * comm.rank)
    dp_opt = distributed.create_multi_node_optimizer(OPTS[opt_name](), comm)
    dp_opt.setup(dp)
    n = GLOBAL_BATCH // comm.size
    sl = slice(comm.rank * n, (comm.rank + 1) * n)
    dp_opt.update(dp, xs[0][sl], ts[0][sl])            # broadcast only
    for name, p in dp.namedparams():
        np.testing.assert_array_equal(p.array, dict(ref.namedparams())[name].array)
    assert dp_opt.t == 0

    for x, t in zip(xs, ts):
        ref_opt.update(ref, x, t)
        dp_opt.update(dp, x[sl], t[sl])
    assert dp_opt.t == ref_opt.t == 3
    ref_params = dict(ref.namedparams())
    start = dict(make_model(1).namedparams())
    for name, p in dp.namedparams():
        np.testing.assert_allclose(p.array, ref_params[name].array, rtol=1e-6,
                                   atol=1e-7)
        assert not np.allclose(p.array, start[name].array)    # it really trained


def test_multi_node_optimizer_delegates_attributes():
    comm = distributed.create_communicator('flat')
    opt = distributed.create_multi_node_optimizer(optimizers.SGD(lr=0.5), comm)
    assert opt.lr == 0.5
    opt.lr = 0.25
    assert opt.actual_optimizer.lr == 0.25
    with pytest.raises(ValueError, match='pure_nccl'):
        distributed.create_multi_node_optimizer(optimizers.SGD(), comm,
                                                double_buffering=True)
