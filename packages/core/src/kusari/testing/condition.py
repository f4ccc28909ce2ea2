"""Run a test several times: :func:`repeat` (all pass), :func:`retry` (one passes)."""
import functools


def repeat(times):
    """Decorator: run a test function ``times`` times; every run must pass.

    Args:
        times (int): Number of runs.
    """
    if times < 1:
        raise ValueError('times must be positive, got {}'.format(times))

    def decorator(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            for _ in range(times):
                f(*args, **kwargs)
        return wrapper
    return decorator


def retry(times):
    """Decorator: run a stochastic test up to ``times`` times; one passing run suffices.

    The last failure is re-raised when every run fails.

    Args:
        times (int): Maximum number of runs.
    """
    if times < 1:
        raise ValueError('times must be positive, got {}'.format(times))

    def decorator(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            for i in range(times):
                try:
                    return f(*args, **kwargs)
                except AssertionError:
                    if i == times - 1:
                        raise
        return wrapper
    return decorator
