"""snapshot and snapshot_object: save (and automatically resume) training state."""
import os
import re
import tempfile
import warnings

from kusari.serializers import npz
from kusari.serializers import SerializationError
from kusari.training import extension
from kusari.training.extensions import snapshot_writers


def _pattern_of(fmt):
    # 'snapshot_iter_{.updater.iteration}.npz' -> ^snapshot_iter_.+\.npz$
    parts = re.split(r'\{[^{}]*\}', fmt)
    return re.compile('^' + '.+'.join(re.escape(p) for p in parts) + '$')


def _find_snapshot_files(fmt, path):
    """Return ``[(mtime, filename), ...]`` of the files matching ``fmt``, oldest first.

    Directories, hidden files and temporary files of the writers are skipped.
    """
    pattern = _pattern_of(fmt)
    found = []
    for name in os.listdir(path):
        if not pattern.match(name) or name.startswith('.'):
            continue
        full = os.path.join(path, name)
        if not os.path.isfile(full):
            continue
        found.append((os.stat(full).st_mtime_ns / 1e9, name))
    # ties in mtime: the name with larger numbers is newer
    found.sort(key=lambda tn: (tn[0], _natural_key(tn[1])))
    return found


def _natural_key(name):
    return [(0, int(tok), '') if tok.isdigit() else (1, 0, tok)
            for tok in re.split(r'(\d+)', name) if tok]


def _find_latest_snapshot(fmt, path):
    """Return the newest file name matching ``fmt`` in ``path`` (or None)."""
    files = _find_snapshot_files(fmt, path)
    return files[-1][1] if files else None


def _find_stale_snapshots(fmt, path, n_retains):
    """Yield the names of the oldest files beyond the newest ``n_retains``."""
    files = _find_snapshot_files(fmt, path)
    num_remove = len(files) - n_retains
    if num_remove > 0:
        for _, filename in files[:num_remove]:
            yield filename


def _check_writable(outdir, who):
    # A snapshot that could never be written must fail before training, not at
    # the first snapshot hours later.  os.access is not trusted (root passes it),
    # so a file is actually created and removed.
    try:
        os.makedirs(outdir, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix='.kusari-write-check-', dir=outdir)
        os.close(fd)
        os.remove(probe)
    except OSError as e:
        raise PermissionError(
            '{}: cannot write snapshots to the directory {!r}: {}'.format(
                who, outdir, e)) from e


def snapshot(savefun=None, filename='snapshot_iter_{.updater.iteration}', *,
             target=None, condition=None, writer=None, snapshot_on_error=False,
             n_retains=-1, autoload=False):
    """Return a trainer extension that takes snapshots.

    Each call serializes ``target`` (the trainer by default: updater with models,
    optimizers and iterators, the stop trigger, every extension and trigger) and
    writes it as NPZ to ``trainer.out/filename`` atomically (a crash or kill never
    leaves a truncated file under the final name).

    Args:
        savefun (callable): ``savefun(path, obj)``;
            :func:`kusari.serializers.save_npz` by default.  Exclusive with
            ``writer``.
        filename (str or callable): Name of the file, formatted with the trainer
            (``'snapshot_iter_{.updater.iteration}'``), or ``f(trainer) -> str``.
        target: The object to save (the trainer when None).
        condition (callable): ``condition() -> bool``; only then is the snapshot
            taken.
        writer: A writer from
            :mod:`~kusari.training.extensions.snapshot_writers`
            (:class:`~kusari.training.extensions.snapshot_writers.SimpleWriter`
            by default).
        snapshot_on_error (bool): Also take a snapshot when training stops with an
            exception.
        n_retains (int): Keep only the newest ``n_retains`` snapshot files
            (all when ``-1``).
        autoload (bool): At the start of training, load the newest snapshot in
            ``trainer.out`` that matches ``filename`` and loads correctly; a
            truncated or corrupted newest file is skipped with a warning naming
            it and the previous one is tried.

    Returns:
        The snapshot extension (trigger ``(1, 'epoch')``, priority -100: it runs
        after the other extensions of the iteration).

    Raises:
        TypeError: both ``savefun`` and ``writer`` are given.
        PermissionError: (when training starts) the output directory cannot be
            written to.
    """
    if savefun is not None and writer is not None:
        raise TypeError('snapshot: savefun and writer arguments cannot be specified '
                        'together')
    if writer is None:
        writer = snapshot_writers.SimpleWriter(
            savefun=npz.save_npz if savefun is None else savefun)
    return _Snapshot(target=target, condition=condition, writer=writer,
                     filename=filename, snapshot_on_error=snapshot_on_error,
                     n_retains=n_retains, autoload=autoload)


