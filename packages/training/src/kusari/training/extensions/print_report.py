"""PrintReport: print the entries of a LogReport as a table."""
import sys

from kusari.training import extension
from kusari.training.extensions import log_report as log_report_module


def _isatty(out):
    isatty = getattr(out, 'isatty', None)
    try:
        return bool(isatty()) if isatty is not None else False
    except Exception:
        return False


class PrintReport(extension.Extension):
    """Trainer extension to print the accumulated results.

    It prints a header line with ``entries`` at the first call, then one row per
    new entry of the :class:`LogReport`.  An entry that was never reported is
    printed as blank space, as in Chainer.

    Args:
        entries (list of str): The keys to print, in order.
        log_report (str or LogReport): The LogReport (or the name under which it
            is registered in the trainer; ``'LogReport'``).
        out: Output stream (``sys.stdout``).

    >>> import io
    >>> from kusari.training import extensions
    >>> extensions.PrintReport(['epoch', 'main/loss'], out=io.StringIO())._header
    'epoch       main/loss \\n'
    """

    def __init__(self, entries, log_report='LogReport', out=sys.stdout):
        self._entries = list(entries)
        self._log_report = log_report
        self._out = out
        self._log_len = 0
        widths = [max(10, len(s)) for s in self._entries]
        self._header = '  '.join(
            '{:%d}' % w for w in widths).format(*self._entries) + '\n'
        self._templates = [(entry, '{:<%dg}  ' % w, ' ' * (w + 2))
                           for entry, w in zip(self._entries, widths)]

    def __call__(self, trainer):
        """Print the rows of the log entries added since the previous call."""
        out = self._out
        if self._header:
            out.write(self._header)
            self._header = None
        log_report = self._log_report
        if isinstance(log_report, str):
            log_report = trainer.get_extension(log_report)
        elif isinstance(log_report, log_report_module.LogReport):
            log_report(trainer)
        else:
            raise TypeError('PrintReport: log_report must be a LogReport or the name '
                            'of one, but got {}'.format(type(log_report).__name__))
        log = log_report.log
        log_len = self._log_len
        if len(log) <= log_len:       # the common case: nothing new to print
            return
        # '\033[J' clears what a progress bar drew below the cursor; only on a
        # terminal (a log file or a CI log gets plain lines)
        clear = _isatty(out)
        while len(log) > log_len:
            if clear:
                out.write('\033[J')
            self._print(log[log_len])
            log_len += 1
        self._log_len = log_len

    def serialize(self, serializer):
        """Save or load the given LogReport's state (when it is an object)."""
        log_report = self._log_report
        if isinstance(log_report, log_report_module.LogReport):
            log_report.serialize(serializer['_log_report'])

    def _print(self, observation):
        out = self._out
        for entry, template, empty in self._templates:
            if entry in observation:
                value = observation[entry]
                try:
                    out.write(template.format(value))
                except (TypeError, ValueError):    # not a number: print as text
                    out.write(template.replace('g', '').format(str(value)))
            else:
                out.write(empty)
        out.write('\n')
        if hasattr(out, 'flush'):
            out.flush()
