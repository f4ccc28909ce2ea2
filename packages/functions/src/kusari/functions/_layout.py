"""Chainer's module layout for the family sub-packages of :mod:`kusari.functions`.

In Chainer, ``chainer.functions.math.einsum`` is the *module* (tests and user code
reach ``einsum.EinSum`` or patch ``negative_sampling.negative_sampling`` through it)
while ``chainer.functions.einsum`` is the function.  A family ``__init__`` that says
``from kusari.functions.math.einsum import einsum`` rebinds the package attribute
``einsum`` from the sub-module to the function, so each family calls
:func:`chainer_layout` last: it records the family's public objects and puts the
sub-modules back under their own names.
"""
import importlib
import sys


def chainer_layout(namespace, modules=()):
    """Give the sub-modules of a family package their names back.

    Args:
        namespace (dict): the family package's ``globals()``; it must define
            ``__all__`` (the public names, which :mod:`kusari.functions` re-exports).
        modules (sequence of str): further sub-modules to import (the modules that
            Chainer has under names kusari's code does not use, which re-export
            objects defined elsewhere in the family).

    Sets ``namespace['_public']`` to ``{name: object}`` for every name of ``__all__``
    (the objects as imported, functions included) and rebinds each name that is also
    the name of a loaded sub-module to that module.
    """
    package = namespace['__name__']
    namespace['_public'] = {name: namespace[name] for name in namespace['__all__']}
    for name in modules:
        # importing binds the package attribute to the module
        importlib.import_module(package + '.' + name)
    for name, obj in list(namespace.items()):
        module = sys.modules.get(package + '.' + name)
        if module is not None and obj is not module:
            namespace[name] = module
