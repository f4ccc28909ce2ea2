"""examples/train_ptb.py: Chainer's PTB example structure (BPTT updater, Evaluator on
a copied model, perplexity in the log) on a generated corpus."""
import json
import os
import re

import pytest

# the examples need kusari-training (and scikit-learn for the digits)
pytest.importorskip('kusari.training')


def test_train_ptb_perplexity_falls_below_half(run_example, tmp_path):
    proc = run_example('train_ptb', '--epoch', 3, '--out', 'result')
    assert proc.returncode == 0, proc.output
    start = float(re.search(r'untrained validation perplexity: ([\d.]+)',
                            proc.stdout).group(1))
    test = float(re.search(r'test perplexity: ([\d.]+)', proc.stdout).group(1))
    assert 25 < start < 100            # about the vocabulary size (50)
    assert test < start / 2, proc.output
    with open(tmp_path / 'result' / 'log') as f:
        log = json.load(f)
    val = [e['val_perplexity'] for e in log]
    assert len(val) == 3 and val[-1] < start / 2 and val[-1] < val[0]
    assert all(abs(e['perplexity'] - 2.718281828 ** e['main/loss']) < 1e-6 * e['perplexity']
               for e in log)
    names = os.listdir(tmp_path / 'result')
    assert 'snapshot_iter_150' in names and 'model_iter_150' in names


def test_train_ptb_resume(run_example, tmp_path):
    proc = run_example('train_ptb', '--epoch', 1, '--out', 'r')
    assert proc.returncode == 0, proc.output
    proc = run_example('train_ptb', '--epoch', 2, '--out', 'r', '--resume',
                       os.path.join('r', 'snapshot_iter_50'))
    assert proc.returncode == 0, proc.output
    with open(tmp_path / 'r' / 'log') as f:
        assert [e['iteration'] for e in json.load(f)] == [50, 100]
