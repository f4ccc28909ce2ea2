"""Communicators over an MPI communicator (mpi4py): messages and collectives.

Arrays travel as raw buffers; their shapes and dtypes travel first as small pickled
objects (what ChainerMN does).  GPU arrays are staged through host memory here:
the CUDA-aware path of an MPI is not assumed.
"""
import numpy as np

from kusari.distributed.communicators import _memory
from kusari.distributed.communicators.communicator_base import CommunicatorBase


def _mpi():
    from mpi4py import MPI
    return MPI


def _to_host(array):
    # np.asarray keeps 0-d arrays 0-d (ascontiguousarray would make them 1-d)
    if isinstance(array, np.ndarray) or np.isscalar(array):
        return np.asarray(array, order='C')
    if hasattr(array, 'get'):                  # cupy.ndarray
        return np.asarray(array.get(), order='C')
    raise TypeError('expected an ndarray, got {}'.format(type(array).__name__))


def _like(host, template):
    """``host`` on the device of ``template`` (a CuPy array comes back as CuPy)."""
    if template is None or isinstance(template, np.ndarray) or np.isscalar(template):
        return host
    return _memory.array_module(template).asarray(host)


def _check_array(x, who):
    if x is None or not hasattr(x, 'dtype') or not hasattr(x, 'shape'):
        raise TypeError('{}: expected an ndarray, got {}'.format(who, type(x).__name__))


