"""GPU arrays: saved as host arrays, loaded onto the target's device (needs CuPy)."""
import numpy
import pytest

import kusari
from kusari.serializers import save_npz, load_npz, save_hdf5, load_hdf5


def _formats():
    return [(save_npz, load_npz, 'm.npz'), (save_hdf5, load_hdf5, 'm.h5')]


@pytest.mark.gpu
@pytest.mark.parametrize('save,load,name', _formats())
def test_gpu_model_roundtrip(helpers, tmp_path, save, load, name):
    import cupy
    if save is save_hdf5:
        pytest.importorskip('h5py')
    src = helpers.mlp()
    expected = helpers.snapshot(src)
    src.to_gpu()
    assert isinstance(src.l1.W.array, cupy.ndarray)
    path = tmp_path / name
    save(path, src)
    dst = helpers.mlp(seed=9)
    load(path, dst)          # host target
    helpers.assert_same(expected, helpers.snapshot(dst))
    gpu = helpers.mlp(seed=10).to_gpu()
    target = gpu.l1.W.array
    load(path, gpu)          # device target: in place, stays on the device
    assert gpu.l1.W.array is target and isinstance(target, cupy.ndarray)
    gpu.to_cpu()
    helpers.assert_same(expected, helpers.snapshot(gpu))


@pytest.mark.gpu
def test_gpu_bad_shape_leaves_device_arrays(helpers, tmp_path):
    import cupy
    path = tmp_path / 'm.npz'
    save_npz(path, kusari.Chain(l1=helpers.linear(4, 6), bn=helpers.batchnorm(6),
                                l2=helpers.linear(6, 3)))
    gpu = helpers.mlp(seed=3).to_gpu()
    before = cupy.asnumpy(gpu.l2.W.array)
    with pytest.raises(ValueError, match='load_npz'):
        load_npz(path, gpu)
    numpy.testing.assert_array_equal(cupy.asnumpy(gpu.l2.W.array), before)


@pytest.mark.gpu
def test_gpu_optimizer_state(helpers, tmp_path):
    import cupy
    model = helpers.mlp().to_gpu()
    opt = helpers.CoreAdam(alpha=0.01).setup(model)
    for p in model.params():
        p.grad = cupy.ones_like(p.array)
    for p in model.params():      # state on the device, no CPU update path needed
        p.update_rule._state = {'m': cupy.full_like(p.array, 0.5),
                                'v': cupy.full_like(p.array, 0.25)}
    opt.t = 4
    path = tmp_path / 'o.npz'
    save_npz(path, opt)
    with numpy.load(path) as f:
        assert isinstance(f['l1/W/m'], numpy.ndarray)
        numpy.testing.assert_array_equal(f['l1/W/m'], 0.5)
    fresh_model = helpers.mlp().to_gpu()
    fresh = helpers.CoreAdam(alpha=0.01).setup(fresh_model)
    for p in fresh_model.params():
        p.update_rule._state = {'m': cupy.zeros_like(p.array),
                                'v': cupy.zeros_like(p.array)}
    load_npz(path, fresh)
    assert fresh.t == 4
    for p in fresh_model.params():
        m = p.update_rule.state['m']
        assert isinstance(m, cupy.ndarray)
        assert m.device == p.array.device
        numpy.testing.assert_array_equal(cupy.asnumpy(m), 0.5)
