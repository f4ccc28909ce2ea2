"""A small process pool for MultiprocessIterator, with one private pipe per worker.

``multiprocessing.Pool`` shares locked queues between all workers; terminating a
worker that holds one of those locks (or a worker killed by the OOM killer)
deadlocks the pool, and a lost task leaves the caller waiting forever.  Here
every worker has its own duplex pipe and nothing is shared but the read-only
dataset and the shared memory slots, so workers can always be terminated, and a
worker that dies while it owes results is reported instead of awaited.
"""
import collections
import os
import pickle
import signal
import sys
import time
from multiprocessing import connection


def _set_parent_death_signal():
    """Linux: a worker gets SIGTERM when its parent dies (even by SIGKILL)."""
    if not sys.platform.startswith('linux'):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except Exception:  # pragma: no cover - best effort only
        pass


def _worker_main(conn, fetch, init_args, parent_pid, other_conns):
    _set_parent_death_signal()
    if os.getppid() != parent_pid:      # the parent died before prctl took effect
        os._exit(1)
    # Ctrl-C goes to the whole process group: the parent handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for c in other_conns:               # the parent's pipe ends, inherited by fork
        try:
            c.close()
        except OSError:
            pass
    state = init_args
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            break
        if msg is None:
            break
        key, tasks = msg
        start = time.perf_counter()
        try:
            out = [fetch(state, task) for task in tasks]
            conn.send((key, True, out, time.perf_counter() - start))
        except BaseException as e:  # noqa: B902 - report everything to the parent
            elapsed = time.perf_counter() - start
            try:
                conn.send((key, False, e, elapsed))
            except Exception:
                conn.send((key, False, RuntimeError(
                    'an exception that cannot be pickled: {!r}'.format(e)), elapsed))
    conn.close()


class WorkerDied(RuntimeError):
    """A worker process ended while results were still expected from it."""


class _Worker:
    __slots__ = ('process', 'conn', 'pending', 'n_tasks', 'retiring')

    def __init__(self, process, conn):
        self.process = process
        self.conn = conn
        self.pending = collections.deque()   # keys of the chunks sent, in order
        self.n_tasks = 0
        self.retiring = False


class WorkerPool:
    """``n`` worker processes running ``fetch(init_args, task)`` on chunks of tasks.

    Results are keyed: :meth:`submit` sends a chunk under a key, :meth:`wait`
    returns ``{key: (ok, result, seconds the worker spent)}`` for chunks that
    completed.
    """

    def __init__(self, ctx, n, fetch, init_args, maxtasksperchild=None):
        self._ctx = ctx
        self._fetch = fetch
        self._init_args = init_args
        self._maxtasks = maxtasksperchild
        self._workers = []
        self._next = 0
        for _ in range(n):
            self._workers.append(self._spawn())

    def _spawn(self):
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        # A forked child inherits the parent's pipe ends and closes them; a
        # spawned one starts without them.
        forked = self._ctx.get_start_method() == 'fork'
        others = [w.conn for w in self._workers] + [parent_conn] if forked else []
        process = self._ctx.Process(
            target=_worker_main,
            args=(child_conn, self._fetch, self._init_args, os.getpid(), others),
            daemon=True)
        process.start()
        child_conn.close()
        return _Worker(process, parent_conn)

    @property
    def pids(self):
        return [w.process.pid for w in self._workers if w.process.exitcode is None]

    def submit(self, key, tasks):
        """Send one chunk of tasks to the next worker (round robin)."""
        for _ in range(len(self._workers)):
            worker = self._workers[self._next % len(self._workers)]
            self._next += 1
            if worker.retiring:
                continue
            break
        else:  # pragma: no cover - every worker retiring: replace one now
            worker = self._replace(self._workers.index(worker))
        try:
            worker.conn.send((key, tasks))
        except OSError:
            worker.process.join(1)
            raise WorkerDied('worker process {} died (exit code {})'.format(
                worker.process.pid, worker.process.exitcode)) from None
        worker.pending.append(key)
        worker.n_tasks += 1
        if self._maxtasks is not None and worker.n_tasks >= self._maxtasks:
            # It finishes what it got, then exits; a fresh worker takes its place.
            worker.conn.send(None)
            worker.retiring = True
            index = self._workers.index(worker)
            self._workers.append(worker)
            self._workers[index] = self._spawn()

    def _replace(self, index):
        self._workers[index] = self._spawn()
        return self._workers[index]

    def wait(self, timeout):
        """Receive what is ready within ``timeout`` seconds: ``{key: (ok, value, s)}``.

        Raises:
            WorkerDied: A worker ended while it still owed results.

        """
        conns = {w.conn: w for w in self._workers}
        sentinels = {w.process.sentinel: w for w in self._workers}
        ready = connection.wait(list(conns) + list(sentinels), timeout)
        out = {}
        for obj in ready:
            worker = conns.get(obj)
            if worker is not None:
                self._drain(worker, out)
        for obj in ready:
            worker = sentinels.get(obj)
            if worker is None:
                continue
            self._drain(worker, out)     # results sent just before exiting
            worker.process.join()
            if worker.pending:
                raise WorkerDied(
                    'worker process {} died (exit code {}) while loading a batch'
                    .format(worker.process.pid, worker.process.exitcode))
            worker.conn.close()
            self._workers.remove(worker)
            if not worker.retiring:
                self._workers.append(self._spawn())
        return out

    @staticmethod
    def _drain(worker, out):
        while worker.pending:
            try:
                if not worker.conn.poll():
                    return
                key, ok, value, elapsed = worker.conn.recv()
            except (EOFError, OSError):
                return
            except pickle.UnpicklingError as e:
                key, ok, value, elapsed = worker.pending[0], False, e, 0.
            if worker.pending and worker.pending[0] == key:
                worker.pending.popleft()
            else:
                try:
                    worker.pending.remove(key)
                except ValueError:
                    pass
            out[key] = (ok, value, elapsed)

    def terminate(self, timeout=10):
        """Stop every worker (SIGTERM, then SIGKILL) and wait until they are gone."""
        workers, self._workers = self._workers, []
        for w in workers:
            if w.process.exitcode is None:
                w.process.terminate()
        for w in workers:
            w.process.join(timeout)
            if w.process.exitcode is None:  # pragma: no cover - ignores SIGTERM
                w.process.kill()
                w.process.join()
            w.conn.close()
