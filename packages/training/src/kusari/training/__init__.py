"""The training loop of Chainer 7 (``chainer.training``): Trainer, updaters,
extensions and triggers.

>>> from kusari import training
>>> training.get_trigger((1, 'epoch'))
IntervalTrigger(1, 'epoch')
"""
from kusari.training import util  # noqa: F401
from kusari.training import extension  # noqa: F401
from kusari.training import triggers  # noqa: F401
from kusari.training import trigger  # noqa: F401
from kusari.training import updater  # noqa: F401
from kusari.training import updaters  # noqa: F401
from kusari.training import trainer  # noqa: F401
from kusari.training import extensions  # noqa: F401

from kusari.training.extension import (  # noqa: F401
    Extension,
    make_extension,
    PRIORITY_EDITOR,
    PRIORITY_READER,
    PRIORITY_WRITER,
)
from kusari.training.trainer import Trainer  # noqa: F401
from kusari.training.triggers import IntervalTrigger  # noqa: F401
from kusari.training.updater import Updater  # noqa: F401
from kusari.training.updaters import (  # noqa: F401
    MultiprocessParallelUpdater,
    ParallelUpdater,
    StandardUpdater,
)
from kusari.training.util import get_trigger  # noqa: F401
