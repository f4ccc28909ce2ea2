"""``kusari.backends.intel64``: Chainer's iDeep backend module, as it is without iDeep.

kusari has no iDeep backend, so this is what Chainer's module is when iDeep is not
installed: nothing is available and nothing asks to use it.

>>> is_ideep_available(), should_use_ideep('>=auto')
(False, False)
"""

ideep = None
_ideep_version = None


def is_ideep_available():
    """Whether iDeep can be used: always ``False`` in kusari."""
    return False


def check_ideep_available():
    """Raise ``RuntimeError``: iDeep is not available in kusari."""
    raise RuntimeError('iDeep is not available in kusari (there is no iDeep '
                       'backend)')


def should_use_ideep(level):
    """Whether a computation should use iDeep at ``level``: always ``False``."""
    return False


def inputs_all_ready(inputs, supported_ndim=(2, 4)):
    """Whether iDeep can take ``inputs``: always ``False`` without iDeep."""
    return False
