"""The README's example runs and its gradients reach the encoder outputs."""
import os
import re

import numpy
import pytest

README = os.path.join(os.path.dirname(__file__), os.pardir, 'README.md')


def test_readme_example():
    if not os.path.exists(README):
        pytest.skip('README.md is not next to the tests (installed tests)')
    with open(README, encoding='utf-8') as f:
        blocks = re.findall(r'```python\n(.*?)```', f.read(), re.S)
    assert blocks
    ns = {}
    numpy.random.seed(0)
    exec(compile(blocks[0], README, 'exec'), ns)
    assert ns['loss'].shape == ()
    assert ns['mu'].grad is not None and numpy.abs(ns['mu'].grad).sum() > 0
    assert ns['ln_sigma'].grad is not None
