"""unchain_variables: release the computational graphs kept in the observation."""
from kusari import configuration
import kusari
from kusari.training import extension


class unchain_variables(extension.Extension):   # noqa: N801 (Chainer's name)
    """Trainer extension to unchain every computational graph in the observation.

    When ``kusari.config.keep_graph_on_report`` is on, reported Variables keep
    their graphs; this extension (run last, priority 0) unchains them after all
    other extensions ran, releasing the memory.  It fires at the iterations where
    the flag was on.
    """

    priority = 0

    def __init__(self):
        self._prev_flag = None

    def initialize(self, _):
        """Remember the current ``keep_graph_on_report`` flag."""
        self._prev_flag = getattr(configuration.config, 'keep_graph_on_report',
                                  False)

    def trigger(self, _):
        """Fire when the flag was on during the iteration."""
        flag = self._prev_flag
        self._prev_flag = getattr(configuration.config, 'keep_graph_on_report',
                                  False)
        return flag

    def __call__(self, trainer):
        """Unchain the Variables of ``trainer.observation``."""
        for var in trainer.observation.values():
            if isinstance(var, kusari.Variable):
                var.unchain_backward()
