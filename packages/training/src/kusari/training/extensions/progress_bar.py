"""ProgressBar: show the progress of training (tqdm on a terminal, lines otherwise)."""
import datetime
import sys
import time

from kusari.training import extension


def _isatty(out):
    isatty = getattr(out, 'isatty', None)
    try:
        return bool(isatty()) if isatty is not None else False
    except Exception:
        return False


def _tqdm():
    try:
        import tqdm
    except ImportError:
        return None
    return tqdm.tqdm


class ProgressBar(extension.Extension):
    """Trainer extension to print a progress bar and the recent training rate.

    Every ``update_interval`` iterations it shows the iteration, the epoch, the
    progress in the training length, the rate (iterations per second) and the
    estimated time to finish.  On a terminal with `tqdm
    <https://tqdm.github.io>`_ installed (``pip install kusari-training[progress]``)
    it is drawn by tqdm; otherwise (a file, a pipe, a CI log) one plain line is
    printed per update, e.g.::

        iteration 200/1000 (20.00%), epoch 2, 151.3 iters/sec, ETA 0:00:05

    Args:
        training_length (tuple): ``(length, unit)``; taken from the trainer's
            stop trigger (``get_training_length()``) when ``None``.
        update_interval (int): Iterations between updates of the display.
        bar_length (int): Width of the bar in characters (tqdm's ``ncols`` is
            derived from it).
        out: Output stream (``sys.stdout``).
    """

    def __init__(self, training_length=None, update_interval=100, bar_length=50,
                 out=sys.stdout):
        if int(update_interval) <= 0:
            raise ValueError('ProgressBar: update_interval must be positive, but got '
                             '{!r}'.format(update_interval))
        self._training_length = training_length
        self._update_interval = int(update_interval)
        self._bar_length = bar_length
        self._out = out
        self._recent = []      # (time, iteration, epoch_detail) of recent updates
        self._bar = None
        self._use_tqdm = None

    def initialize(self, trainer):
        """Remember where training starts (the first rate is measured from it)."""
        updater = trainer.updater
        self._recent = [(time.perf_counter(), updater.iteration,
                         updater.epoch_detail)]

    def __call__(self, trainer):
        """Update the display every ``update_interval`` iterations."""
        iteration = trainer.updater.iteration
        if iteration % self._update_interval != 0:
            return
        if self._training_length is None:
            get_length = getattr(trainer.stop_trigger, 'get_training_length', None)
            if get_length is None:
                raise TypeError('ProgressBar: cannot retrieve the training length from '
                                '{}; give training_length'.format(
                                    type(trainer.stop_trigger).__name__))
            self._training_length = get_length()
        length, unit = self._training_length
        epoch_detail = trainer.updater.epoch_detail
        now = time.perf_counter()
        recent = self._recent
        recent.append((now, iteration, epoch_detail))
        if len(recent) > 10:
            del recent[0]
        t0, it0, ep0 = recent[0]
        rate = (iteration - it0) / (now - t0) if now > t0 else 0.0
        done = iteration if unit == 'iteration' else epoch_detail
        if self._use_tqdm is None:
            self._use_tqdm = _isatty(self._out) and _tqdm() is not None
        if self._use_tqdm:
            self._show_tqdm(done, length, unit, iteration, trainer.updater.epoch, rate)
        else:
            self._show_line(done, length, unit, iteration, trainer.updater.epoch,
                            epoch_detail, rate, recent)

    def _eta(self, done, length, unit, rate, recent):
        if unit == 'iteration':
            if rate <= 0:
                return None
            return (length - done) / rate
        t0, _, ep0 = recent[0]
        now, _, ep = recent[-1]
        if ep <= ep0 or now <= t0:
            return None
        return (length - done) / ((ep - ep0) / (now - t0))

    def _show_line(self, done, length, unit, iteration, epoch, epoch_detail, rate,
                   recent):
        eta = self._eta(done, length, unit, rate, recent)
        eta_s = str(datetime.timedelta(seconds=int(eta))) if eta is not None else '?'
        if unit == 'iteration':
            head = 'iteration {}/{} ({:.2%}), epoch {}'.format(
                iteration, length, done / length, epoch)
        else:
            head = 'iteration {}, epoch {:.2f}/{} ({:.2%})'.format(
                iteration, epoch_detail, length, done / length)
        self._out.write('{}, {:.4g} iters/sec, ETA {}\n'.format(head, rate, eta_s))
        if hasattr(self._out, 'flush'):
            self._out.flush()

    def _show_tqdm(self, done, length, unit, iteration, epoch, rate):
        if self._bar is None:
            self._bar = _tqdm()(total=length, unit=unit, file=self._out,
                                dynamic_ncols=True, leave=True,
                                bar_format='{l_bar}{bar}| {n:.4g}/{total_fmt} '
                                '[{elapsed}<{remaining}{postfix}]')
        self._bar.n = done
        self._bar.set_postfix_str('iter {}, epoch {}, {:.4g} iters/sec'.format(
            iteration, epoch, rate), refresh=False)
        self._bar.refresh()

    def finalize(self):
        """Close the bar (tqdm) at the end of training."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
