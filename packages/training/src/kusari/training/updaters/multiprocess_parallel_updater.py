"""MultiprocessParallelUpdater: data-parallel training, one process per GPU (NCCL)."""
import multiprocessing
import warnings

import numpy

from kusari import backend
from kusari import dataset
from kusari import reporter
from kusari.training import _convert
from kusari.training.updaters import standard_updater


def _nccl():
    try:
        from cupy.cuda import nccl
    except ImportError:
        return None
    return nccl


def _flatten(arrays, xp):
    return xp.concatenate([a.ravel() for a in arrays]) if arrays else xp.zeros(0)


def _unflatten_into(flat, arrays):
    offset = 0
    for a in arrays:
        n = a.size
        a[...] = flat[offset:offset + n].reshape(a.shape)
        offset += n


def _grads_and_params(link):
    params = [p for _, p in sorted(link.namedparams(), key=lambda kv: kv[0])]
    return params


def _gather(link, attr, who):
    if link.xp is numpy:
        # as in Chainer: these helpers exist for the GPU (NCCL) path only
        raise RuntimeError('{} works only on GPU (the link is on the CPU)'.format(who))
    params = _grads_and_params(link)
    arrays = [getattr(p, attr) for p in params]
    if any(a is None for a in arrays):
        raise RuntimeError('{}: a parameter has no {} yet'.format(who, attr))
    return _flatten(arrays, link.xp)


def _scatter(link, flat, attr, who):
    arrays = [getattr(p, attr) for p in _grads_and_params(link)]
    total = sum(a.size for a in arrays)
    if flat.size != total:
        raise ValueError('{}: the flat array has {} elements, the link {}'.format(
            who, flat.size, total))
    _unflatten_into(flat, arrays)


def gather_grads(link):
    """The gradients of ``link``'s parameters as one flat GPU array (Chainer's helper).

    Parameters are taken in the order of their sorted names.

    Raises:
        RuntimeError: ``link`` is on the CPU (as in Chainer).
    """
    return _gather(link, 'grad', 'gather_grads')


def gather_params(link):
    """The parameters of ``link`` as one flat GPU array (see :func:`gather_grads`)."""
    return _gather(link, 'array', 'gather_params')


def scatter_grads(link, array):
    """Copy a flat array made by :func:`gather_grads` into ``link``'s gradients."""
    _scatter(link, array, 'grad', 'scatter_grads')


def scatter_params(link, array):
    """Copy a flat array made by :func:`gather_params` into ``link``'s parameters."""
    _scatter(link, array, 'array', 'scatter_params')


class _Worker(multiprocessing.Process):

    def __init__(self, proc_id, pipe, master):
        super().__init__()
        self.proc_id = proc_id
        self.pipe = pipe
        self.converter = master.converter
        self.model = master._master
        self.device = master._devices[proc_id]
        self.iterator = master._mpu_iterators[proc_id]
        self.n_devices = len(master._devices)
        self.loss_func = master.loss_func

    def run(self):
        import cupy
        nccl = _nccl()
        dev = cupy.cuda.Device(self.device)
        dev.use()
        self.model.to_device(backend.get_device(self.device))
        nccl_id = self.pipe.recv()
        comm = nccl.NcclCommunicator(self.n_devices, nccl_id, self.proc_id)
        stream = cupy.cuda.Stream.null.ptr
        params = _grads_and_params(self.model)
        # start from the master's parameters
        flat = _flatten([p.array for p in params], cupy)
        comm.bcast(flat.data.ptr, flat.size, nccl.NCCL_FLOAT32, 0, stream)
        _unflatten_into(flat, [p.array for p in params])
        while True:
            job = self.pipe.recv()
            if job == 'finalize':
                dev.synchronize()
                return
            batch = self.iterator.next()
            in_arrays = _convert.check_converted(
                _convert.call_converter(self.converter, batch,
                                        backend.get_device(self.device)),
                'MultiprocessParallelUpdater')
            observation = {}
            with reporter.report_scope(observation):
                loss = _convert.call_with(self.loss_func or self.model, in_arrays)
            self.model.cleargrads()
            loss.backward()
            grads = _flatten([p.grad if p.grad is not None else cupy.zeros_like(
                p.array) for p in params], cupy).astype(numpy.float32)
            comm.reduce(grads.data.ptr, grads.data.ptr, grads.size,
                        nccl.NCCL_FLOAT32, nccl.NCCL_SUM, 0, stream)
            flat = _flatten([p.array for p in params], cupy).astype(numpy.float32)
            comm.bcast(flat.data.ptr, flat.size, nccl.NCCL_FLOAT32, 0, stream)
            _unflatten_into(flat, [p.array for p in params])