def snapshot_object(target, filename, savefun=None, **kwargs):
    """Return a trainer extension that takes snapshots of ``target``.

    Same as :func:`snapshot` with ``target`` given (e.g. the model only).

    Args:
        target: The object to serialize.
        filename (str or callable): Name of the file (formatted with the trainer,
            e.g. ``'model_iter_{.updater.iteration}'``).
        savefun (callable): Function that writes the file.
        **kwargs: The keyword arguments of :func:`snapshot`.
    """
    return snapshot(target=target, filename=filename, savefun=savefun, **kwargs)


def _always_true():
    return True


class _Snapshot(extension.Extension):
    """The extension :func:`snapshot` returns."""

    trigger = 1, 'epoch'
    # after every other extension (Chainer's -100): the snapshot then holds the
    # state of this iteration's LogReport entry, plots, ...
    priority = -100

    def __init__(self, target=None, condition=None, writer=None,
                 filename='snapshot_iter_{.updater.iteration}',
                 snapshot_on_error=False, n_retains=-1, autoload=False):
        self._target = target
        self.filename = filename
        self.condition = _always_true if condition is None else condition
        self.writer = snapshot_writers.SimpleWriter() if writer is None else writer
        self._snapshot_on_error = snapshot_on_error
        self.n_retains = n_retains
        self.autoload = autoload

    def initialize(self, trainer):
        """Check the output directory, autoload, and set up the cleanup of old files."""
        target = trainer if self._target is None else self._target
        outdir = trainer.out
        _check_writable(outdir, 'snapshot')
        if self.autoload:
            self._autoload(target, outdir)
        if (hasattr(self.writer, '_add_cleanup_hook') and self.n_retains > 0
                and isinstance(self.filename, str)):
            def _cleanup():
                for name in _find_stale_snapshots(self.filename, outdir,
                                                  self.n_retains):
                    try:
                        os.remove(os.path.join(outdir, name))
                    except FileNotFoundError:
                        pass
            self.writer._add_cleanup_hook(_cleanup)

    def _autoload(self, target, outdir):
        if not isinstance(self.filename, str):
            warnings.warn('snapshot: autoload needs a string filename template; '
                          'nothing was loaded')
            return None
        files = _find_snapshot_files(self.filename, outdir)
        first_error = None
        for _, name in reversed(files):
            path = os.path.join(outdir, name)
            try:
                # all or nothing: a failed load leaves the target untouched
                npz.load_npz(path, target)
            except (SerializationError, OSError) as e:
                warnings.warn('snapshot: could not load the snapshot {} ({}); trying '
                              'the previous one'.format(path, e))
                if first_error is None:
                    first_error = e
                continue
            return path
        if first_error is not None:
            raise first_error
        return None

    def on_error(self, trainer, e, t):
        """Take a final snapshot when ``snapshot_on_error`` is set."""
        if self._snapshot_on_error:
            self._make_snapshot(trainer)

    def __call__(self, trainer):
        """Take a snapshot if ``condition()`` holds."""
        if self.condition():
            self._make_snapshot(trainer)

    def _make_snapshot(self, trainer):
        target = trainer if self._target is None else self._target
        serialized_target = npz.serialize(target)
        filename = self.filename
        if callable(filename):
            filename = filename(trainer)
        else:
            filename = filename.format(trainer)
        self.writer(filename, trainer.out, serialized_target)

    def finalize(self):
        """Wait for the writer."""
        if hasattr(self.writer, 'finalize'):
            self.writer.finalize()
