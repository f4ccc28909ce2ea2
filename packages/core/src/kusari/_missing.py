"""A clear ImportError for a kusari sub-package whose distribution is not installed.

The finder sits at the end of ``sys.meta_path``: it is asked only after every real
finder has failed, so it never shadows an installed sub-package.
"""
import importlib.abc
import sys

#: sub-package -> the distribution that provides it
PROVIDERS = {
    "kusari.functions": "kusari-functions",
    "kusari.links": "kusari-links",
    "kusari.optimizers": "kusari-optimizers",
    "kusari.optimizer_hooks": "kusari-optimizers",
    "kusari.serializers": "kusari-serializers",
}


class _MissingDistributionFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        dist = PROVIDERS.get(fullname)
        if dist is None:
            return None
        raise ModuleNotFoundError(
            f"No module named {fullname!r}: it is provided by the distribution "
            f"{dist!r}, which is not installed. Install it with: pip install {dist}",
            name=fullname,
        )


if not any(isinstance(f, _MissingDistributionFinder) for f in sys.meta_path):
    sys.meta_path.append(_MissingDistributionFinder())
