"""examples/chainer_script.py: an unchanged Chainer script runs on kusari via kusari-compat."""
import re

import pytest

pytest.importorskip('sklearn')
pytest.importorskip('kusari.compat')
pytest.importorskip('kusari.training')
pytest.importorskip('kusari.links')


def test_unchanged_chainer_script_trains(run_example, tmp_path):
    proc = run_example('chainer_script', '--epoch', 5, '--out', str(tmp_path / 'result'))
    assert proc.returncode == 0, proc.output
    assert 'kusari' not in open(__file__.replace('tests/examples/test_chainer_script.py',
                                                 'examples/chainer_script.py')
                                ).read().split('"""', 2)[2]    # the code never names it
    acc = float(re.search(r'^test accuracy: ([\d.]+)$', proc.stdout, re.M).group(1))
    assert acc >= 0.95, proc.output
    assert (tmp_path / 'result' / 'log').exists()
    assert list((tmp_path / 'result').glob('snapshot_iter_*'))      # 5 epochs = 211 iterations


def test_chainer_is_kusari():
    import chainer
    import kusari
    assert chainer.Variable is kusari.Variable
    assert chainer.training.Trainer is kusari.training.Trainer
