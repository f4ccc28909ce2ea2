"""Function hooks (``chainer.function_hooks``): observers of every function call.

* :class:`TimerHook`: per-function elapsed time.
* :class:`PrintHook`: prints each function with its inputs and gradients.

Use them as context managers (``with TimerHook() as hook: ...``) to register
them for the current thread; see :class:`kusari.function_hook.FunctionHook`.
"""
from kusari.function_hooks.debug_print import PrintHook  # NOQA
from kusari.function_hooks.timer import TimerHook  # NOQA

__all__ = ['PrintHook', 'TimerHook']
