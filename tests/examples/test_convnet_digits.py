"""examples/convnet_digits.py: convolution, batch normalization and pooling learn the digits."""
import re

import pytest

pytest.importorskip('sklearn')

EPOCH = re.compile(r'^epoch +(\d+) +train loss ([\d.]+) +acc ([\d.]+) +\| +'
                   r'test loss ([\d.]+) +acc ([\d.]+)', re.M)


def test_convnet_digits_learns(run_example):
    proc = run_example('convnet_digits', '--epochs', 2, '--channels', 8, '--no-progress')
    assert proc.returncode == 0, proc.output
    epochs = [tuple(map(float, m)) for m in EPOCH.findall(proc.stdout)]
    assert [int(e[0]) for e in epochs] == [1, 2], proc.output
    assert '#' not in proc.stdout and '\r' not in proc.stdout      # --no-progress
    assert epochs[-1][1] < epochs[0][1]
    acc = float(re.search(r'^test accuracy: ([\d.]+)$', proc.stdout, re.M).group(1))
    assert acc == pytest.approx(epochs[-1][4], abs=1e-4)
    assert acc >= 0.9, proc.output                          # chance is 0.1
