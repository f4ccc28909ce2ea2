"""Debug printing of every function call: :class:`PrintHook`."""
import sys
import warnings

from kusari import backend
from kusari import function_hook


def _describe(array, what='data'):
    """One block of text describing an array: type, shape, dtype and statistics."""
    if array is None:
        return '(removed)'
    xp = backend.get_array_module(array)
    lines = ['- backend: {}.{}'.format(type(array).__module__.split('.')[0],
                                       type(array).__name__),
             '- shape: {}'.format(tuple(array.shape)),
             '- dtype: {}'.format(array.dtype)]
    if array.size == 0:
        lines.append('- statistics: (empty)')
    elif array.dtype.kind in 'biuf':
        a = array.astype('float64') if array.dtype.kind != 'f' else array
        lines.append('- statistics: mean={:.8f}, std={:.8f}'.format(
            float(xp.mean(a)), float(xp.std(a))))
    return '\n'.join(['<{} at 0x{:x}>'.format(what, id(array))] + lines)


class PrintHook(function_hook.FunctionHook):
    """Function hook printing each function call before it runs.

    Before every forward call it prints the function's label and the shape,
    dtype and mean/std of each input array; before every backward call, also
    those of each output gradient.

    Args:
        sep: Deprecated and ignored (kept for compatibility).
        end (str): Appended to every printed line.
        file: Text stream to write to.
        flush (bool): If ``True``, flush ``file`` after each call's report.

    Example::

        with kusari.function_hooks.PrintHook():
            y = F.sum(x * x)
            y.backward()
    """

    name = 'PrintHook'

    def __init__(self, sep=None, end='\n', file=sys.stdout, flush=True):
        if sep is not None:
            warnings.warn('sep argument of PrintHook is deprecated and ignored.',
                          DeprecationWarning, stacklevel=2)
        self.sep = sep
        self.end = end
        self.file = file
        self.flush = flush

    def _print(self, msg):
        self.file.write(msg + self.end)

    def _process(self, function, in_data, out_grad=None):
        self._print('function\t{}'.format(function.label))
        self._print('input data')
        for d in in_data:
            self._print(_describe(d, 'input'))
        if out_grad is not None:
            self._print('output gradient')
            for d in out_grad:
                self._print('None' if d is None else _describe(d, 'grad'))
        if self.flush and hasattr(self.file, 'flush'):
            self.file.flush()

    def forward_preprocess(self, function, in_data):
        """Print the function label and its inputs."""
        self._process(function, in_data)

    def backward_preprocess(self, function, in_data, out_grad):
        """Print the function label, its inputs and the output gradients."""
        self._process(function, in_data, out_grad)
