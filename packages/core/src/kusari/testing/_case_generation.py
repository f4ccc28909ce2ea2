"""Generated test classes shared by :func:`parameterize` and :func:`inject_backend_tests`.

A decorator built here turns a test class into several generated subclasses that
are registered in the class's module (so pytest and unittest collect them) and
returns a *bundle* of them instead of the class.  Applying another such decorator
to a bundle expands every generated class again and removes the previous
generation from the module, which is how Chainer's decorators compose in either
order.
"""
import inspect
import sys


class GeneratedCases:
    """What a generating decorator returns in place of the decorated class.

    ``cases`` is a list of ``(cls, module_name, name)``; ``module_name`` and
    ``name`` say where the generated class is registered (``None`` for the
    original, unregistered class).  The bundle itself is not a class, so test
    collectors ignore the name it is bound to.
    """

    __test__ = False

    def __init__(self, cases):
        self.cases = list(cases)

    def __repr__(self):
        return '<generated test classes: {}>'.format(
            ', '.join(name or cls.__name__ for cls, _, name in self.cases))


def _test_methods(cls):
    for name, value in inspect.getmembers(
            cls, predicate=lambda m: inspect.isfunction(m) or inspect.ismethod(m)):
        if name.startswith('test_'):
            yield name, value


def make_decorator(generator, decorator_name):
    """Build a class decorator from ``generator(base) -> [(name, members, wrap)]``.

    ``members`` are class attributes of the generated class; ``wrap(method)``
    returns the replacement of each ``test_*`` method (``None`` removes it).
    """
    def decorate(target):
        if isinstance(target, GeneratedCases):
            sources = target.cases
        elif isinstance(target, type):
            sources = [(target, None, None)]
        else:
            raise TypeError('{} decorates test classes, not {}'.format(
                decorator_name, type(target).__name__))
        produced = []
        for base, module_name, name in sources:
            if module_name is None:
                module_name = base.__module__
            else:
                # An earlier generation: replace it by its expansions.
                module = sys.modules[module_name]
                if getattr(module, name, None) is base:
                    delattr(module, name)
            module = sys.modules[module_name]
            for cls_name, members, wrap in generator(base):
                attrs = dict(members)
                for meth_name, meth in _test_methods(base):
                    attrs[meth_name] = wrap(meth)
                attrs.setdefault('__module__', module_name)
                attrs['__qualname__'] = cls_name
                if base.__dict__.get('__test__', None) is False or \
                        getattr(base, '__test__', True) is False:
                    attrs['__test__'] = True
                new_cls = type(cls_name, (base,), attrs)
                setattr(module, cls_name, new_cls)
                produced.append((new_cls, module_name, cls_name))
        return GeneratedCases(produced)
    return decorate
