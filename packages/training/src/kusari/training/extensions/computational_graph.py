"""DumpGraph / dump_graph: write the computational graph of a variable as DOT."""
import os

import kusari
from kusari import computational_graph
from kusari import configuration
from kusari.training import _atomic
from kusari.training import extension


class DumpGraph(extension.Extension):
    """Trainer extension to dump the computational graph of a reported variable.

    At the first iteration it takes ``trainer.observation[root_name]`` (e.g.
    ``'main/loss'``, which must be a :class:`~kusari.Variable` with its graph:
    the extension turns ``kusari.config.keep_graph_on_report`` on during that
    iteration), builds the graph with
    :func:`kusari.computational_graph.build_computational_graph` and writes it in
    DOT format to ``trainer.out/filename`` (atomically).  It runs once.

    Args:
        root_name (str): Observation key of the root variable.
        filename (str): Output file name (``'cg.dot'``).
        variable_style (dict): DOT attributes of variable nodes.
        function_style (dict): DOT attributes of function nodes.

    Raises:
        RuntimeError: (when called) the observation has no Variable under
            ``root_name``.
    """

    default_name = 'dump_graph'
    priority = 0

    def __init__(self, root_name, filename=None, variable_style=None,
                 function_style=None, **kwargs):
        out_name = kwargs.pop('out_name', 'cg.dot')
        if kwargs:
            raise TypeError('DumpGraph: unexpected keyword argument(s) {}'.format(
                ', '.join(sorted(kwargs))))
        self._root_name = root_name
        self._filename = out_name if filename is None else filename
        self._variable_style = variable_style
        self._function_style = function_style
        self._original_flag = None
        self._flag_called = False

    def initialize(self, _):
        """Turn ``keep_graph_on_report`` on until the graph is dumped."""
        if not self._flag_called:
            self._original_flag = getattr(configuration.config,
                                          'keep_graph_on_report', False)
            configuration.config.keep_graph_on_report = True

    def trigger(self, _):
        """Fire once, at the first iteration."""
        if self._flag_called:
            return False
        self._flag_called = True
        return True

    def __call__(self, trainer):
        """Dump the graph and restore the flag."""
        try:
            var = trainer.observation.get(self._root_name)
            if not isinstance(var, kusari.Variable):
                raise RuntimeError(
                    'DumpGraph: no Variable with the name {!r} in the observation '
                    '(keys: {})'.format(self._root_name,
                                        sorted(trainer.observation)))
            kwargs = {}
            if self._variable_style is not None:
                kwargs['variable_style'] = self._variable_style
            if self._function_style is not None:
                kwargs['function_style'] = self._function_style
            cg = computational_graph.build_computational_graph([var], **kwargs)
            out = trainer.out
            os.makedirs(out, exist_ok=True)
            with _atomic.open_atomic(os.path.join(out, self._filename), 'w') as f:
                f.write(cg.dump())
        finally:
            configuration.config.keep_graph_on_report = self._original_flag

    def finalize(self):
        """Restore ``keep_graph_on_report`` if the graph was never dumped."""
        if self._original_flag is not None:
            configuration.config.keep_graph_on_report = self._original_flag


def dump_graph(root_name, filename=None, variable_style=None, function_style=None,
               **kwargs):
    """Return a :class:`DumpGraph` extension (Chainer's function form)."""
    return DumpGraph(root_name, filename=filename, variable_style=variable_style,
                     function_style=function_style, **kwargs)
