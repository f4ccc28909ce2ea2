from kusari import backend
from kusari import function_node
from kusari.utils import type_check


class Copy(function_node.FunctionNode):
    """Transfer an array to a device; the gradient goes back to the input's device.

    Args:
        out_device: the destination (anything :func:`kusari.backend.get_device`
            accepts, e.g. ``-1``, ``'@numpy'``, ``'@cupy:0'``, a device id).
    """

    def __init__(self, out_device):
        self._out_device = backend.get_device(out_device)

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))

    def forward(self, inputs):
        x, = inputs
        self._in_device = backend.get_device_from_array(x)
        return self._out_device.send(x),

    def backward(self, indexes, grad_outputs):
        return Copy(self._in_device).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return self._in_device.send(grad_outputs[0]),


def copy(x, dst):
    """Copy ``x`` to the device ``dst``.

    If ``x`` already lives on ``dst``, no copy takes place and the output holds the
    same array.  The gradient is sent back to the device of ``x``.

    Args:
        x (Variable or ndarray): the array to transfer.
        dst: the destination device: ``-1`` or ``'@numpy'`` for the host, a GPU id
            ``N >= 0`` or ``'@cupy:N'`` for a GPU, or a
            :class:`~kusari.backend.Device`.

    Returns:
        ~kusari.Variable: the array on ``dst``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([1., 2.], numpy.float32)
    >>> y = F.copy(x, -1)
    >>> y.array, y.device
    (array([1., 2.], dtype=float32), <CpuDevice @numpy>)
    """
    return Copy(dst).apply((x,))[0]
