"""The check of a trigger's unit, shared by the interval-based triggers."""

UNITS = ('epoch', 'iteration')


def check_unit(unit, who):
    """Raise ValueError naming ``who`` unless ``unit`` is 'epoch' or 'iteration'."""
    if unit not in UNITS:
        raise ValueError(
            "{}: trigger unit must be either 'epoch' or 'iteration', but got "
            "{!r}".format(who, unit))
    return unit
