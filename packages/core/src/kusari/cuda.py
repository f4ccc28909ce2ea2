"""``kusari.cuda``: the module :mod:`kusari.backends.cuda` under Chainer's older name.

``import kusari.cuda`` and ``from kusari import cuda`` give the very module
``kusari.backends.cuda`` (as ``chainer.cuda`` is ``chainer.backends.cuda``).
"""
import sys

from kusari.backends import cuda as _cuda

sys.modules[__name__] = _cuda
