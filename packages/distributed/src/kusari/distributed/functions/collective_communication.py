"""Differentiable collectives: allgather, alltoall, bcast, gather, scatter."""
import numpy as np

import kusari
from kusari import function_node


def _v(a):
    return kusari.Variable(a)


def _zero_scalar():
    return kusari.Variable(np.zeros((), np.float32), requires_grad=True)


class AllGather(function_node.FunctionNode):
    def __init__(self, comm):
        self.comm = comm

    def forward(self, inputs):
        ys = self.comm.allgather(inputs[0])
        self._metas = [(y.shape, y.dtype) for y in ys]
        return ys

    def backward(self, indexes, grad_outputs):
        gys = tuple(np.zeros(s, d) if g is None else g.array
                    for g, (s, d) in zip(grad_outputs, self._metas))
        gxs = self.comm.alltoall(gys)
        return _v(sum(gxs[1:], gxs[0].copy())),


class AllToAll(function_node.FunctionNode):
    def __init__(self, comm):
        self.comm = comm

    def forward(self, inputs):
        if len(inputs) != self.comm.size:
            raise ValueError('alltoall: expected {} inputs, got {}'.format(
                self.comm.size, len(inputs)))
        ys = self.comm.alltoall(inputs)
        self._out_metas = [(y.shape, y.dtype) for y in ys]
        return ys

    def backward(self, indexes, grad_outputs):
        gys = []
        for g, y_shape in zip(grad_outputs, self._out_metas):
            gys.append(np.zeros(*y_shape) if g is None else g.array)
        gxs = self.comm.alltoall(tuple(gys))
        return tuple(_v(gxs[i]) for i in indexes)


class Bcast(function_node.FunctionNode):
    def __init__(self, comm, root):
        self.comm = comm
        self.root = root

    def forward(self, inputs):
        x = inputs[0] if self.comm.rank == self.root else None
        self._in = (inputs[0].shape, inputs[0].dtype)
        return self.comm.bcast(x, self.root),

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0].array
        gxs = self.comm.gather(gy, self.root)
        if self.comm.rank == self.root:
            return _v(sum(gxs[1:], gxs[0].copy())),
        return _v(np.zeros(*self._in)),


class Gather(function_node.FunctionNode):
    def __init__(self, comm, root):
        self.comm = comm
        self.root = root

    def forward(self, inputs):
        x = inputs[0]
        self._in = (x.shape, x.dtype)
        ys = self.comm.gather(x, self.root)
        if self.comm.rank == self.root:
            return ys
        return np.zeros((), np.float32),         # the delegate

    def backward(self, indexes, grad_outputs):
        if self.comm.rank == self.root:
            gys = tuple(np.zeros(*self._in) if g is None else g.array
                        for g in grad_outputs)
            gx = self.comm.scatter(gys, self.root)
        else:
            gx = self.comm.scatter(None, self.root)
        return _v(np.asarray(gx, dtype=self._in[1]).reshape(self._in[0])),


class Scatter(function_node.FunctionNode):
    def __init__(self, comm, root):
        self.comm = comm
        self.root = root

    def forward(self, inputs):
        if self.comm.rank == self.root:
            self._in = [(x.shape, x.dtype) for x in inputs]
            y = self.comm.scatter(inputs, self.root)
        else:
            self._in = [(inputs[0].shape, inputs[0].dtype)]
            y = self.comm.scatter(None, self.root)
        self._out = (y.shape, y.dtype)
        return y,

    def backward(self, indexes, grad_outputs):
        g = grad_outputs[0]
        gy = np.zeros(*self._out) if g is None else g.array
        gxs = self.comm.gather(gy, self.root)
        if self.comm.rank == self.root:
            return tuple(_v(gxs[i]) for i in indexes)
        return _v(np.zeros(*self._in[0])),


def allgather(communicator, x):
    """Every process's ``x`` as a tuple (rank order); gradients summed back."""
    return AllGather(communicator).apply((x,))


def alltoall(communicator, xs):
    """Send ``xs[i]`` to rank i; return what every rank sent here, differentiably."""
    return AllToAll(communicator).apply(tuple(xs))


def bcast(communicator, x, root=0):
    """``root``'s ``x`` on every process (others may pass ``None``).

    In backward the gradients of all processes are summed into ``root``'s ``x``.
    """
    if communicator.rank != root:
        x = _zero_scalar()
    y, = Bcast(communicator, root).apply((x,))
    return y


def gather(communicator, x, root=0):
    """On ``root``: the tuple of every process's ``x``; elsewhere a delegate variable.

    Call ``backward()`` on the delegate of a non-root process so that it takes
    part in the backward scatter of the gradients.
    """
    ys = Gather(communicator, root).apply((x,))
    return ys if communicator.rank == root else ys[0]


def scatter(communicator, xs, root=0):
    """``xs[i]`` (given on ``root``) on process i; gradients gathered back to root."""
    if communicator.rank == root:
        inputs = tuple(xs)
    else:
        inputs = (_zero_scalar(),)
    y, = Scatter(communicator, root).apply(inputs)
    return y
