"""Configuration: ``kusari.config`` (thread-local) over ``kusari.global_config``.

The values live in the Cython core so that the hot flags (``enable_backprop``,
``train``, ``type_check``, ``debug``) cost one C read per operation.
"""
from kusari._core import (  # noqa: F401
    GlobalConfig,
    LocalConfig,
    config,
    global_config,
    using_config,
)

__all__ = ['GlobalConfig', 'LocalConfig', 'config', 'global_config', 'using_config']