class MultiprocessParallelUpdater(standard_updater.StandardUpdater):
    """Data-parallel updater with one process per GPU, gradients summed with NCCL.

    Every device gets its own iterator (one per device: ``iterators[i]`` feeds
    ``devices[i]``; split the dataset, e.g. with ``split_dataset_n_random``).
    Device 0 (``devices['main']`` or the first) runs in this process and updates
    the parameters; the other devices run in worker processes, and at every
    iteration the gradients are reduced to device 0 and the new parameters
    broadcast back, over NCCL (``cupy.cuda.nccl``).

    Args:
        iterators (list): One iterator per device.
        optimizer: Optimizer set up with the model (a single one).
        converter: Batch converter.
        devices (list or dict): GPU ids; with a dict, ``'main'`` is the master.
        auto_new_epoch (bool): Call ``optimizer.new_epoch()`` at epoch ends.

    Raises:
        RuntimeError: CuPy with NCCL is not available.
        ValueError: the number of iterators differs from the number of devices.
    """

    def __init__(self, iterators, optimizer, converter=dataset.concat_examples,
                 devices=None, auto_new_epoch=True):
        if not MultiprocessParallelUpdater.available():
            raise RuntimeError('MultiprocessParallelUpdater: NCCL is not enabled; '
                               'it needs CuPy with NCCL (cupy.cuda.nccl) and GPUs')
        if isinstance(devices, dict):
            devices = dict(devices)
            main = devices.pop('main')
            devices = [main] + list(devices.values())
        if devices is None or len(devices) != len(iterators):
            raise ValueError('MultiprocessParallelUpdater: the number of iterators '
                             '({}) must equal the number of devices ({})'.format(
                                 len(iterators), None if devices is None
                                 else len(devices)))
        devices = [int(d) for d in devices]
        for it in iterators:
            if getattr(it, 'is_new_epoch', None) is None:
                warnings.warn('MultiprocessParallelUpdater: an iterator without '
                              'epoch information')
        super().__init__(iterator=iterators[0], optimizer=optimizer,
                         converter=converter, auto_new_epoch=auto_new_epoch)
        self._mpu_iterators = iterators
        self._devices = devices
        self._master = optimizer.target
        self._initialized = False
        self._pipes = []
        self._workers = []
        self.comm = None

    @staticmethod
    def available():
        """True if CuPy's NCCL bindings can be imported."""
        return _nccl() is not None

    def setup_workers(self):
        """Start the worker processes and the NCCL communicator (once)."""
        if self._initialized:
            return
        self._initialized = True
        import cupy
        nccl = _nccl()
        ctx = multiprocessing.get_context('spawn')
        self._master.cleargrads()
        for i in range(1, len(self._devices)):
            pipe, worker_end = ctx.Pipe()
            worker = _Worker(i, worker_end, self)
            worker.start()
            self._workers.append(worker)
            self._pipes.append(pipe)
        with cupy.cuda.Device(self._devices[0]):
            self._master.to_device(backend.get_device(self._devices[0]))
            nccl_id = nccl.get_unique_id()
            for pipe in self._pipes:
                pipe.send(nccl_id)
            self.comm = nccl.NcclCommunicator(len(self._devices), nccl_id, 0)
            params = _grads_and_params(self._master)
            flat = _flatten([p.array for p in params], cupy)
            self.comm.bcast(flat.data.ptr, flat.size, nccl.NCCL_FLOAT32, 0,
                            cupy.cuda.Stream.null.ptr)

    def update_core(self):
        """One synchronous data-parallel step over all devices."""
        import cupy
        nccl = _nccl()
        self.setup_workers()
        for pipe in self._pipes:
            pipe.send('update')
        with cupy.cuda.Device(self._devices[0]):
            optimizer = self.get_optimizer('main')
            iterator = self.get_iterator('main')
            batch = iterator.next()
            in_arrays = _convert.check_converted(
                _convert.call_converter(self.converter, batch,
                                        backend.get_device(self._devices[0])),
                type(self).__name__)
            loss = _convert.call_with(self.loss_func or self._master, in_arrays)
            self._master.cleargrads()
            loss.backward()
            params = _grads_and_params(self._master)
            stream = cupy.cuda.Stream.null.ptr
            grads = _flatten([p.grad if p.grad is not None else cupy.zeros_like(
                p.array) for p in params], cupy).astype(numpy.float32)
            self.comm.reduce(grads.data.ptr, grads.data.ptr, grads.size,
                             nccl.NCCL_FLOAT32, nccl.NCCL_SUM, 0, stream)
            grads /= len(self._devices)
            for p in params:
                if p.grad is None:
                    p.grad = cupy.zeros_like(p.array)
            _unflatten_into(grads, [p.grad for p in params])
            optimizer.update()
            flat = _flatten([p.array for p in params], cupy).astype(numpy.float32)
            self.comm.bcast(flat.data.ptr, flat.size, nccl.NCCL_FLOAT32, 0, stream)
            if self.auto_new_epoch and iterator.is_new_epoch:
                optimizer.new_epoch(auto=True)

    def finalize(self):
        """Stop the workers."""
        for pipe in self._pipes:
            pipe.send('finalize')
        for worker in self._workers:
            worker.join()
        self._pipes = []
        self._workers = []
        super().finalize()
