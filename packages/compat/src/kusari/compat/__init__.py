"""Chainer's import names on kusari (the ``kusari-compat`` distribution).

``import chainer`` gives the module :mod:`kusari` itself, and every
``chainer.X`` the module ``kusari.X``: the same objects, not copies, so
``chainer.Variable is kusari.Variable`` and ``isinstance`` works across both
spellings.  ``chainermn`` and ``onnx_chainer`` map to ``kusari.distributed`` and
``kusari.onnx`` when those distributions are installed; ``chainerx`` is Chainer's
"not built" stub (``chainerx.is_available()`` is ``False``).

The mapping is a meta-path finder (:class:`AliasFinder`); importing ``chainer``
installs it, or call :func:`install`.

>>> import kusari.compat
>>> kusari.compat.install()
>>> import chainer, kusari
>>> chainer is kusari and chainer.Variable is kusari.Variable
True
"""
from kusari.compat.aliasing import ALIASES  # noqa: F401
from kusari.compat.aliasing import AliasFinder  # noqa: F401
from kusari.compat.aliasing import MODULE_ALIASES  # noqa: F401
from kusari.compat.aliasing import install  # noqa: F401
from kusari.compat.aliasing import uninstall  # noqa: F401

__all__ = ['ALIASES', 'MODULE_ALIASES', 'AliasFinder', 'install', 'uninstall']
