"""Every example is a script with an argparse ``--help`` and rejects unknown options.

The modules are imported in-process (``main(argv)`` takes the arguments), which is
much faster than one interpreter per example; the subprocess runs are in the
per-example tests.
"""
import importlib.util
import os

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'examples')
NAMES = ['mlp_digits', 'convnet_digits', 'char_rnn', 'custom_function', 'double_backprop',
         'save_resume', 'gpu']
NEEDS_SKLEARN = {'mlp_digits', 'convnet_digits'}
# ids end in '.py': a bare 'gpu' id would be taken for the gpu marker by the root
# conftest (it looks for 'gpu' in item.keywords, which include parameter ids).


def _load(name):
    if name in NEEDS_SKLEARN:
        pytest.importorskip('sklearn')
    spec = importlib.util.spec_from_file_location('example_' + name,
                                                  os.path.join(EXAMPLES, name + '.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize('name', NAMES, ids=[n + '.py' for n in NAMES])
def test_help(name, capsys):
    mod = _load(name)
    with pytest.raises(SystemExit) as e:
        mod.main(['--help'])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith('usage: ')
    summary = ' '.join(mod.__doc__.split('\n\n')[0].split())   # the docstring's summary
    assert summary in ' '.join(out.split())
    assert '--seed' in out


@pytest.mark.parametrize('name', NAMES, ids=[n + '.py' for n in NAMES])
def test_unknown_option_is_rejected(name, capsys):
    mod = _load(name)
    with pytest.raises(SystemExit) as e:
        mod.main(['--no-such-option'])
    assert e.value.code == 2
    assert 'unrecognized arguments: --no-such-option' in capsys.readouterr().err
