"""examples/train_mnist.py: Chainer's MNIST example on the Trainer, on sklearn digits."""
import json
import os
import re

import pytest

# the examples need kusari-training (and scikit-learn for the digits)
pytest.importorskip('kusari.training')
pytest.importorskip('sklearn')


def test_train_mnist_reaches_accuracy_and_writes_outputs(run_example, tmp_path):
    proc = run_example('train_mnist', '--epoch', 20, '--out', 'result')
    assert proc.returncode == 0, proc.output
    acc = float(re.search(r'final test accuracy: ([\d.]+)', proc.stdout).group(1))
    assert acc >= 0.97, proc.output
    out = tmp_path / 'result'
    with open(out / 'log') as f:
        log = json.load(f)
    assert [e['epoch'] for e in log] == list(range(1, 21))
    assert abs(log[-1]['validation/main/accuracy'] - acc) < 1e-4
    assert log[-1]['main/loss'] < log[0]['main/loss'] / 4
    names = os.listdir(out)
    assert [n for n in names if n.startswith('snapshot_iter_')] == ['snapshot_iter_936']
    if 'loss.png' in names:                     # Matplotlib is installed
        with open(out / 'loss.png', 'rb') as f:
            assert f.read(4) == b'\x89PNG'
    # header of PrintReport, then plain lines (not a terminal: no escape codes)
    assert 'epoch       main/loss' in proc.stdout and '\033' not in proc.stdout


def test_train_mnist_resume_continues_from_the_snapshot(run_example, tmp_path):
    proc = run_example('train_mnist', '--epoch', 2, '--out', 'r', '--noplot')
    assert proc.returncode == 0, proc.output
    proc = run_example('train_mnist', '--epoch', 3, '--out', 'r', '--noplot',
                       '--resume', os.path.join('r', 'snapshot_iter_94'))
    assert proc.returncode == 0, proc.output
    with open(tmp_path / 'r' / 'log') as f:
        log = json.load(f)
    # the log of the first run came back with the snapshot; one epoch was added
    assert [e['epoch'] for e in log] == [1, 2, 3]
    assert [e['iteration'] for e in log] == [47, 94, 141]
