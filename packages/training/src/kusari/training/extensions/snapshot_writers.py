"""Snapshot writers: how :func:`~kusari.training.extensions.snapshot` writes files.

A writer is called as ``writer(filename, outdir, target)`` where ``target`` is the
already serialized state (a dict of arrays).  Every writer here writes into a
temporary directory ``tmp<filename>*`` inside ``outdir`` and renames the finished
file into place with :func:`os.replace`, so a crash or a kill never leaves a
truncated file under the final name.
"""
import multiprocessing
import os
import queue
import shutil
import tempfile
import threading

from kusari.serializers import npz


class Writer:
    """Base class of snapshot writers.

    Args:
        savefun (callable): ``savefun(path, target)`` writes one file
            (:func:`kusari.serializers.save_npz` by default).
        **kwds: Extra keyword arguments of ``savefun``.
    """

    def __init__(self, savefun=npz.save_npz, **kwds):
        self._savefun = savefun
        self._kwds = kwds
        self._post_save_hooks = []

    def __call__(self, filename, outdir, target):
        """Write ``target`` to ``outdir/filename``."""
        raise NotImplementedError

    def save(self, filename, outdir, target, savefun, **kwds):
        """Write through a temporary directory, then rename into place; run hooks."""
        prefix = 'tmp' + filename
        tmpdir = tempfile.mkdtemp(prefix=prefix, dir=outdir)
        try:
            tmppath = os.path.join(tmpdir, filename)
            savefun(tmppath, target, **kwds)
            os.replace(tmppath, os.path.join(outdir, filename))
        finally:
            shutil.rmtree(tmpdir, ignore_errors=True)
        for hook in self._post_save_hooks:
            hook()

    def _add_cleanup_hook(self, hook):
        # run after every successful save (removal of stale snapshots)
        self._post_save_hooks.append(hook)

    def finalize(self):
        """Wait for pending writes (nothing for synchronous writers)."""
        pass


class SimpleWriter(Writer):
    """Writer that saves synchronously in the training thread.

    >>> import tempfile, numpy, os
    >>> from kusari.training.extensions import snapshot_writers
    >>> d = tempfile.mkdtemp()
    >>> snapshot_writers.SimpleWriter()('a.npz', d, {'x': numpy.arange(3)})
    >>> os.listdir(d)
    ['a.npz']
    """

    def __call__(self, filename, outdir, target):
        """Write ``target`` to ``outdir/filename`` now."""
        self.save(filename, outdir, target, self._savefun, **self._kwds)


class StandardWriter(Writer):
    """Writer that saves in a worker (one at a time); the base of the others.

    A new write first waits for the previous one to finish.
    """

    def __init__(self, savefun=npz.save_npz, **kwds):
        super().__init__(savefun=savefun, **kwds)
        self._worker = None
        self._started = False
        self._error = None

    def __call__(self, filename, outdir, target):
        """Start writing ``target`` to ``outdir/filename`` in a worker."""
        self.finalize()
        self._worker = self.create_worker(filename, outdir, target, **self._kwds)
        self._worker.start()
        self._started = True

    def create_worker(self, filename, outdir, target, **kwds):
        """Return a not yet started worker (thread or process) that saves."""
        raise NotImplementedError

    def finalize(self):
        """Wait for the running write to finish."""
        if self._started:
            self._worker.join()
            self._started = False


class ThreadWriter(StandardWriter):
    """Writer that saves in a new thread per snapshot."""

    def create_worker(self, filename, outdir, target, **kwds):
        """Return a thread that saves ``target``."""
        return threading.Thread(target=self.save,
                                args=(filename, outdir, target, self._savefun),
                                kwargs=kwds)


class _ForkProcess(multiprocessing.Process):
    # A multiprocessing.Process (as Chainer's ProcessWriter returns, and code
    # checks) that always forks: the target to save need not be picklable.
    _start_method = 'fork'

    @staticmethod
    def _Popen(process_obj):
        return multiprocessing.get_context('fork').Process._Popen(process_obj)


class ProcessWriter(StandardWriter):
    """Writer that saves in a new process per snapshot (fork start method)."""

    def create_worker(self, filename, outdir, target, **kwds):
        """Return a process that saves ``target``."""
        return _ForkProcess(target=self.save,
                            args=(filename, outdir, target, self._savefun),
                            kwargs=kwds)


class QueueWriter(Writer):
    """Writer that hands snapshots to one long-lived worker through a queue.

    Args:
        savefun (callable): Function that writes one file.
        task_queue: The queue (a new one from :meth:`create_queue` if None).
    """

    def __init__(self, savefun=npz.save_npz, task_queue=None):
        super().__init__(savefun=savefun)
        self._queue = task_queue if task_queue is not None else self.create_queue()
        self._consumer = self.create_consumer(self._queue)
        self._consumer.start()
        self._started = True

    def __call__(self, filename, outdir, target):
        """Queue ``target`` to be written to ``outdir/filename``."""
        self._queue.put([self.save, filename, outdir, target, self._savefun])

    def create_queue(self):
        """Return the task queue."""
        raise NotImplementedError

    def create_consumer(self, q):
        """Return the worker that consumes the queue."""
        raise NotImplementedError

    def consume(self, q):
        """Run the queued saves until ``None`` is received."""
        while True:
            task = q.get()
            if task is None:
                q.task_done()
                return
            # (indexed, not unpacked: a task is any sequence of these five)
            task[0](task[1], task[2], task[3], task[4])
            q.task_done()

    def finalize(self):
        """Stop the worker after the queued saves."""
        if self._started:
            self._queue.put(None)
            self._queue.join()
            self._consumer.join()
            self._started = False


class ThreadQueueWriter(QueueWriter):
    """Queue writer with a worker thread."""

    def create_queue(self):
        """A :class:`queue.Queue`."""
        return queue.Queue()

    def create_consumer(self, q):
        """A daemon thread running :meth:`consume`."""
        return threading.Thread(target=self.consume, args=(q,), daemon=True)


class ProcessQueueWriter(QueueWriter):
    """Queue writer with a worker process (fork start method)."""

    def create_queue(self):
        """A :class:`multiprocessing.JoinableQueue`."""
        import multiprocessing
        return multiprocessing.get_context('fork').JoinableQueue()

    def create_consumer(self, q):
        """A daemon process running :meth:`consume`."""
        import multiprocessing
        return multiprocessing.get_context('fork').Process(
            target=self.consume, args=(q,), daemon=True)
