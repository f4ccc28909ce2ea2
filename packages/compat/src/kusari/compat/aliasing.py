"""The meta-path finder that makes ``chainer.X`` the module ``kusari.X``."""
import importlib
import importlib.abc
import importlib.util
import sys
import threading

#: Top-level import names and the kusari module each one is.
ALIASES = {
    'chainer': 'kusari',
    'chainermn': 'kusari.distributed',
    'onnx_chainer': 'kusari.onnx',
}

#: Chainer modules whose kusari counterpart lives under another name.
MODULE_ALIASES = {
    'chainer.cuda': 'kusari.backends.cuda',
}

_lock = threading.Lock()


def target_name(fullname):
    """The kusari module name that ``fullname`` stands for, or ``None``.

    >>> target_name('chainer.functions.activation.relu')
    'kusari.functions.activation.relu'
    >>> target_name('chainer.cuda')
    'kusari.backends.cuda'
    >>> target_name('numpy') is None
    True
    """
    for alias, target in MODULE_ALIASES.items():
        if fullname == alias or fullname.startswith(alias + '.'):
            return target + fullname[len(alias):]
    top, dot, rest = fullname.partition('.')
    target = ALIASES.get(top)
    if target is None:
        return None
    return target + dot + rest


def _sync():
    # Register every already imported kusari module under its alias too.  Were
    # ``chainer.utils.experimental`` loaded through the finder instead, the import
    # system would set the attribute ``experimental`` of ``chainer.utils`` (that
    # is, of ``kusari.utils``) to the module, hiding the function of that name.
    for alias, target in ALIASES.items():
        if alias not in sys.modules:
            continue
        prefix = target + '.'
        for name, module in list(sys.modules.items()):
            if name.startswith(prefix) and module is not None:
                sys.modules.setdefault(alias + name[len(target):], module)


class _AliasLoader(importlib.abc.Loader):
    """Hands the already imported kusari module to the import system."""

    def __init__(self, module):
        self._module = module

    def create_module(self, spec):
        # The import system keeps the attributes an existing module already has
        # (__name__, __spec__, __path__...), so the kusari module is used as is.
        return self._module

    def exec_module(self, module):
        pass


class AliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``chainer.X`` (and ``chainermn``/``onnx_chainer``) as kusari modules.

    The kusari module is imported when the alias is looked up; when it does not
    exist the finder raises ``ModuleNotFoundError`` naming both spellings.
    """

    def find_spec(self, fullname, path=None, target=None):
        name = target_name(fullname)
        if name is None:
            return None
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name is not None and (name == e.name or name.startswith(e.name + '.')):
                raise ModuleNotFoundError(
                    'No module named {!r} (kusari has no {!r}: {})'.format(
                        fullname, name, e), name=fullname) from e
            raise
        _sync()
        return importlib.util.spec_from_loader(
            fullname, _AliasLoader(module),
            is_package=hasattr(module, '__path__'))

    def __repr__(self):
        return '<kusari.compat.AliasFinder>'


_finder = AliasFinder()


def install():
    """Put the finder first on ``sys.meta_path`` (idempotent)."""
    with _lock:
        if _finder not in sys.meta_path:
            sys.meta_path.insert(0, _finder)


def uninstall():
    """Remove the finder; already imported aliases stay in ``sys.modules``."""
    with _lock:
        while _finder in sys.meta_path:
            sys.meta_path.remove(_finder)
