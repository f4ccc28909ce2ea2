"""CupyMemoryProfileHook and CUDAProfileHook: reports on the CPU, the hooks on a GPU."""
import io

import numpy
import pytest

import kusari
from kusari import function_hooks


def _has_cupy():
    try:
        import cupy  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(_has_cupy(), reason='checks the error raised without CuPy')
@pytest.mark.parametrize('cls', [function_hooks.CupyMemoryProfileHook,
                                 function_hooks.CUDAProfileHook])
def test_without_cupy_raises(cls):
    with pytest.raises(RuntimeError, match=cls.__name__ + '.*cupy'):
        cls()


def _profile_with_history(history):
    hook = function_hooks.CupyMemoryProfileHook.__new__(
        function_hooks.CupyMemoryProfileHook)
    hook.call_history = history
    return hook


@pytest.mark.parametrize('unit,used,acquired', [
    ('auto', ['3.00MB', '0.00MB'], ['1.50KB', '0.00KB']),
    ('auto_foreach', ['3.00MB', '512.00B'], ['1.50KB', '0.00B']),
    ('B', ['3145728.00B', '512.00B'], ['1536.00B', '0.00B']),
    ('KB', ['3072.00KB', '0.50KB'], ['1.50KB', '0.00KB']),
])
def test_memory_report(unit, used, acquired):
    hook = _profile_with_history([('LinearFunction', 2 * 1024 ** 2, 1024, 0),
                                  ('ReLU', 512, 0, 1),
                                  ('LinearFunction', 1024 ** 2, 512, 0)])
    s = hook.summary()
    assert s['LinearFunction'] == {'used_bytes': 3 * 1024 ** 2, 'acquired_bytes': 1536,
                                   'occurrence': 2}
    out = io.StringIO()
    hook.print_report(unit=unit, file=out)
    lines = [line.split() for line in out.getvalue().splitlines()]
    assert lines[0] == ['FunctionName', 'UsedBytes', 'AcquiredBytes', 'Occurrence']
    assert lines[1] == ['LinearFunction', used[0], acquired[0], '2']
    assert lines[2] == ['ReLU', used[1], acquired[1], '1']
    with pytest.raises(ValueError, match='unit'):
        hook.print_report(unit='kB')


@pytest.mark.gpu
def test_memory_profile_on_gpu():
    import cupy
    x = kusari.Variable(cupy.ones((256, 256), cupy.float32))
    hook = function_hooks.CupyMemoryProfileHook()
    with hook:
        y = kusari.functions.sum(kusari.functions.relu(x) * 2)
        y.backward()
    s = hook.summary()
    assert s and all(r['occurrence'] >= 1 for r in s.values())
    assert hook.total_used_bytes() >= 256 * 256 * 4
    hook.print_report(file=io.StringIO())


@pytest.mark.gpu
def test_cuda_profile_on_gpu(monkeypatch):
    import cupy
    hook = function_hooks.CUDAProfileHook()
    calls = []
    monkeypatch.setattr(hook, '_nvtx', type('N', (), {
        'RangePush': staticmethod(lambda name: calls.append(('push', name))),
        'RangePop': staticmethod(lambda: calls.append(('pop',)))}))
    x = kusari.Variable(cupy.ones((3,), cupy.float32))
    with hook:
        y = kusari.functions.sum(x * 2)
        y.backward()
    pushes = [c[1] for c in calls if c[0] == 'push']
    assert any(p.endswith('.forward') for p in pushes)
    assert any(p.endswith('.backward') for p in pushes)
    assert len(pushes) == sum(1 for c in calls if c[0] == 'pop')
    numpy.testing.assert_array_equal(cupy.asnumpy(x.grad), [2, 2, 2])
