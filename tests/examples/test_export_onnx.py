"""examples/export_onnx.py: the exported MLP scores the digits as kusari does."""
import os
import re

import pytest

pytest.importorskip('sklearn')
pytest.importorskip('onnxruntime')
pytest.importorskip('kusari.onnx')


def test_export_onnx_serves_the_same_accuracy(run_example, tmp_path):
    proc = run_example('export_onnx', '--epochs', 4, '--out', 'm.onnx')
    assert proc.returncode == 0, proc.output
    acc_k = float(re.search(r'^kusari test accuracy: +([\d.]+)$', proc.stdout, re.M)
                  .group(1))
    acc_o = float(re.search(r'^onnxruntime test accuracy: +([\d.]+)$', proc.stdout,
                            re.M).group(1))
    assert acc_k == acc_o and acc_k >= 0.9, proc.output
    diff = float(re.search(r'largest score difference: ([\d.e+-]+)', proc.stdout)
                 .group(1))
    assert diff < 1e-4
    assert re.search(r'kusari forward per batch of 32: +[\d.]+ us', proc.stdout)
    assert re.search(r'onnxruntime inference per batch of 32: [\d.]+ us', proc.stdout)
    assert os.path.getsize(tmp_path / 'm.onnx') > 1000
