"""Differentiable send / recv between processes (model parallelism).

Forward sends the arrays; backward sends the gradients back the other way, so a
graph split across processes backpropagates as if it were one.  A ``send``
returns a *delegate variable*: a float32 zero scalar attached to the graph; call
``backward()`` on it (or add it to a loss) to pull the gradient from the receiver.
(ChainerMN's delegate is an empty array; kusari's is a zero scalar so that
``backward()`` needs no initial gradient.)
"""
import numpy as np

import kusari
from kusari import function_node


def _xp(arrays):
    a = arrays[0]
    if isinstance(a, np.ndarray):
        return np
    import cupy
    return cupy


def _device_like(host, xp):
    return host if xp is np else xp.asarray(host)


class Send(function_node.FunctionNode):
    """Send the inputs to ``peer_rank``; the output is the delegate scalar."""

    def __init__(self, comm, peer_rank, peer_tag):
        self.comm = comm
        self.peer_rank = peer_rank
        self.peer_tag = peer_tag

    def forward(self, inputs):
        xp = _xp(inputs)
        self._xp = xp
        self._metas = [(x.shape, x.dtype) for x in inputs]
        self.comm.send(inputs if len(inputs) > 1 else inputs[0], self.peer_rank,
                       self.peer_tag)
        return xp.zeros((), dtype=np.float32),

    def backward(self, indexes, grad_outputs):
        gxs = self.comm.recv(self.peer_rank, self.peer_tag)
        if not isinstance(gxs, tuple):
            gxs = (gxs,)
        out = []
        for (shape, dtype), g in zip(self._metas, gxs):
            out.append(kusari.Variable(_device_like(np.asarray(g, dtype=dtype)
                                                    .reshape(shape), self._xp)))
        return tuple(out[i] for i in indexes)


class Recv(function_node.FunctionNode):
    """Receive arrays from ``peer_rank``; backward sends their gradients back."""

    def __init__(self, comm, peer_rank, peer_tag, device=None):
        self.comm = comm
        self.peer_rank = peer_rank
        self.peer_tag = peer_tag
        self.device = device

    def forward(self, inputs):
        data = self.comm.recv(self.peer_rank, self.peer_tag)
        if not isinstance(data, tuple):
            data = (data,)
        self._delegate = (inputs[0].shape, inputs[0].dtype)
        self._shapes = [d.shape for d in data]
        self._dtypes = [d.dtype for d in data]
        if self.device is not None:
            data = tuple(self.device.send(d) for d in data)
        return data

    def backward(self, indexes, grad_outputs):
        gys = []
        for i, gy in enumerate(grad_outputs):
            if gy is None:              # an unused output: zero gradient
                gy = np.zeros(self._shapes[i], self._dtypes[i])
            else:
                gy = gy.array
            if not isinstance(gy, np.ndarray):  # the peer's MPI reads host memory
                gy = gy.get()
            gys.append(gy)
        self.comm.send(tuple(gys) if len(gys) > 1 else gys[0], self.peer_rank,
                       self.peer_tag)
        shape, dtype = self._delegate
        return kusari.Variable(np.zeros(shape, dtype)),


def _delegate_input():
    return kusari.Variable(np.zeros((), np.float32), requires_grad=True)


def send(x, communicator, rank, tag=0):
    """Send ``x`` (a Variable or a tuple of them) to process ``rank``, differentiably.

    Args:
        x: The variable(s) to send.
        communicator: A communicator.
        rank (int): The destination.
        tag (int): The MPI tag.

    Returns:
        The delegate variable (a zero float32 scalar): its ``backward()`` receives
        the gradient of ``x`` from ``rank`` and backpropagates it.
    """
    if rank == communicator.rank:
        raise ValueError('send: rank {} is this process; send to another rank'.format(
            rank))
    xs = tuple(x) if isinstance(x, (tuple, list)) else (x,)
    node = Send(communicator, rank, tag)
    delegate, = node.apply(xs)
    return delegate


def recv(communicator, rank, delegate_variable=None, tag=0, device=None,
         force_tuple=False):
    """Receive what ``send`` sent from process ``rank``, differentiably.

    Args:
        communicator: A communicator.
        rank (int): The source.
        delegate_variable: The delegate of a previous ``send`` on this process
            (it orders this receive after that send in the backward pass).
        tag (int): The MPI tag.
        device: A ``kusari.backend.Device`` to place the received arrays on.
        force_tuple (bool): Return a tuple even for one array.

    Returns:
        The received variable (or tuple of variables); its gradient is sent back
        to ``rank`` during backward.
    """
    if rank == communicator.rank:
        raise ValueError('recv: rank {} is this process; receive from another '
                         'rank'.format(rank))
    if delegate_variable is None:
        delegate_variable = _delegate_input()
    if device is not None and not hasattr(device, 'send'):
        device = kusari.get_device(device)
    ys = Recv(communicator, rank, tag, device).apply((delegate_variable,))
    if len(ys) == 1 and not force_tuple:
        return ys[0]
    return ys

