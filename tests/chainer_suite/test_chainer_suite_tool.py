"""tools/chainer_suite.py: the exclusion file, the missing-suite line, the causes."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, 'tools', 'chainer_suite.py')
sys.path.insert(0, os.path.dirname(TOOL))
import chainer_suite  # noqa: E402


def test_missing_suite_prints_one_line_and_succeeds(tmp_path):
    r = subprocess.run([sys.executable, TOOL, '--suite', str(tmp_path / 'none')],
                       capture_output=True, text=True)
    assert r.returncode == 0
    assert r.stdout.count('\n') == 1 and 'not found' in r.stdout


def test_repository_exclusion_file_has_a_reason_per_line():
    path = os.path.join(ROOT, 'tests', 'chainer_suite_exclusions.txt')
    patterns = chainer_suite._read_exclusions(path)
    assert patterns and all(p.startswith('tests/') for p in patterns)


def test_exclusion_without_reason_is_rejected(tmp_path):
    f = tmp_path / 'ex.txt'
    f.write_text('# comment\n\ntests/a.py::T::test_x  # private helper\n')
    assert chainer_suite._read_exclusions(str(f)) == ['tests/a.py::T::test_x']
    f.write_text('tests/a.py::T::test_x\n')
    with pytest.raises(ValueError, match='reason'):
        chainer_suite._read_exclusions(str(f))


def test_exclusion_globs():
    pats = ['tests/a.py::T_*::test_x', 'tests/b.py::*']
    assert chainer_suite._excluded('tests/a.py::T_param_0_{n=1}::test_x', pats)
    assert not chainer_suite._excluded('tests/a.py::T_param_0_{n=1}::test_y', pats)
    assert not chainer_suite._excluded('tests/a.py::TOther::test_x', pats)
    assert chainer_suite._excluded('tests/b.py::Anything::test', pats)


def test_failure_causes_reads_the_wrapped_cause(tmp_path):
    xml = tmp_path / 'j.xml'
    xml.write_text(
        '<testsuites><testsuite>'
        '<testcase classname="tests.chainer_tests.test_x.TestA_param_0_{v=1.5}" '
        'name="test_a"><failure message="AttributeError: Parameterized test failed.'
        '&#10;&#10;(caused by)&#10;AttributeError: no mean"/></testcase>'
        '<testcase classname="tests.chainer_tests.test_x.TestB" name="test_b">'
        '<failure message="AssertionError: 1 != 2"/></testcase>'
        '<testcase classname="tests.chainer_tests.test_x.TestC" name="test_c"/>'
        '</testsuite></testsuites>')
    causes = chainer_suite.failure_causes(str(xml))
    assert causes == {('test_x', 'AttributeError: no mean'): 1,
                      ('test_x', 'AssertionError: 1 != 2'): 1}


def test_end_to_end_on_a_small_suite(tmp_path):
    tests = tmp_path / 'suite' / 'tests' / 'chainer_tests'
    tests.mkdir(parents=True)
    (tmp_path / 'suite' / 'pytest.ini').write_text(
        '[pytest]\nmarkers =\n    gpu: g\n    cudnn: c\n    slow: s\n    ideep: i\n'
        '    chainerx: x\n    multi_gpu: m\n')
    (tests / 'test_variable.py').write_text(
        'import pytest\n'
        'def test_pass():\n    pass\n'
        'def test_fail():\n    raise AttributeError("no mean")\n'
        'def test_excluded():\n    raise AssertionError\n'
        '@pytest.mark.gpu\ndef test_gpu():\n    raise AssertionError\n'
        'def test_skip():\n    pytest.skip("x")\n')
    ex = tmp_path / 'ex.txt'
    ex.write_text('tests/chainer_tests/test_variable.py::test_excl*  # private helper\n')
    r = subprocess.run([sys.executable, TOOL, '--suite', str(tmp_path / 'suite'),
                        '--exclusions', str(ex), '--parts', 'graph', '--causes', '3'],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    # 5 collected, gpu deselected by marker -> 4; 1 excluded, 1 skipped -> 2 ran
    assert lines[0].split()[:5] == ['graph', '1', 'passed', '/', '2']
    assert 'test_variable: AttributeError: no mean' in lines[1]
    assert lines[-1].startswith('= 1 failed, 1 passed, 1 skipped, 0 errors, 1 excluded')


def test_failure_causes_reads_through_repeated_trials(tmp_path):
    xml = tmp_path / 'j.xml'
    xml.write_text(
        '<testsuites><testsuite>'
        '<testcase classname="tests.chainer_tests.test_s.TestS" name="test_b">'
        '<failure message="AssertionError: &#10;Fail: 3, Success: 0&#10;&#10;'
        'The first error message:&#10;Traceback (most recent call last):&#10;'
        '  File &quot;x.py&quot;, line 1, in f&#10;'
        "AttributeError: 'function' object has no attribute 'shift'&#10;\"/>"
        '</testcase></testsuite></testsuites>')
    assert chainer_suite.failure_causes(str(xml)) == {
        ('test_s', "AttributeError: 'function' object has no attribute 'shift'"): 1}
