"""Parameterized test classes: :func:`parameterize`, :func:`product`, ..."""
import itertools
import sys


def product(parameter):
    """Cartesian product of parameter choices, as a list of dicts.

    Args:
        parameter (dict or list): Either a dict mapping each name to a list of
            values (``{'a': [1, 2], 'b': [3]}`` gives ``[{'a': 1, 'b': 3},
            {'a': 2, 'b': 3}]``), or a list of lists of dicts, in which case one
            dict is taken from each list and they are merged (see
            :func:`product_dict`).

    Returns:
        list of dict: One dict per combination.
    """
    if isinstance(parameter, dict):
        keys = sorted(parameter)
        values = [parameter[k] for k in keys]
        return [dict(zip(keys, combo)) for combo in itertools.product(*values)]
    if isinstance(parameter, (list, tuple)):
        for p in parameter:
            if not isinstance(p, (list, tuple)):
                raise TypeError('product: a list argument must hold lists of dicts')
        return product_dict(*parameter)
    raise TypeError('product: the argument must be a dict of lists or a list of '
                    'lists of dicts, not {}'.format(type(parameter).__name__))


def product_dict(*parameters):
    """Merge one dict from each argument list, for every combination.

    ``product_dict([{'a': 1}, {'a': 2}], [{'b': 3}])`` gives
    ``[{'a': 1, 'b': 3}, {'a': 2, 'b': 3}]``.

    Args:
        *parameters (list of dict): The choices.

    Returns:
        list of dict: The merged dicts.
    """
    result = []
    for combo in itertools.product(*parameters):
        d = {}
        for part in combo:
            d.update(part)
        result.append(d)
    return result


def _param_suffix(params, i):
    parts = []
    for k in sorted(params):
        v = params[k]
        r = getattr(v, '__name__', None) or repr(v)
        r = ''.join(c if c.isalnum() else '_' for c in r)[:20]
        parts.append('{}_{}'.format(k, r))
    return '_param_{}_{}'.format(i, '_'.join(parts)) if parts else '_param_{}'.format(i)


def parameterize(*params):
    """Class decorator: generate one test class per parameter dict.

    Each generated class is a subclass of the decorated one with every key of its
    dict set as a class attribute (``self.dtype`` ...). The generated classes are
    added to the decorated class's module (so pytest and unittest collect them)
    and the decorated class itself is marked ``__test__ = False``.  Decorators can
    be stacked: the parameter sets of all levels are combined.

    Args:
        *params (dict): Parameter sets, e.g. ``*product({'dtype': [...]})``.

    Returns:
        callable: The class decorator (it returns the base class).
    """
    params = [dict(p) for p in params]
    for p in params:
        if not isinstance(p, dict):
            raise TypeError('parameterize takes dicts of parameters')

    def decorator(cls):
        if not isinstance(cls, type):
            raise TypeError('parameterize decorates test classes only')
        module = sys.modules[cls.__module__]
        inner = cls.__dict__.get('_kusari_parameter_sets')
        if inner is not None:
            # Stacked decorators: drop the classes of the inner level and combine.
            for name in cls.__dict__.get('_kusari_parameter_classes', ()):
                module.__dict__.pop(name, None)
            combined = [dict(a, **b) for b in params for a in inner]
        else:
            combined = params
        names = []
        for i, p in enumerate(combined):
            name = cls.__name__ + _param_suffix(p, i)
            attrs = dict(p)
            attrs['__test__'] = True
            attrs['__module__'] = cls.__module__
            attrs['_kusari_parameters'] = dict(p)
            new_cls = type(name, (cls,), attrs)
            new_cls.__qualname__ = name
            setattr(module, name, new_cls)
            names.append(name)
        cls._kusari_parameter_sets = combined
        cls._kusari_parameter_classes = names
        cls.__test__ = False
        return cls
    return decorator
