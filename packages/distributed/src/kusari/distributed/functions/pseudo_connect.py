"""pseudo_connect: put a delegate variable into the graph of other variables."""
import numpy as np

import kusari
from kusari import function_node


class PseudoConnect(function_node.FunctionNode):
    """Outputs the actual inputs unchanged; the delegate input gets a zero gradient."""

    def forward(self, inputs):
        self._delegate = (inputs[0].shape, inputs[0].dtype)
        return tuple(inputs[1:])

    def backward(self, indexes, grad_outputs):
        out = []
        for i in indexes:
            if i == 0:
                shape, dtype = self._delegate
                out.append(kusari.Variable(np.zeros(shape, dtype)))
            else:
                out.append(grad_outputs[i - 1])
        return tuple(out)


def pseudo_connect(delegate_variable, *actual_variables):
    """Return ``actual_variables`` connected to ``delegate_variable`` in the graph.

    Backpropagating through the result also runs the backward of the delegate's
    creator (e.g. a :func:`send` waiting for its gradient).

    Returns:
        A variable, or a tuple of them when several are given.
    """
    ys = PseudoConnect().apply((delegate_variable,) + tuple(actual_variables))
    return ys[0] if len(ys) == 1 else ys
