"""Marking experimental APIs: :func:`experimental` (as ``chainer.utils.experimental``)."""
import warnings


def experimental(api_name):
    """Warn (``FutureWarning``) that ``api_name`` is experimental.

    Silenced by setting ``kusari.disable_experimental_feature_warning = True``.

    Args:
        api_name (str): The name shown, e.g. ``'MyLink.forward'``.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter('always')
    ...     experimental('f')
    >>> str(w[0].message).startswith('f is experimental.')
    True
    """
    import kusari
    if getattr(kusari, 'disable_experimental_feature_warning', False):
        return
    warnings.warn(
        '{} is experimental. The interface can change in the future.'.format(
            api_name), FutureWarning, stacklevel=3)
