"""Triggers: decide when the trainer stops and when an extension runs."""
from kusari.training.triggers.interval_trigger import IntervalTrigger  # noqa: F401
from kusari.training.triggers.manual_schedule_trigger import ManualScheduleTrigger  # noqa: F401,E501
from kusari.training.triggers.minmax_value_trigger import (  # noqa: F401
    BestValueTrigger,
    MaxValueTrigger,
    MinValueTrigger,
)
from kusari.training.triggers.early_stopping_trigger import EarlyStoppingTrigger  # noqa: F401,E501
from kusari.training.triggers.once_trigger import OnceTrigger  # noqa: F401
from kusari.training.triggers.time_trigger import TimeTrigger  # noqa: F401
