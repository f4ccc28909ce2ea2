"""kusari-compat: `chainer` and its submodules are kusari's module objects."""
import importlib
import subprocess
import sys

import pytest

import kusari
from kusari.compat import aliasing


def _run(code):
    # A fresh interpreter: sys.modules and sys.meta_path start clean.
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_import_chainer_is_kusari():
    out = _run('import chainer, kusari, sys\n'
               'print(chainer is kusari, sys.modules["chainer"] is kusari,'
               ' chainer.Variable is kusari.Variable)')
    assert out == 'True True True'


def test_submodules_are_the_same_objects():
    out = _run('import chainer.testing, kusari.testing\n'
               'import chainer.utils.type_check as a, kusari.utils.type_check as b\n'
               'from chainer import initializers\n'
               'import chainer.backends.cuda\n'
               'import sys\n'
               'print(chainer.testing is kusari.testing, a is b,'
               ' initializers is kusari.initializers,'
               ' sys.modules["chainer.backends.cuda"] is kusari.backends.cuda)')
    assert out == 'True True True True'


def test_isinstance_across_spellings():
    out = _run('import numpy, chainer, kusari\n'
               'v = kusari.Variable(numpy.zeros(2))\n'
               'print(isinstance(v, chainer.Variable),'
               ' isinstance(chainer.Parameter(numpy.zeros(1)), kusari.Variable))')
    assert out == 'True True'


def test_chainer_cuda_module_alias():
    out = _run('import sys, kusari\n'
               'import chainer.cuda as cuda\n'
               'print(cuda is kusari.backends.cuda,'
               ' sys.modules["chainer.cuda"] is kusari.backends.cuda)')
    assert out == 'True True'


def test_missing_module_raises_module_not_found_naming_chainer():
    out = _run('try:\n'
               '    import chainer.no_such_module_xyz\n'
               'except ModuleNotFoundError as e:\n'
               '    print(e.name, "kusari.no_such_module_xyz" in str(e))')
    assert out == 'chainer.no_such_module_xyz True'


def test_chainerx_stub():
    out = _run('import chainerx\n'
               'print(chainerx.is_available(), isinstance(1, chainerx.ndarray))\n'
               'try:\n    chainerx.ndarray()\nexcept RuntimeError as e:\n    print(e)')
    assert out.splitlines() == ['False False', 'chainerx is not available.']


def test_chainermn_and_onnx_chainer_follow_installed_distributions():
    for alias, target in (('chainermn', 'kusari.distributed'),
                          ('onnx_chainer', 'kusari.onnx')):
        code = ('import importlib.util, sys\n'
                'try:\n'
                '    import {a}\n'
                'except ImportError as e:\n'
                '    print("missing")\n'
                'else:\n'
                '    import {t}\n'
                '    print({a} is sys.modules["{t}"])').format(a=alias, t=target)
        out = _run(code)
        try:
            importlib.import_module(target)
            expected = 'True'
        except ImportError:
            expected = 'missing'
        assert out == expected, (alias, out)


def test_target_name_mapping():
    assert aliasing.target_name('chainer') == 'kusari'
    assert aliasing.target_name('chainer.links.model') == 'kusari.links.model'
    assert aliasing.target_name('chainermn.links') == 'kusari.distributed.links'
    assert aliasing.target_name('chainer.cuda') == 'kusari.backends.cuda'
    assert aliasing.target_name('chainerx') is None
    assert aliasing.target_name('chainer_extra') is None
    assert aliasing.target_name('numpy') is None


def test_install_is_idempotent_and_uninstall():
    aliasing.install()
    aliasing.install()
    assert sum(f is aliasing._finder for f in sys.meta_path) == 1
    aliasing.uninstall()
    assert aliasing._finder not in sys.meta_path
    aliasing.install()
    assert sys.meta_path[0] is aliasing._finder


def test_in_process_alias_is_same_module():
    aliasing.install()
    mod = importlib.import_module('chainer.utils')
    assert mod is kusari.utils
    assert importlib.import_module('chainer.testing.attr') is \
        importlib.import_module('kusari.testing.attr')


def test_chainer_testing_runs_a_chainer_style_test(tmp_path):
    # A user's Chainer test file, unchanged, runs on kusari.
    (tmp_path / 'test_user.py').write_text(
        'import unittest\n'
        'import numpy\n'
        'import chainer\n'
        'from chainer import testing\n'
        '\n'
        '@testing.parameterize(*testing.product({"shape": [(2,), (3, 2)]}))\n'
        'class TestSquare(unittest.TestCase):\n'
        '    def test_grad(self):\n'
        '        x = chainer.Variable(numpy.random.rand(*self.shape))\n'
        '        y = x * x\n'
        '        y.grad = numpy.ones(self.shape)\n'
        '        y.backward()\n'
        '        testing.assert_allclose(x.grad, 2 * x.array)\n'
        '\n'
        'testing.run_module(__name__, __file__)\n')
    r = subprocess.run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
                        str(tmp_path / 'test_user.py')],
                       capture_output=True, text=True, cwd=tmp_path)
    assert '2 passed' in r.stdout, r.stdout + r.stderr


@pytest.mark.parametrize('name', ['chainer', 'chainerx'])
def test_distribution_ships_the_import_names(name):
    spec = importlib.util.find_spec(name)
    assert spec is not None


def test_alias_import_does_not_hide_a_function_named_like_its_module():
    # kusari.utils.experimental is both a module and (as utils.experimental) the
    # function; importing the chainer spelling of the module must keep the function.
    out = _run('import chainer\n'
               'import chainer.utils.experimental\n'
               'from chainer import utils\n'
               'import kusari.utils\n'
               'print(callable(utils.experimental), callable(kusari.utils.tempdir))')
    assert out == 'True True'
