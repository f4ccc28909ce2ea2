"""Parameterized test classes: :func:`parameterize`, :func:`product`, ...

As in ``chainer.testing``: ``@parameterize(*dicts)`` generates one subclass of the
decorated class per dict (named ``Base_param_<i>_{k=v, ...}``), registers them in
the class's module and returns a bundle in place of the class, so stacked
``parameterize`` / :func:`~kusari.testing.inject_backend_tests` decorators expand
each generation again.
"""
import functools
import itertools
import types
import unittest

from kusari.testing import _case_generation

_VALUE_MAXLEN = 100
_PARAMS_MAXLEN = 5000


def _values_to_dicts(names, values):
    if not isinstance(names, str):
        raise TypeError('parameter names must be a str such as "a" or "a,b", '
                        'not {}'.format(type(names).__name__))
    if not isinstance(values, (tuple, list)):
        raise TypeError('the values of parameter {!r} must be a list or tuple, '
                        'not {}'.format(names, type(values).__name__))
    keys = names.split(',')
    result = []
    for value in values:
        if len(keys) == 1:
            result.append({keys[0]: value})
            continue
        if not isinstance(value, (tuple, list)) or len(value) != len(keys):
            raise ValueError('each value of parameters {!r} must be a sequence of '
                             '{} items, got {!r}'.format(names, len(keys), value))
        result.append(dict(zip(keys, value)))
    return result


def product(parameter):
    """Cartesian product of parameter choices, as a list of dicts.

    Args:
        parameter (dict or list): Either a dict mapping each name to a list of
            values (a key ``'a,b'`` maps to a list of ``(a, b)`` pairs), or a
            list of lists of dicts, of which one dict from each list is merged
            (see :func:`product_dict`).

    Returns:
        list of dict: One dict per combination, the keys taken in sorted order.

    >>> product({'a': [1, 2], 'b': [3]})
    [{'a': 1, 'b': 3}, {'a': 2, 'b': 3}]
    >>> product({'x,y': [(1, 2), (3, 4)]})
    [{'x': 1, 'y': 2}, {'x': 3, 'y': 4}]
    """
    if isinstance(parameter, dict):
        return product_dict(*[_values_to_dicts(names, values)
                              for names, values in sorted(parameter.items())])
    if isinstance(parameter, list):
        if not all(isinstance(p, list) for p in parameter) or \
                not all(isinstance(d, dict) for p in parameter for d in p):
            raise TypeError('product: a list argument must be a list of lists of '
                            'dicts')
        return product_dict(*parameter)
    raise TypeError('product: parameter must be either dict or list, not {}'.format(
        type(parameter).__name__))


def product_dict(*parameters):
    """Merge one dict from each argument list, for every combination.

    >>> product_dict([{'a': 1}, {'a': 2}], [{'b': 3}])
    [{'a': 1, 'b': 3}, {'a': 2, 'b': 3}]

    Args:
        *parameters (list of dict): The choices.

    Returns:
        list of dict: The merged dicts.
    """
    return [{k: v for d in combo for k, v in d.items()}
            for combo in itertools.product(*parameters)]


# The original product_dict: Chainer's conftest swaps ``product_dict`` for a
# pairwise version during collection and checks against this name.
_product_dict_orig = product_dict


def _pairwise_product_dict(*parameters):
    """Combinations that cover every pair of choices (not every tuple)."""
    import numpy
    if len(parameters) <= 2:
        return _product_dict_orig(*parameters)
    lists = [list(p) for p in parameters]
    shape = [len(p) for p in lists]
    uncovered = {(i, j): set(itertools.product(range(shape[i]), range(shape[j])))
                 for i, j in itertools.combinations(range(len(shape)), 2)}
    indices = list(itertools.product(*[range(n) for n in shape]))
    numpy.random.RandomState(0).shuffle(indices)
    chosen = []
    for index in indices:
        hit = False
        for (i, j), rest in uncovered.items():
            if (index[i], index[j]) in rest:
                rest.discard((index[i], index[j]))
                hit = True
        if hit:
            chosen.append(index)
    return [{k: v for i, d in zip(index, lists) for k, v in d[i].items()}
            for index in sorted(chosen)]


