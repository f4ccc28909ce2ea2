"""Test helpers: :func:`with_requires`, :func:`without_requires`, :func:`assert_warns`,
:func:`patch` (as in ``chainer.testing.helper``)."""
import contextlib
import re
import sys
import unittest
import warnings
from importlib import metadata

_REQ = re.compile(r'^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$')


def _version_key(text):
    # Fallback ordering when `packaging` is absent: numeric release segments.
    parts = []
    for piece in re.split(r'[.+-]', text):
        m = re.match(r'\d+', piece)
        parts.append(int(m.group()) if m else 0)
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _satisfied(requirement):
    """Whether the installed distributions satisfy ``requirement`` (PEP 508)."""
    m = _REQ.match(requirement)
    if m is None:
        raise ValueError('with_requires: cannot parse requirement {!r}'.format(
            requirement))
    name, _, spec = m.groups()
    try:
        installed = metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    spec = spec.strip()
    if not spec:
        return True
    try:
        from packaging.specifiers import SpecifierSet
        return SpecifierSet(spec).contains(installed, prereleases=True)
    except ImportError:
        pass
    ops = {'>=': lambda a, b: a >= b, '<=': lambda a, b: a <= b,
           '==': lambda a, b: a == b, '!=': lambda a, b: a != b,
           '>': lambda a, b: a > b, '<': lambda a, b: a < b}
    for clause in spec.split(','):
        cm = re.match(r'\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$', clause)
        if cm is None:
            raise ValueError('with_requires: unsupported specifier {!r}'.format(
                clause))
        if not ops[cm.group(1)](_version_key(installed), _version_key(cm.group(2))):
            return False
    return True


def with_requires(*requirements):
    """Decorator: run a test only when every requirement is installed.

    >>> import unittest
    >>> class Test(unittest.TestCase):
    ...     @with_requires('numpy>=1.10')
    ...     def test_for_numpy_1_10(self):
    ...         pass

    Args:
        *requirements (str): Requirement strings such as ``'numpy>=1.10'``.
    """
    ok = all(_satisfied(r) for r in requirements)
    return unittest.skipIf(not ok, 'requires: {}'.format(','.join(requirements)))


def without_requires(*requirements):
    """Decorator: run a test only when the requirements are *not* all installed.

    Args:
        *requirements (str): Requirement strings such as ``'numpy>=1.10'``.
    """
    ok = all(_satisfied(r) for r in requirements)
    return unittest.skipIf(ok, 'requires: {}'.format(','.join(requirements)))


@contextlib.contextmanager
def assert_warns(expected):
    """Context manager: the block must emit a warning of class ``expected``.

    Every warning is recorded (filters set to ``'always'``), so a warning already
    emitted once from the same place still counts.

    >>> import warnings
    >>> with assert_warns(UserWarning):
    ...     warnings.warn('hello')
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        yield
    if not any(isinstance(w.message, expected) for w in caught):
        name = getattr(expected, '__name__', str(expected))
        raise AssertionError('%s not triggerred' % name)


def _import_object_from_name(fullname):
    parts = fullname.split('.')
    obj = sys.modules.get(parts[0])
    if obj is None:
        raise RuntimeError("patch: can't import {}".format(parts[0]))
    for i, part in enumerate(parts[1:]):
        obj = getattr(obj, part)
        if obj is None:
            raise RuntimeError("patch: can't find object {}".format(
                '.'.join(parts[:i + 2])))
    return obj


def patch(target, *args, **kwargs):
    r"""``unittest.mock.patch`` that wraps the patched object by default.

    The mock records calls and still calls the original (``wraps``), unless
    ``wraps=`` is given.  Unbound methods are not supported as ``wraps``.

    Args:
        target (str): Full dotted name of the object to patch.
        \*args, \*\*kwargs: Passed to ``unittest.mock.patch``.
    """
    try:
        import mock     # the `mock` distribution, as Chainer uses, when present
    except ImportError:
        from unittest import mock
    if 'wraps' in kwargs:
        wraps = kwargs.pop('wraps')
    else:
        wraps = _import_object_from_name(target)
    return mock.patch(target, *args, wraps=wraps, **kwargs)
