"""Deterministic random numbers in tests: :func:`fix_random`."""
import functools
import importlib.util
import inspect
import random as _pyrandom

import numpy


def _set_seeds(seed):
    _pyrandom.seed(seed)
    numpy.random.seed(seed)
    if importlib.util.find_spec('cupy') is not None:
        try:
            import cupy
            cupy.random.seed(seed)
        except Exception:
            pass


def _wrap_function(f, seed):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        py_state = _pyrandom.getstate()
        np_state = numpy.random.get_state()
        _set_seeds(seed)
        try:
            return f(*args, **kwargs)
        finally:
            _pyrandom.setstate(py_state)
            numpy.random.set_state(np_state)
    return wrapper


def fix_random(seed=0):
    """Decorator: run a test with fixed random seeds.

    Applies to a function, or to every ``test*`` / ``setUp`` method of a class.

    Python's :mod:`random`, NumPy's global generator (and CuPy's, when installed)
    are seeded with ``seed`` before the call; the Python and NumPy states are
    restored afterwards.

    Args:
        seed (int): The seed.
    """
    def decorator(obj):
        if inspect.isclass(obj):
            for name, member in list(vars(obj).items()):
                if callable(member) and (name.startswith('test') or
                                         name in ('setUp', 'setup_method')):
                    setattr(obj, name, _wrap_function(member, seed))
            return obj
        return _wrap_function(obj, seed)
    return decorator
