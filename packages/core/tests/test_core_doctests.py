"""Run the examples in the Cython core's docstrings (pytest's doctest collection skips
extension modules)."""
import doctest

import pytest

import kusari._core as core


def _docstring_objects():
    seen = set()
    for name, obj in sorted(vars(core).items()):
        doc = getattr(obj, '__doc__', None)
        if doc and '>>>' in doc and id(obj) not in seen:
            seen.add(id(obj))
            yield name, obj
        for attr in getattr(obj, '__dict__', {}).values() if isinstance(obj, type) else ():
            d = getattr(attr, '__doc__', None)
            if d and '>>>' in d and id(attr) not in seen:
                seen.add(id(attr))
                yield name + '.' + getattr(attr, '__name__', '?'), attr


CASES = list(_docstring_objects())


def test_core_has_examples():
    assert len(CASES) >= 4


@pytest.mark.parametrize('name,obj', CASES, ids=[c[0] for c in CASES])
def test_docstring_examples(name, obj):
    parser = doctest.DocTestParser()
    test = parser.get_doctest(obj.__doc__, {}, name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE |
                                   doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0, f'{runner.failures} failing example(s) in {name}'
