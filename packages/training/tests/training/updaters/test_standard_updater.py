"""StandardUpdater: converges on least squares; converter, device, loss_func,
auto_new_epoch, bad converter output, serialization; ParallelUpdater and
MultiprocessParallelUpdater need several GPUs."""
import numpy
import pytest

import kusari
from kusari import dataset, iterators, training


def _setup(h, batch=16, **kwargs):
    x, t, w = h.regression_data()
    model = h.Regressor(3)
    opt = h.SGD(0.1).setup(model)
    it = iterators.SerialIterator(list(zip(x, t)), batch, shuffle=False)
    return training.StandardUpdater(it, opt, **kwargs), model, opt, (x, t, w)


def test_one_update_equals_a_hand_computed_sgd_step(h):
    up, model, opt, (x, t, w) = _setup(h)
    W0 = model.W.array.copy()
    up.update()
    xb, tb = x[:16], t[:16]
    grad = 2 * xb.T @ (xb @ W0 - tb) / 16
    numpy.testing.assert_allclose(model.W.array, W0 - 0.1 * grad, rtol=1e-5, atol=1e-6)
    assert up.iteration == 1 and up.epoch == 0 and up.epoch_detail == 0.25


def test_training_converges_and_counts_epochs(h):
    up, model, opt, (x, t, w) = _setup(h)
    tr = training.Trainer(up, (30, 'epoch'), out='unused')
    tr.run()
    numpy.testing.assert_allclose(model.W.array, w, atol=1e-3)
    assert up.iteration == 120 and opt.epoch == 30 and opt.t == 120


def test_loss_func_and_dict_converter(h):
    x, t, w = h.regression_data()
    model = h.Regressor(3)
    opt = h.SGD(0.1).setup(model)
    seen = []

    def conv(batch, device=None):
        return {'x': numpy.stack([b[0] for b in batch]),
                't': numpy.array([b[1] for b in batch])}

    def loss_func(x, t):
        seen.append(x.shape)
        return model(x, t)
    it = iterators.SerialIterator(list(zip(x, t)), 8, shuffle=False)
    up = training.StandardUpdater(it, opt, converter=conv, loss_func=loss_func)
    up.update()
    assert seen == [(8, 3)]


def test_device_is_given_to_converter(h):
    got = []

    @dataset.converter()
    def conv(batch, device):
        got.append(device)
        return dataset.concat_examples(batch, device)
    up, *_ = _setup(h, converter=conv, device='@numpy')
    up.update()
    assert isinstance(got[0], kusari.backend.CpuDevice)
    old = []

    def old_style(batch, device=None):
        old.append(device)
        return dataset.concat_examples(batch)
    up, *_ = _setup(h, converter=old_style, device=-1)
    up.update()
    assert old == [-1]


@pytest.mark.parametrize('obj', [[1, 2], 'text', 3, object()])
def test_converter_result_of_another_structure_is_the_one_argument(h, obj):
    # Chainer's rule: a tuple is spread, a dict passed as keywords, anything else
    # given to the loss function as its one argument
    got = []

    def lossfun(arg):
        got.append(arg)
        return kusari.Variable(numpy.zeros((), numpy.float32))

    up, *_ = _setup(h, converter=lambda batch, device: obj, loss_func=lossfun)
    up.update()
    assert got == [obj]


def test_old_style_converter_gets_none_for_no_device(h):
    devices = []

    def conv(batch, device):
        devices.append(device)
        return dataset.concat_examples(batch)
    up, *_ = _setup(h, converter=conv)
    up.update()
    assert devices == [None]


def test_auto_new_epoch_false(h):
    up, model, opt, _ = _setup(h, auto_new_epoch=False)
    for _ in range(4):
        up.update()
    assert opt.epoch == 0 and up.is_new_epoch


def test_optimizer_without_setup_is_refused(h):
    x, t, _ = h.regression_data()
    with pytest.raises(ValueError, match='setup'):
        training.StandardUpdater(iterators.SerialIterator(list(zip(x, t)), 4), h.SGD())


def test_serialize_restores_iterator_optimizer_and_model(h):
    up, model, opt, _ = _setup(h)
    for _ in range(5):
        up.update()
    up2, model2, opt2, _ = _setup(h)
    h.save_and_load(up, up2)
    assert up2.iteration == 5 and opt2.t == 5 and opt2.epoch == 1
    numpy.testing.assert_array_equal(model2.W.array, model.W.array)
    assert up2.epoch_detail == up.epoch_detail
    up.update()
    up2.update()
    numpy.testing.assert_array_equal(model2.W.array, model.W.array)


