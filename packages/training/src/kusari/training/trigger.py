"""Compatibility module of Chainer (``chainer.training.trigger``)."""
from kusari.training.triggers.interval_trigger import IntervalTrigger  # noqa: F401
from kusari.training.util import get_trigger  # noqa: F401
