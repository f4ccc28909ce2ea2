"""Every public name of kusari-core says what it is."""
import importlib
import inspect

import pytest

MODULES = ['kusari', 'kusari.backend', 'kusari.backends.cuda', 'kusari.variable',
           'kusari.function_node', 'kusari.function', 'kusari.configuration',
           'kusari.link', 'kusari.sequential', 'kusari.initializers', 'kusari.initializer',
           'kusari.optimizer', 'kusari.serializer', 'kusari.reporter',
           'kusari.gradient_check', 'kusari.testing', 'kusari.computational_graph',
           'kusari.function_hook', 'kusari.function_hooks', 'kusari.utils',
           'kusari.utils.type_check']


def _public(mod):
    names = getattr(mod, '__all__', None)
    if names is None:
        names = [n for n in vars(mod) if not n.startswith('_')]
    for n in names:
        obj = getattr(mod, n)
        if inspect.ismodule(obj):
            continue
        if not (inspect.isclass(obj) or callable(obj)):
            continue
        if getattr(obj, '__module__', '') and not str(obj.__module__).startswith('kusari'):
            continue
        yield n, obj


@pytest.mark.parametrize('modname', MODULES)
def test_public_names_have_docstrings(modname):
    mod = importlib.import_module(modname)
    missing = [n for n, obj in _public(mod) if not (obj.__doc__ or '').strip()]
    assert not missing, '%s: no docstring for %s' % (modname, ', '.join(sorted(missing)))
