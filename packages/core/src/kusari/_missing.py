"""Sub-packages that other kusari distributions provide, and a clear error when one is absent.

``PROVIDERS`` maps each such sub-package to its distribution.  ``kusari.__getattr__``
loads them on first attribute access (``kusari.functions``), and the finder below turns
the import of one whose distribution is not installed into a ``ModuleNotFoundError``
that names the distribution and how to install it.  The finder sits at the end of
``sys.meta_path``: it is asked only after every real finder has failed, so it never
shadows an installed sub-package.
"""
import importlib.abc
import os
import sys

#: sub-package -> the distribution that provides it
PROVIDERS = {
    "kusari.functions": "kusari-functions",
    "kusari.links": "kusari-links",
    "kusari.link_hooks": "kusari-links",
    "kusari.optimizers": "kusari-optimizers",
    "kusari.optimizer_hooks": "kusari-optimizers",
    "kusari.serializers": "kusari-serializers",
    "kusari.dataset": "kusari-training",
    "kusari.datasets": "kusari-training",
    "kusari.iterators": "kusari-training",
    "kusari.training": "kusari-training",
    "kusari.distributions": "kusari-distributions",
    "kusari.distributed": "kusari-distributed",
    "kusari.onnx": "kusari-onnx",
    "kusari.compat": "kusari-compat",
}


def install_hint(dist):
    """How to install ``dist`` (e.g. ``'kusari-functions'``), as one sentence."""
    folder = dist[len("kusari-"):]
    return (
        f"Install it from a kusari source tree with: pip install ./packages/{folder} "
        f"(or from a wheelhouse built by 'nox -s build': pip install --find-links "
        f"WHEELHOUSE {dist})"
    )


def missing_error(fullname):
    """The ``ModuleNotFoundError`` for sub-package ``fullname`` whose distribution is absent."""
    dist = PROVIDERS[fullname]
    return ModuleNotFoundError(
        f"No module named {fullname!r}: it is provided by the distribution {dist!r}, "
        f"which is not installed. {install_hint(dist)}.",
        name=fullname,
    )


def _installed(fullname):
    """Whether a directory of the ``kusari`` namespace holds sub-package ``fullname``."""
    kusari = sys.modules.get("kusari")
    name = fullname.split(".", 1)[1]
    for entry in getattr(kusari, "__path__", ()):
        if os.path.isdir(os.path.join(entry, name)):
            return True
    return False


class _MissingDistributionFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        # Some tools ask every finder in turn with a path of their own (pytest's
        # importlib import mode does), so a sub-package that is installed must get a
        # plain None here, not the error.
        if fullname in PROVIDERS and not _installed(fullname):
            raise missing_error(fullname)
        return None


if not any(isinstance(f, _MissingDistributionFinder) for f in sys.meta_path):
    sys.meta_path.append(_MissingDistributionFinder())
