"""Deterministic random numbers in tests: :func:`fix_random`, :func:`generate_seed`."""
import functools
import importlib.util
import inspect
import random as _pyrandom

import numpy

from kusari.testing import _case_generation

_DEFAULT_SEED = 100       # Chainer's fixed seed
_saved = []               # one entry per active (nested) fixing


def _set_seeds(seed):
    _pyrandom.seed(seed)
    numpy.random.seed(seed)
    if importlib.util.find_spec('cupy') is not None:
        try:
            import cupy
            cupy.random.seed(seed)
        except Exception:
            pass


def _setup(seed):
    # Only the outermost of nested setups seeds (and the matching teardown restores).
    if not _saved:
        state = (_pyrandom.getstate(), numpy.random.get_state())
        _set_seeds(seed)
    else:
        state = None
    _saved.append(state)


def _teardown():
    state = _saved.pop()
    if state is not None:
        _pyrandom.setstate(state[0])
        numpy.random.set_state(state[1])


def generate_seed():
    """A random 32-bit seed drawn from the fixed NumPy generator (inside
    :func:`fix_random` only)."""
    assert _saved, 'generate_seed: random is not set up (use fix_random)'
    return numpy.random.randint(0xffffffff)


def _wrap_function(f, seed):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        _setup(seed)
        try:
            return f(*args, **kwargs)
        finally:
            _teardown()
    return wrapper


def _fix_class(cls, seed, setup_method, teardown_method):
    setup = getattr(cls, setup_method, None)
    teardown = getattr(cls, teardown_method, None)
    if setup is None:
        # No setUp: fix each test method on its own.
        for name, member in list(vars(cls).items()):
            if callable(member) and name.startswith('test'):
                setattr(cls, name, _wrap_function(member, seed))
        return

    @functools.wraps(setup)
    def new_setup(self, *args, **kwargs):
        _setup(seed)
        return setup(self, *args, **kwargs)

    def new_teardown(self, *args, **kwargs):
        try:
            if teardown is not None:
                return teardown(self, *args, **kwargs)
        finally:
            _teardown()
    setattr(cls, setup_method, new_setup)
    setattr(cls, teardown_method, new_teardown)


def fix_random(seed=_DEFAULT_SEED, *, setup_method='setUp',
               teardown_method='tearDown'):
    """Decorator: run a test with fixed random seeds.

    On a test function, the seeds are fixed for the call.  On a test class (or
    the classes :func:`~kusari.testing.parameterize` generated), they are fixed
    from ``setup_method`` until ``teardown_method`` returns, so ``setUp`` and the
    test draw one reproducible sequence; a class without ``setup_method`` has
    each ``test*`` method fixed instead.  Python's :mod:`random`, NumPy's global
    generator (and CuPy's, when installed) are seeded; the Python and NumPy
    states are restored afterwards.  Do not apply it inside
    ``condition.repeat``/``retry`` (every trial would see the same numbers).

    Args:
        seed (int): The seed (Chainer's fixed 100 by default).
        setup_method (str): Name of the per-test setup method.
        teardown_method (str): Name of the per-test teardown method.

    >>> @fix_random()
    ... def draw():
    ...     return numpy.random.rand()
    >>> draw() == draw()
    True
    """
    def decorator(obj):
        if isinstance(obj, _case_generation.GeneratedCases):
            for cls, _, _ in obj.cases:
                _fix_class(cls, seed, setup_method, teardown_method)
            return obj
        if inspect.isclass(obj):
            _fix_class(obj, seed, setup_method, teardown_method)
            return obj
        return _wrap_function(obj, seed)
    return decorator
