"""The Python examples in the READMEs run as written.

Each ```python block of README.md and of every package's README.md runs in a fresh
namespace, in a temporary directory (they may write files); the blocks of one README
run in order and share that namespace, as a reader would paste them.
"""
import os
import re

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
READMES = ['README.md'] + sorted(
    os.path.join('packages', p, 'README.md') for p in os.listdir(os.path.join(TOP, 'packages'))
    if os.path.exists(os.path.join(TOP, 'packages', p, 'README.md')))
BLOCK = re.compile(r'^```python\n(.*?)^```', re.S | re.M)


@pytest.mark.parametrize('readme', READMES)
def test_readme_python_blocks_run(readme, tmp_path, monkeypatch):
    text = open(os.path.join(TOP, readme), encoding='utf-8').read()
    blocks = BLOCK.findall(text)
    if not blocks:
        pytest.skip('no python blocks')
    monkeypatch.chdir(tmp_path)
    namespace = {'__name__': '__readme__'}
    for i, code in enumerate(blocks):
        try:
            exec(compile(code, '%s[block %d]' % (readme, i), 'exec'), namespace)
        except ImportError as e:
            pytest.skip('%s needs %s' % (readme, e))


def test_readme_demo_learns(tmp_path, monkeypatch, capsys):
    """The first thing a reader runs shows learning: accuracy from chance to near 1."""
    text = open(os.path.join(TOP, 'README.md'), encoding='utf-8').read()
    code = BLOCK.findall(text)[0]
    monkeypatch.chdir(tmp_path)
    namespace = {'__name__': '__readme__'}
    try:
        exec(compile(code, 'README.md[block 0]', 'exec'), namespace)
    except ImportError as e:
        pytest.skip('README.md needs %s' % e)
    lines = re.findall(r'^step (\d+): loss ([\d.]+), accuracy ([\d.]+)$',
                       capsys.readouterr().out, re.M)
    assert [int(s) for s, _, _ in lines] == [1, 100, 300]
    first, last = lines[0], lines[-1]
    assert float(last[1]) < 0.25 * float(first[1])
    assert float(last[2]) >= 0.95
