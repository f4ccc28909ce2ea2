"""Keyword-argument helpers (Chainer's ``chainer.utils.argument``)."""


def check_unexpected_kwargs(kwargs, **unexpected):
    """Raise ValueError with the given message for each key of ``unexpected`` present."""
    for key, message in unexpected.items():
        if key in kwargs:
            raise ValueError(message)


def parse_kwargs(kwargs, *name_and_values, **unexpected):
    """Pop ``(name, default)`` pairs from ``kwargs``; raise TypeError for leftovers.

    Returns the values in the order of ``name_and_values``.
    """
    values = [kwargs.pop(name, default) for name, default in name_and_values]
    if kwargs:
        check_unexpected_kwargs(kwargs, **unexpected)
        caller = __import__('sys')._getframe(1).f_code.co_name
        args = ', '.join("'%s'" % k for k in sorted(kwargs))
        raise TypeError('%s() got unexpected keyword argument(s) %s' % (caller, args))
    return tuple(values)


def assert_kwargs_empty(kwargs):
    """Raise TypeError if ``kwargs`` is not empty."""
    parse_kwargs(kwargs)
