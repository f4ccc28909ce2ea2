"""examples/gpu.py: the digits MLP on a CUDA device, or a clear message without one."""
import re

import pytest

pytest.importorskip('sklearn')


def _gpu_available():
    from kusari.backends import cuda
    return cuda.available


def test_without_gpu_exits_with_a_message(run_example):
    if _gpu_available():
        pytest.skip('a GPU is present')
    proc = run_example('gpu')
    assert proc.returncode == 77, proc.output
    assert re.match(r'gpu\.py: cannot use device @cupy:0: (CuPy is not installed|CuPy is '
                    r'installed but no CUDA device is available)', proc.stdout), proc.output
    assert '--device @numpy' in proc.stdout
    assert 'epoch' not in proc.stdout and proc.stderr == ''


def test_same_code_on_the_cpu(run_example):
    proc = run_example('gpu', '--device', '@numpy', '--epochs', 3, '--unit', 64)
    assert proc.returncode == 0, proc.output
    assert 'device: @numpy (array module: numpy)' in proc.stdout
    assert 'parameter array type: numpy' in proc.stdout
    acc = float(re.search(r'^test accuracy: ([\d.]+)$', proc.stdout, re.M).group(1))
    assert acc >= 0.85, proc.output


@pytest.mark.gpu
def test_on_the_gpu(run_example):
    proc = run_example('gpu')
    assert proc.returncode == 0, proc.output
    assert 'device: @cupy:0 (array module: cupy)' in proc.stdout
    assert 'parameter array type: cupy' in proc.stdout
    acc = float(re.search(r'^test accuracy: ([\d.]+)$', proc.stdout, re.M).group(1))
    assert acc >= 0.95, proc.output
