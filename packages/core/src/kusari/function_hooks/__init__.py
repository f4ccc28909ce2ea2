"""Function hooks (``chainer.function_hooks``): observers of every function call.

* :class:`TimerHook`: per-function elapsed time.
* :class:`PrintHook`: prints each function with its inputs and gradients.
* :class:`CupyMemoryProfileHook`: GPU memory each function takes from CuPy's pool.
* :class:`CUDAProfileHook`: an NVTX range per call, for CUDA profilers.

Use them as context managers (``with TimerHook() as hook: ...``) to register
them for the current thread; see :class:`kusari.function_hook.FunctionHook`.
"""
from kusari.function_hooks.cuda_profile import CUDAProfileHook  # NOQA
from kusari.function_hooks.cupy_memory_profile import CupyMemoryProfileHook  # NOQA
from kusari.function_hooks.debug_print import PrintHook  # NOQA
from kusari.function_hooks.timer import TimerHook  # NOQA

__all__ = ['CUDAProfileHook', 'CupyMemoryProfileHook', 'PrintHook', 'TimerHook']
