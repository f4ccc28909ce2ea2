"""NVTX ranges around every function call: :class:`CUDAProfileHook`."""
from kusari import function_hook


def _cupy(who):
    # CuPy is imported only when a GPU hook is created: kusari-core runs without it.
    try:
        import cupy
    except ImportError as e:
        raise RuntimeError(
            '{}: CUDA is not available: cupy cannot be imported ({}). Install '
            'kusari-core[cuda12] on a machine with a CUDA GPU.'.format(who, e)) from e
    return cupy


def _label(function):
    label = getattr(function, 'label', None)
    return label if isinstance(label, str) and label else type(function).__name__


class CUDAProfileHook(function_hook.FunctionHook):
    """Function hook marking each forward and backward call as an NVTX range.

    In a profiler such as Nsight Systems (``nsys profile python train.py``), every
    function call appears as a range named ``<label>.forward`` or
    ``<label>.backward`` on the CPU timeline, over the CUDA kernels it launched.

    Raises:
        RuntimeError: CuPy is not available, or it was built without NVTX.

    Example::

        from kusari.function_hooks import CUDAProfileHook
        with CUDAProfileHook():
            loss = model(x)
            loss.backward()
    """

    name = 'CUDAProfileHook'

    def __init__(self):
        cupy = _cupy('CUDAProfileHook')
        if not getattr(cupy.cuda, 'nvtx_enabled', True):
            raise RuntimeError('CUDAProfileHook: NVTX is required, but this CuPy '
                               'was built without it')
        self._nvtx = cupy.cuda.nvtx

    def forward_preprocess(self, function, in_data):
        """Open the range ``<label>.forward``."""
        self._nvtx.RangePush(_label(function) + '.forward')

    def forward_postprocess(self, function, in_data):
        """Close the current range."""
        self._nvtx.RangePop()

    def backward_preprocess(self, function, in_data, out_grad):
        """Open the range ``<label>.backward``."""
        self._nvtx.RangePush(_label(function) + '.backward')

    def backward_postprocess(self, function, in_data, out_grad):
        """Close the current range."""
        self._nvtx.RangePop()
