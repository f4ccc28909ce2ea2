"""kusari.link_hooks: link hooks (Chainer's ``chainer.link_hooks``).

:class:`SpectralNormalization` and :class:`WeightStandardization` re-parameterize a
link's weight before each forward computation; :class:`TimerHook` measures the time
links spend in ``forward``.  The base class is :class:`kusari.link_hook.LinkHook`.
"""
from kusari.link_hooks.spectral_normalization import SpectralNormalization  # noqa: F401
from kusari.link_hooks.timer import TimerHook  # noqa: F401
from kusari.link_hooks.weight_standardization import WeightStandardization  # noqa: F401

__all__ = ['SpectralNormalization', 'TimerHook', 'WeightStandardization']