class MpiCommunicatorBase(CommunicatorBase):
    """Base of the MPI communicators: everything except the gradient reduction.

    Args:
        mpi_comm: An ``mpi4py.MPI.Comm`` (``MPI.COMM_WORLD`` in
            :func:`~kusari.distributed.create_communicator` when omitted).
    """

    _configs = ('batched_copy', 'allreduce_grad_dtype')

    def __init__(self, mpi_comm, batched_copy=False, allreduce_grad_dtype=None):
        MPI = _mpi()
        if not isinstance(mpi_comm, MPI.Comm):
            raise TypeError('{}: mpi_comm must be an mpi4py.MPI.Comm, got {}'.format(
                type(self).__name__, type(mpi_comm).__name__))
        self.mpi_comm = mpi_comm
        self._config = {'batched_copy': bool(batched_copy),
                        'allreduce_grad_dtype': None}
        if allreduce_grad_dtype is not None:
            self.set_config('allreduce_grad_dtype', allreduce_grad_dtype)
        self._init_ranks()

    def _init_ranks(self):
        MPI = _mpi()
        comm = self.mpi_comm
        # processes sharing memory are on one node; nodes are numbered by the
        # smallest global rank on them (the same numbering on every process)
        intra = comm.Split_type(MPI.COMM_TYPE_SHARED, key=comm.rank)
        leader = intra.allreduce(comm.rank, op=MPI.MIN)
        self._intra_rank = intra.rank
        self._intra_size = intra.size
        intra.Free()
        leaders = sorted(set(comm.allgather(leader)))
        self._inter_rank = leaders.index(leader)
        self._inter_size = len(leaders)

    # -- layout ---------------------------------------------------------------
    @property
    def rank(self):
        return self.mpi_comm.rank

    @property
    def size(self):
        return self.mpi_comm.size

    @property
    def intra_rank(self):
        return self._intra_rank

    @property
    def intra_size(self):
        return self._intra_size

    @property
    def inter_rank(self):
        return self._inter_rank

    @property
    def inter_size(self):
        return self._inter_size

    @property
    def allreduce_grad_dtype(self):
        return self._config['allreduce_grad_dtype']

    def set_config(self, name, value=True, **kwargs):
        """Set ``batched_copy`` or ``allreduce_grad_dtype``; other names: ValueError."""
        if name == 'batched_copy':
            self._config[name] = bool(value)
        elif name == 'allreduce_grad_dtype':
            if value is not None:
                value = np.dtype(value)
                if value.kind != 'f':
                    raise ValueError(
                        '{}: allreduce_grad_dtype must be a floating dtype '
                        '(float16, float32, float64), got {}'.format(
                            type(self).__name__, value))
                value = value.type
            self._config[name] = value
        else:
            raise ValueError('{}: unknown config {!r}; expected one of {}'.format(
                type(self).__name__, name, self._configs))

    def get_config(self, name=None):
        """The value of a config set by :meth:`set_config`."""
        if name is None:
            return dict(self._config)
        if name not in self._config:
            raise ValueError('{}: unknown config {!r}; expected one of {}'.format(
                type(self).__name__, name, self._configs))
        return self._config[name]

    def split(self, color, key):
        """A communicator of the same kind over the processes with the same ``color``.

        Args:
            color (int): Processes with equal colors form one new communicator.
            key (int): Orders the ranks in the new communicator.
        """
        new = self.mpi_comm.Split(color, key)
        return type(self)(mpi_comm=new)

    # -- objects --------------------------------------------------------------
    def send_obj(self, obj, dest, tag=0):
        """Send a picklable object to ``dest``."""
        self.mpi_comm.send(obj, dest=dest, tag=tag)

    def recv_obj(self, source, status=None, tag=None):
        """Receive an object sent by :meth:`send_obj` from ``source``.

        Note: objects are unpickled, as in ChainerMN (MPI peers of one job are
        trusted; never connect untrusted processes to the job).
        """
        MPI = _mpi()
        return self.mpi_comm.recv(source=source, status=status,
                                  tag=MPI.ANY_TAG if tag is None else tag)

    def bcast_obj(self, obj, max_buf_len=None, root=0):
        """Broadcast a picklable object from ``root``; every process returns it."""
        return self.mpi_comm.bcast(obj, root=root)

    def gather_obj(self, obj, root=0):
        """Gather one object per process; ``root`` gets the list, others ``None``."""
        return self.mpi_comm.gather(obj, root=root)

    def allreduce_obj(self, obj):
        """The sum of ``obj`` over all processes (any object supporting ``+``)."""
        return self.mpi_comm.allreduce(obj, op=_mpi().SUM)

    def scatter_obj(self, objs, root=0):
        """``objs[i]`` (given on ``root``) to process ``i``."""
        return self.mpi_comm.scatter(objs, root=root)

    # -- arrays ---------------------------------------------------------------
    def send(self, data, dest, tag):
        """Send an array, or a tuple/list of arrays, to process ``dest``."""
        is_tuple = isinstance(data, (tuple, list))
        arrays = list(data) if is_tuple else [data]
        for a in arrays:
            _check_array(a, type(self).__name__ + '.send')
        hosts = [_to_host(a) for a in arrays]
        self.mpi_comm.send((is_tuple, [(h.shape, h.dtype.str) for h in hosts]),
                           dest=dest, tag=tag)
        for h in hosts:
            self.mpi_comm.Send(h.reshape(-1).view(np.uint8), dest=dest, tag=tag)

    def recv(self, source, tag):
        """Receive what :meth:`send` sent from ``source`` (an array or a tuple)."""
        is_tuple, meta = self.mpi_comm.recv(source=source, tag=tag)
        out = []
        for shape, dtype in meta:
            buf = np.empty(shape, dtype=dtype)
            self.mpi_comm.Recv(buf.reshape(-1).view(np.uint8), source=source, tag=tag)
            out.append(buf)
        return tuple(out) if is_tuple else out[0]

    def bcast(self, x, root=0):
        """Broadcast array ``x`` from ``root`` (others may pass ``None``); return it."""
        if self.rank == root:
            _check_array(x, type(self).__name__ + '.bcast')
            host = _to_host(x)
            meta = self.mpi_comm.bcast((host.shape, host.dtype.str), root=root)
        else:
            meta = self.mpi_comm.bcast(None, root=root)
            host = np.empty(meta[0], dtype=meta[1])
        self.mpi_comm.Bcast(host.reshape(-1).view(np.uint8), root=root)
        return _like(host, x)

    def gather(self, x, root=0):
        """Gather one array per process; ``root`` returns the tuple, others ``None``."""
        _check_array(x, type(self).__name__ + '.gather')
        host = _to_host(x)
        metas = self.mpi_comm.gather((host.shape, host.dtype.str), root=root)
        if self.rank != root:
            self.mpi_comm.Gatherv(host.reshape(-1).view(np.uint8), None, root=root)
            return None
        dtypes = {m[1] for m in metas}
        if len(dtypes) != 1:
            raise ValueError('{}.gather: arrays of different dtypes {}'.format(
                type(self).__name__, sorted(dtypes)))
        itemsize = np.dtype(metas[0][1]).itemsize
        counts = [int(np.prod(m[0], dtype=np.int64)) * itemsize for m in metas]
        displs = list(np.cumsum([0] + counts[:-1]))
        rbuf = np.empty(sum(counts), dtype=np.uint8)
        self.mpi_comm.Gatherv(host.reshape(-1).view(np.uint8),
                              [rbuf, counts, displs, _mpi().BYTE], root=root)
        ys = tuple(rbuf[d:d + c].view(metas[0][1]).reshape(m[0])
                   for d, c, m in zip(displs, counts, metas))
        return tuple(_like(y, x) for y in ys)

    def allgather(self, x):
        """Every process's array ``x``, as a tuple in rank order, on every process."""
        _check_array(x, type(self).__name__ + '.allgather')
        host = _to_host(x)
        metas = self.mpi_comm.allgather((host.shape, host.dtype.str))
        itemsize = host.dtype.itemsize
        counts = [int(np.prod(m[0], dtype=np.int64)) * itemsize for m in metas]
        displs = list(np.cumsum([0] + counts[:-1]))
        rbuf = np.empty(sum(counts), dtype=np.uint8)
        self.mpi_comm.Allgatherv(host.reshape(-1).view(np.uint8),
                                 [rbuf, counts, displs, _mpi().BYTE])
        return tuple(_like(rbuf[d:d + c].view(m[1]).reshape(m[0]), x)
                     for d, c, m in zip(displs, counts, metas))

    def allreduce(self, x):
        """The elementwise sum of ``x`` (same shape on every process)."""
        _check_array(x, type(self).__name__ + '.allreduce')
        host = np.array(_to_host(x), copy=True)
        self.mpi_comm.Allreduce(_mpi().IN_PLACE, host, op=_mpi().SUM)
        return _like(host, x)

    def scatter(self, xs, root=0):
        """``xs[i]`` (a tuple/list or an array split along axis 0, on ``root``) to rank i."""
        if self.rank == root:
            if xs is None or len(xs) != self.size:
                raise ValueError(
                    '{}.scatter: expected {} arrays on the root, got {}'.format(
                        type(self).__name__, self.size,
                        None if xs is None else len(xs)))
            hosts = [_to_host(a) for a in xs]
            metas = [(h.shape, h.dtype.str) for h in hosts]
            self.mpi_comm.scatter(metas, root=root)
            counts = [h.nbytes for h in hosts]
            displs = list(np.cumsum([0] + counts[:-1]))
            sbuf = np.concatenate([h.reshape(-1).view(np.uint8) for h in hosts]) \
                if hosts else np.empty(0, np.uint8)
            mine = metas[root]
            rbuf = np.empty(mine[0], dtype=mine[1])
            self.mpi_comm.Scatterv([sbuf, counts, displs, _mpi().BYTE],
                                   rbuf.reshape(-1).view(np.uint8), root=root)
            return _like(rbuf, xs[root])
        meta = self.mpi_comm.scatter(None, root=root)
        rbuf = np.empty(meta[0], dtype=meta[1])
        self.mpi_comm.Scatterv(None, rbuf.reshape(-1).view(np.uint8), root=root)
        return rbuf

    def alltoall(self, xs):
        """Send ``xs[i]`` to rank i; return the tuple of arrays received from each rank."""
        if len(xs) != self.size:
            raise ValueError('{}.alltoall: expected {} arrays, got {}'.format(
                type(self).__name__, self.size, len(xs)))
        hosts = [_to_host(a) for a in xs]
        metas = self.mpi_comm.alltoall([(h.shape, h.dtype.str) for h in hosts])
        scounts = [h.nbytes for h in hosts]
        sdispls = list(np.cumsum([0] + scounts[:-1]))
        rcounts = [int(np.prod(m[0], dtype=np.int64)) * np.dtype(m[1]).itemsize
                   for m in metas]
        rdispls = list(np.cumsum([0] + rcounts[:-1]))
        sbuf = np.concatenate([h.reshape(-1).view(np.uint8) for h in hosts])
        rbuf = np.empty(sum(rcounts), dtype=np.uint8)
        MPI = _mpi()
        self.mpi_comm.Alltoallv([sbuf, scounts, sdispls, MPI.BYTE],
                                [rbuf, rcounts, rdispls, MPI.BYTE])
        return tuple(_like(rbuf[d:d + c].view(m[1]).reshape(m[0]), xs[0])
                     for d, c, m in zip(rdispls, rcounts, metas))

    # -- models ---------------------------------------------------------------
    def bcast_data(self, model):
        """Copy every parameter (and persistent array) of ``model`` from rank 0."""
        for _, param in sorted(model.namedparams(), key=lambda kv: kv[0]):
            if param.array is None:
                continue
            host = np.array(_to_host(param.array), copy=True)
            self.mpi_comm.Bcast(host.reshape(-1).view(np.uint8), root=0)
            param.array[...] = _like(host, param.array)

    def finalize(self):
        """Nothing to release for MPI communicators (the MPI job owns ``mpi_comm``)."""
