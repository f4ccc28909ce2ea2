"""Run a stochastic test several times: :func:`repeat_with_success_at_least`, ...

As in ``chainer.testing.condition``.  A trial that skips skips the whole test; a
trial that raises counts as a failure.  For a ``unittest.TestCase`` method each
trial runs on a fresh instance with its own ``setUp``/``tearDown``; a plain
function (or a pytest-style method) is simply called again.
"""
import functools
import traceback
import unittest


def _is_pytest_skip(error):
    # pytest.skip raises _pytest.outcomes.Skipped, a BaseException.
    return type(error).__name__ == 'Skipped' and hasattr(error, 'msg')


def _run_trial(f, args, kwargs, case):
    """Run once; returns (outcome, detail), outcome in 'pass', 'fail', 'skip'."""
    if case is not None:
        trial = type(case)(case._testMethodName)
        call_args = (trial,) + tuple(args[1:])
    else:
        trial = None
        call_args = args
    try:
        if trial is not None:
            trial.setUp()
        try:
            f(*call_args, **kwargs)
        finally:
            if trial is not None:
                trial.tearDown()
    except unittest.SkipTest as e:
        return 'skip', str(e)
    except Exception:
        return 'fail', traceback.format_exc()
    except BaseException as e:
        if _is_pytest_skip(e):
            if case is None:
                raise
            return 'skip', str(e.msg)
        raise
    return 'pass', None


def repeat_with_success_at_least(times, min_success):
    """Decorator: run a test ``times`` times; it passes when ``min_success`` do.

    The trials stop as soon as the outcome is decided.  On failure the
    AssertionError reports the counts and the first error message.

    Args:
        times (int): The number of trials.
        min_success (int): How many trials must pass.
    """
    assert times >= min_success, (
        'repeat_with_success_at_least: times ({}) must be >= min_success ({})'
        .format(times, min_success))

    def decorator(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            case = args[0] if args and isinstance(args[0], unittest.TestCase) \
                else None
            successes = failures = 0
            first_error = None

            def fail():
                msg = '\nFail: {}, Success: {}'.format(failures, successes)
                if first_error is not None:
                    msg += '\n\nThe first error message:\n' + first_error
                raise AssertionError(msg)

            if min_success <= 0:
                return None
            for _ in range(times):
                outcome, detail = _run_trial(f, args, kwargs, case)
                if outcome == 'skip':
                    raise unittest.SkipTest(detail)
                if outcome == 'pass':
                    successes += 1
                else:
                    failures += 1
                    if first_error is None:
                        first_error = detail
                if successes >= min_success:
                    return None
                if failures > times - min_success:
                    fail()
            fail()
        return wrapper
    return decorator


def repeat(times):
    """Decorator: every one of ``times`` runs must pass.

    Args:
        times (int): Number of runs.
    """
    if times < 1:
        raise ValueError('repeat: times must be positive, got {}'.format(times))
    return repeat_with_success_at_least(times, times)


def retry(times):
    """Decorator: a stochastic test passes if one of up to ``times`` runs passes.

    Args:
        times (int): Maximum number of runs.
    """
    if times < 1:
        raise ValueError('retry: times must be positive, got {}'.format(times))
    return repeat_with_success_at_least(times, 1)
