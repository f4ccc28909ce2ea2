"""Sphinx configuration of kusari's documentation.

Build (warnings are errors, as in ``nox -s docs``)::

    sphinx-build -W --keep-going -b html docs docs/_build/html

and run every example of the documentation::

    sphinx-build -W --keep-going -b doctest docs docs/_build/doctest

kusari must be importable: installed (``pip install ./packages/core ...``), or from
the source tree with the Cython extensions built in place
(``PYTHONPATH=$(scripts/dev-path)``).  When it is not importable, the packages'
``src`` directories of this checkout are put on ``sys.path`` as a fallback.
"""
import doctest
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, '_ext'))

if importlib.util.find_spec('kusari') is None:
    for _pkg in ('core', 'functions', 'links', 'optimizers', 'serializers', 'training',
                 'distributions', 'onnx', 'distributed', 'compat'):
        _src = os.path.join(TOP, 'packages', _pkg, 'src')
        if os.path.isdir(_src):
            sys.path.insert(0, _src)

import kusari  # noqa: E402

# -- Project ---------------------------------------------------------------------------

project = 'kusari'
author = 'kusari developers'
copyright = '2025, kusari developers'
version = kusari.__version__
release = kusari.__version__

# -- General ---------------------------------------------------------------------------

extensions = [
    'sphinx.ext.autodoc',
    'sphinx.ext.autosummary',
    'sphinx.ext.napoleon',
    'sphinx.ext.doctest',
    'sphinx.ext.mathjax',
    'kusari_apidoc',
]
# No intersphinx: the documentation builds offline (CI has no network).

exclude_patterns = ['_build', '_ext', 'Thumbs.db', '.DS_Store']
nitpicky = False
default_role = 'py:obj'
primary_domain = 'py'
highlight_language = 'python3'
pygments_style = 'sphinx'
# Type hints are not resolved against other projects' inventories (no intersphinx).
suppress_warnings = []

# -- autodoc / autosummary / napoleon ---------------------------------------------------

autodoc_member_order = 'bysource'
autodoc_typehints = 'signature'
autodoc_default_options = {}
autosummary_generate = False
autoclass_content = 'class'

napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = True
napoleon_use_ivar = True
napoleon_custom_sections = [('Shapes', 'params_style'), 'Note', 'Notes', 'Example',
                            'Examples', 'Warning']

# -- doctest ---------------------------------------------------------------------------

doctest_default_flags = (doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
                         | doctest.IGNORE_EXCEPTION_DETAIL
                         | doctest.DONT_ACCEPT_TRUE_FOR_1)
# Only the ``.. doctest::`` blocks of these pages run here.  The ``>>>`` examples of
# the docstrings are run by pytest (``--doctest-modules``, with pytest's NUMBER
# option), each in its own module's namespace; here they would share one namespace
# per page.
doctest_test_doctest_blocks = ''
doctest_global_setup = '''
import numpy
import numpy as np
numpy.set_printoptions(precision=8, suppress=False, legacy=False)
import kusari
from kusari.backends import cuda as _cuda
gpu_available = bool(_cuda.available)
import importlib.util as _ilu
sklearn_available = _ilu.find_spec('sklearn') is not None
h5py_available = _ilu.find_spec('h5py') is not None
'''

# -- HTML ------------------------------------------------------------------------------

# furo when it is installed (``pip install furo``); otherwise Sphinx's default theme,
# so that the documentation builds offline with Sphinx alone.
# KUSARI_DOCS_THEME=<name> overrides the choice.
if os.environ.get('KUSARI_DOCS_THEME'):
    html_theme = os.environ['KUSARI_DOCS_THEME']
elif importlib.util.find_spec('furo') is not None:
    html_theme = 'furo'
else:
    html_theme = 'alabaster'
html_title = 'kusari %s' % release
html_static_path = []
html_show_sourcelink = False

# -- API coverage ------------------------------------------------------------------------

# Every public name of these modules must be documented somewhere in the reference
# (docs/_ext/kusari_apidoc.py warns otherwise, which fails the -W build).  Modules of
# distributions that are not installed are skipped.
kusari_apidoc_check = [
    'kusari',
    'kusari.backend',
    'kusari.backends.cuda',
    'kusari.computational_graph',
    'kusari.function_hooks',
    'kusari.gradient_check',
    'kusari.initializers',
    'kusari.testing',
    'kusari.utils',
    'kusari.utils.argument',
    'kusari.utils.conv',
    'kusari.utils.type_check',
    'kusari.functions',
    'kusari.links',
    'kusari.optimizers',
    'kusari.optimizer_hooks',
    'kusari.serializers',
    'kusari.link_hooks',
    'kusari.distributions',
    'kusari.onnx',
    'kusari.dataset',
    'kusari.datasets',
    'kusari.iterators',
    'kusari.training',
    'kusari.training.updaters',
    'kusari.training.triggers',
    'kusari.training.extensions',
    'kusari.training.extensions.snapshot_writers',
    'kusari.distributed',
]
