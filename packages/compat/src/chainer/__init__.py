"""``chainer``, provided by kusari-compat: this module is replaced by :mod:`kusari`.

After ``import chainer``, ``sys.modules['chainer'] is kusari`` and every
``chainer.X`` is the module ``kusari.X`` (see :mod:`kusari.compat`).
"""
import sys

import kusari
from kusari.compat import aliasing

aliasing.install()
# The import system returns what sys.modules holds after this file runs.
sys.modules[__name__] = kusari
aliasing._sync()