def test_parallel_updater_needs_models_or_devices(h):
    x, t, _ = h.regression_data()
    opt = h.SGD().setup(h.Regressor(3))
    with pytest.raises(ValueError, match='models or devices'):
        training.ParallelUpdater(iterators.SerialIterator(list(zip(x, t)), 4), opt)


def test_parallel_updater_on_one_cpu_model_matches_standard(h):
    up_s, model_s, _, _ = _setup(h)
    x, t, _ = h.regression_data()
    model = h.Regressor(3)
    opt = h.SGD(0.1).setup(model)
    it = iterators.SerialIterator(list(zip(x, t)), 16, shuffle=False)
    up_p = training.ParallelUpdater(it, opt, models={'main': model})
    for _ in range(3):
        up_s.update()
        up_p.update()
    numpy.testing.assert_allclose(model.W.array, model_s.W.array, rtol=1e-6)


@pytest.mark.gpu
def test_parallel_updater_two_gpus(h):
    import cupy
    if cupy.cuda.runtime.getDeviceCount() < 2:
        pytest.skip('needs 2 GPUs')
    up_s, model_s, _, _ = _setup(h)
    x, t, _ = h.regression_data()
    model = h.Regressor(3)
    opt = h.SGD(0.1).setup(model)
    it = iterators.SerialIterator(list(zip(x, t)), 16, shuffle=False)
    up_p = training.ParallelUpdater(it, opt, devices={'main': 0, 'second': 1})
    for _ in range(3):
        up_s.update()
        up_p.update()
    numpy.testing.assert_allclose(cupy.asnumpy(model.W.array), model_s.W.array,
                                  rtol=1e-5)


@pytest.mark.gpu
def test_multiprocess_parallel_updater_two_gpus(h):
    import cupy
    if cupy.cuda.runtime.getDeviceCount() < 2 or \
            not training.MultiprocessParallelUpdater.available():
        pytest.skip('needs 2 GPUs and NCCL')
    x, t, w = h.regression_data()
    model = h.Regressor(3)
    opt = h.SGD(0.1).setup(model)
    data = list(zip(x, t))
    its = [iterators.SerialIterator(data[:32], 8), iterators.SerialIterator(data[32:], 8)]
    up = training.MultiprocessParallelUpdater(its, opt, devices=[0, 1])
    training.Trainer(up, (200, 'iteration'), out='unused').run()
    numpy.testing.assert_allclose(cupy.asnumpy(model.W.array), w, atol=1e-2)


def test_multiprocess_parallel_updater_without_nccl_is_clear(h):
    if training.MultiprocessParallelUpdater.available():
        pytest.skip('NCCL available')
    with pytest.raises(RuntimeError, match='NCCL'):
        training.MultiprocessParallelUpdater([], None)


@pytest.mark.timeout(60)
def test_error_in_extension_stops_multiprocess_iterator_workers(h, tmp_path):
    psutil = pytest.importorskip('psutil')
    if not hasattr(iterators, 'MultiprocessIterator'):
        pytest.skip('MultiprocessIterator not available')
    x, t, _ = h.regression_data()
    model = h.Regressor(3)
    opt = h.SGD(0.1).setup(model)
    me = psutil.Process()
    # children that exist already (e.g. multiprocessing's resource tracker started
    # by an earlier test) are not this iterator's workers
    before = {p.pid for p in me.children(recursive=True)}
    it = iterators.MultiprocessIterator(list(zip(x, t)), 8, n_processes=2)
    tr = training.Trainer(training.StandardUpdater(it, opt), (100, 'iteration'),
                          out=str(tmp_path))
    workers = set()

    class Boom(Exception):
        pass

    def boom(trainer):
        workers.update(p.pid for p in me.children(recursive=True))
        if trainer.updater.iteration == 3:
            raise Boom()
    tr.extend(boom, name='boom')
    with pytest.raises(Boom):
        tr.run(show_loop_exception_msg=False)
    workers -= before
    assert len(workers) >= 2                    # the workers were running
    # finalize() joined them: none is left, not even a zombie
    left = {p.pid for p in me.children(recursive=True)}
    assert not (workers & left)