def _value_name(value):
    name = getattr(value, '__name__', None)
    if isinstance(name, str):
        return name
    return repr(value)


def _shorten(text, maxlen):
    if len(text) <= maxlen:
        return text
    head = (maxlen - 3) // 2
    tail = maxlen - 3 - head
    return text[:head] + '...' + text[len(text) - tail:]


def _class_name(base_name, index, param):
    body = ', '.join('{}={}'.format(k, _shorten(_value_name(v), _VALUE_MAXLEN))
                     for k, v in sorted(param.items()))
    return '{}_param_{}_{{{}}}'.format(base_name, index,
                                       _shorten(body, _PARAMS_MAXLEN))


def _as_method(func):
    # A plain function as a class attribute would become a method taking
    # ``self``; the parameter must stay the function the test passed.
    def method(self, *args, **kwargs):
        return func(*args, **kwargs)
    return method


def _reraise_with_parameters(base, method, param, error):
    lines = ['Parameterized test failed.', '',
             'Base test method: {}.{}'.format(base.__name__, method.__name__),
             'Test parameters:']
    lines += ['  {}: {}'.format(k, v) for k, v in sorted(param.items())]
    message = '{}\n\n(caused by)\n{}: {}\n'.format(
        '\n'.join(lines), type(error).__name__, error)
    cls = type(error)
    if cls.__name__ == 'OutOfMemoryError':
        cls = MemoryError
    try:
        new_error = cls(message)
    except Exception:
        new_error = None
    if new_error is None:
        # An exception type whose constructor takes other arguments: keep it.
        raise error
    raise new_error from error


def _generator(params):
    def generate(base):
        for index, param in enumerate(params):
            members = {}
            for k, v in param.items():
                members[k] = _as_method(v) if isinstance(v, types.FunctionType) else v
            members['_kusari_parameters'] = dict(
                getattr(base, '_kusari_parameters', {}), **param)

            def make_str(param=param):
                def __str__(self):
                    return '{}  parameter: {}'.format(base.__str__(self), param)
                return __str__
            members['__str__'] = make_str()

            def wrap(method, param=param):
                @functools.wraps(method)
                def test(self, *args, **kwargs):
                    try:
                        return method(self, *args, **kwargs)
                    except unittest.SkipTest:
                        raise
                    except Exception as e:
                        _reraise_with_parameters(base, method, param, e)
                return test
            yield _class_name(base.__name__, index, param), members, wrap
    return generate


def parameterize(*params):
    """Class decorator: generate one test class per parameter dict.

    Each generated class is a subclass of the decorated one with every key of its
    dict set as a class attribute (``self.dtype`` ...); a plain function value
    stays callable as ``self.name(...)`` without ``self``.  The generated classes
    are added to the decorated class's module, and the decorator returns a bundle
    of them in place of the class, so stacked ``parameterize`` and
    :func:`~kusari.testing.inject_backend_tests` decorators combine.  A failing
    test's exception (same type) names the parameters.

    Args:
        *params (dict): Parameter sets, e.g. ``*product({'dtype': [...]})``.

    Returns:
        callable: The class decorator.
    """
    params = list(params)
    for p in params:
        if not isinstance(p, dict):
            raise TypeError('parameterize takes dicts of parameters, not {}'.format(
                type(p).__name__))
    return _case_generation.make_decorator(_generator(params), 'parameterize')


def from_pytest_parameterize(names, values):
    """Parameter dicts from pytest-style ``names`` (``'a,b'``) and ``values``.

    >>> from_pytest_parameterize('a,b', [(1, 2), (3, 4)])
    [{'a': 1, 'b': 2}, {'a': 3, 'b': 4}]
    """
    return _values_to_dicts(names, values)


def parameterize_pytest(names, values):
    """:func:`parameterize` with pytest's ``parametrize`` argument style.

    ``@parameterize_pytest('a,b', [(1, 2), (3, 4)])`` is
    ``@parameterize({'a': 1, 'b': 2}, {'a': 3, 'b': 4})``.
    """
    return parameterize(*from_pytest_parameterize(names, values))
