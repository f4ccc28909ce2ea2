#!/usr/bin/env python3
"""Run Chainer v7.8.1's own unit tests against kusari, part by part.

The suite lives outside the repository (``../shared/chainer-tests`` from the
repository root, or ``--suite PATH``); without it this prints one line and exits 0.
It runs through the kusari-compat distribution (``import chainer`` is kusari,
``chainer.testing`` is ``kusari.testing``), with Chainer's markers deselected as
the suite's README does, minus the tests listed in
``tests/chainer_suite_exclusions.txt`` (one test id or glob per line, each with a
``# reason``; a line without ``::`` names whole files, which are not imported).  Every part is a separate pytest process; the report gives, per
part, passed / (collected - excluded - skipped) and a pytest-style summary line.

    python tools/chainer_suite.py                    # every part kusari implements
    python tools/chainer_suite.py --parts activation,links
    python tools/chainer_suite.py --pairwise         # Chainer's pairwise CI selection

This file is also the pytest plugin that applies the exclusions (``-p chainer_suite``).
"""
import argparse
import atexit
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKERS = ('not gpu and not cudnn and not slow and not ideep and not chainerx and '
           'not multi_gpu')
KEYWORDS = 'not use_chainerx_true and not use_ideep_always'

_C = 'tests/chainer_tests/'
_GRAPH = ['test_backprop.py', 'test_backprop_utils.py', 'test_chainer_objects.py',
          'test_computational_graph.py', 'test_configuration.py', 'test_function.py',
          'test_function_and_function_node.py', 'test_function_hook.py',
          'test_function_node.py', 'test_gradient_check.py', 'test_init.py',
          'test_initializer.py', 'test_link.py', 'test_optimizer.py',
          'test_reporter.py', 'test_sequential.py', 'test_variable.py',
          'test_backend.py', 'test_runtime_info.py', 'function_hooks_tests',
          'utils_tests', 'backends_tests', 'testing_tests']

# (part, paths under the suite, the kusari module the part needs)
PARTS = [('graph', [_C + p for p in _GRAPH], 'kusari')]
PARTS += [(sub, [_C + 'functions_tests/' + sub + '_tests'], 'kusari.functions')
          for sub in ('activation', 'array', 'connection', 'evaluation', 'loss',
                      'math', 'noise', 'normalization', 'pooling', 'rnn', 'util')]
PARTS += [
    ('initializers', [_C + 'initializer_tests'], 'kusari'),
    ('links', [_C + 'links_tests', _C + 'link_hooks_tests'], 'kusari.links'),
    ('optimizers', [_C + 'optimizers_tests'], 'kusari.optimizers'),
    ('optimizer_hooks', [_C + 'optimizer_hooks_tests'], 'kusari.optimizer_hooks'),
    ('serializers', [_C + 'serializers_tests'], 'kusari.serializers'),
    ('training', [_C + 'training_tests'], 'kusari.training'),
    ('dataset', [_C + 'dataset_tests', _C + 'datasets_tests',
                 _C + 'iterators_tests'], 'kusari.dataset'),
    ('distributions', [_C + 'distributions_tests'], 'kusari.distributions'),
    ('chainermn', ['tests/chainermn_tests'], 'kusari.distributed'),
    ('onnx_chainer', ['tests/onnx_chainer_tests'], 'kusari.onnx'),
]


# ------------------------------------------------------------------ pytest plugin

def _read_exclusions(path):
    patterns = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            text = line.strip()
            if not text or text.startswith('#'):
                continue
            pattern, sep, reason = text.partition('#')
            if not sep or not reason.strip():
                raise ValueError('{}:{}: every exclusion needs a "# reason"'.format(
                    path, n))
            patterns.append(pattern.strip())
    return patterns


def _excluded(nodeid, patterns):
    return any(nodeid == p or fnmatch.fnmatchcase(nodeid, p) for p in patterns)


def _hookwrapper(f):
    import pytest
    return pytest.hookimpl(hookwrapper=True)(f)


@_hookwrapper
def pytest_collection_modifyitems(session, config, items):
    # A wrapper: the exclusions apply after -m/-k have deselected their tests,
    # so only tests that would otherwise run count as excluded.
    yield
    path = os.environ.get('KUSARI_CHAINER_SUITE_EXCLUSIONS')
    if not path:
        return
    patterns = _read_exclusions(path)
    keep, drop = [], []
    for item in items:
        (drop if _excluded(item.nodeid, patterns) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
    config._kusari_excluded = len(drop)


def pytest_sessionfinish(session, exitstatus):
    out = os.environ.get('KUSARI_CHAINER_SUITE_STATS')
    if not out:
        return
    reporter = session.config.pluginmanager.get_plugin('terminalreporter')
    stats = {}
    if reporter is not None:
        for key in ('failed', 'error', 'skipped', 'deselected'):
            stats[key] = len(reporter.stats.get(key, []))
        # A test passes when its call phase passed (setup/teardown reports too).
        stats['passed'] = len([r for r in reporter.stats.get('passed', [])
                               if getattr(r, 'when', None) == 'call'])
    stats['excluded'] = getattr(session.config, '_kusari_excluded', 0)
    stats['selected'] = session.testscollected     # after every deselection
    with open(out, 'w') as f:
        json.dump(stats, f)


# ------------------------------------------------------------------ runner

def failure_causes(junit_path):
    """Count failures by cause: ``{(test file, first line of the cause): n}``.

    Parameterized tests wrap the exception; its ``(caused by)`` line is the cause.
    """
    import collections
    import re
    import xml.etree.ElementTree as ET
    counts = collections.Counter()
    for case in ET.parse(junit_path).iter('testcase'):
        for f in case.findall('failure') + case.findall('error'):
            msg = f.get('message') or ''
            caused = re.findall(r'\(caused by\)\n(.*)', msg)
            line = caused[-1] if caused else msg.split('\n')[0]
            if 'The first error message:' in msg:
                # condition.repeat/retry: the cause ends the embedded traceback.
                raised = re.findall(r'^([A-Za-z_][\w.]*(?:Error|Exception)\b.*)$',
                                    msg.split('The first error message:')[1],
                                    re.MULTILINE)
                line = raised[-1] if raised else line
            line = re.sub(r'0x[0-9a-f]+', '', line)[:110]
            # The test file: class names may hold dots (parameter values).
            found = re.search(r'(?:^|\.)(test_\w+)\.', case.get('classname') or '')
            where = found.group(1) if found else (case.get('classname') or '?')
            counts[(where, line)] += 1
    return counts


def _available(python, module):
    code = ('import importlib.util, sys\n'
            'try:\n    ok = importlib.util.find_spec(sys.argv[1]) is not None\n'
            'except ImportError:\n    ok = False\n'
            'sys.exit(0 if ok else 1)')
    return subprocess.run([python, '-c', code, module]).returncode == 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--suite', default=os.path.join(ROOT, '..', 'shared',
                                                   'chainer-tests'))
    p.add_argument('--exclusions', default=os.path.join(
        ROOT, 'tests', 'chainer_suite_exclusions.txt'))
    p.add_argument('--parts', help='comma-separated part names (default: all '
                   'that kusari implements): ' + ', '.join(n for n, _, _ in PARTS))
    p.add_argument('--pairwise', action='store_true',
                   help="Chainer's pairwise parameterization "
                   '(CHAINER_TEST_PAIRWISE_PARAMETERIZATION=always): every pair of '
                   'parameter values, not every combination')
    p.add_argument('--python', default=sys.executable)
    p.add_argument('--timeout', type=int, default=1800, help='seconds per part')
    p.add_argument('--causes', type=int, default=0, metavar='N',
                   help='print the N most frequent failure causes of each part')
    p.add_argument('pytest_args', nargs='*', help='extra pytest arguments')
    args = p.parse_args(argv)

    suite = os.path.abspath(args.suite)
    if not os.path.isdir(os.path.join(suite, 'tests', 'chainer_tests')):
        print('chainer suite: {} not found; nothing to run'.format(suite))
        return 0
    wanted = None if not args.parts else set(args.parts.split(','))
    if wanted:
        unknown = wanted - {n for n, _, _ in PARTS}
        if unknown:
            p.error('unknown part(s): ' + ', '.join(sorted(unknown)))
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        [os.path.dirname(os.path.abspath(__file__))] +
        [x for x in env.get('PYTHONPATH', '').split(os.pathsep) if x])
    env['KUSARI_CHAINER_SUITE_EXCLUSIONS'] = os.path.abspath(args.exclusions)
    if args.pairwise:
        env['CHAINER_TEST_PAIRWISE_PARAMETERIZATION'] = 'always'
    # (this also fails early on a line without a reason)
    file_patterns = [pat for pat in _read_exclusions(args.exclusions)
                     if '::' not in pat]

    rows = []
    total = dict.fromkeys(('selected', 'excluded', 'passed', 'failed', 'error',
                           'skipped'), 0)
    start = time.monotonic()
    scratch = tempfile.mkdtemp(prefix='kusari-chainer-suite-')
    atexit.register(shutil.rmtree, scratch, True)
    env['PYTHONDONTWRITEBYTECODE'] = '1'      # no __pycache__ inside the suite either
    for name, paths, module in PARTS:
        if wanted is not None and name not in wanted:
            continue
        paths = [x for x in paths if os.path.exists(os.path.join(suite, x))]
        if not paths or not _available(args.python, module):
            if wanted is not None:
                print('{}: skipped ({} not installed)'.format(name, module))
            continue
        # nothing is written into the suite's folder (it may be read-only, as in CI)
        stats_file = os.path.join(scratch, 'stats-{}.json'.format(name))
        env['KUSARI_CHAINER_SUITE_STATS'] = stats_file
        junit = os.path.join(scratch, 'junit-{}.xml'.format(name))
        # run from a scratch folder (tests that write files, e.g. a Trainer's
        # 'result', write there), with the suite's own pytest.ini and rootdir
        cmd = [args.python, '-m', 'pytest', '-p', 'no:cacheprovider', '-p',
               'chainer_suite', '-c', os.path.join(suite, 'pytest.ini'),
               '--rootdir', suite, '-q', '-rN', '-m', MARKERS, '-k',
               KEYWORDS, '--continue-on-collection-errors'] + \
            [os.path.join(suite, x) for x in paths] + args.pytest_args
        cmd += ['--tb=line', '--junitxml=' + junit] if args.causes else ['--tb=no']
        # Whole files (lines without '::') are not even imported.
        cmd += ['--ignore-glob=' + os.path.join(suite, pat) for pat in file_patterns]
        t0 = time.monotonic()
        try:
            subprocess.run(cmd, cwd=scratch, env=env, timeout=args.timeout,
                           stdout=subprocess.DEVNULL)
            with open(stats_file) as f:
                stats = json.load(f)
        except (subprocess.TimeoutExpired, OSError, ValueError) as e:
            print('{}: no result ({})'.format(name, type(e).__name__))
            continue
        finally:
            if os.path.exists(stats_file):
                os.remove(stats_file)
        if args.causes and os.path.exists(junit):
            causes = failure_causes(junit).most_common(args.causes)
            os.remove(junit)
        else:
            causes = []
        stats['selected'] += stats['excluded']     # "collected" before exclusion
        for k in total:
            total[k] += stats.get(k, 0)
        # Skips are the suite's own (skip_backward_test, with_requires ...): they
        # are not counted as passes, nor against the rate.
        fair = stats['selected'] - stats['excluded'] - stats.get('skipped', 0)
        rate = 100.0 * stats['passed'] / fair if fair else 100.0
        rows.append(name)
        print('{:16s} {:6d} passed / {:6d} ({:5.1f} %)  failed {:5d}  errors {:4d}  '
              'skipped {:5d}  excluded {:4d}  {:6.0f} s'.format(
                  name, stats['passed'], fair, rate, stats.get('failed', 0),
                  stats.get('error', 0), stats.get('skipped', 0),
                  stats['excluded'], time.monotonic() - t0), flush=True)
        for (where, line), n in causes:
            print('    {:5d}  {}: {}'.format(n, where, line), flush=True)
    fair = total['selected'] - total['excluded'] - total['skipped']
    rate = 100.0 * total['passed'] / fair if fair else 100.0
    share = 100.0 * total['excluded'] / total['selected'] if total['selected'] else 0
    print('chainer suite ({} parts): {:.1f} % of {} collected-minus-excluded pass; '
          '{} skipped by the suite itself; {} excluded ({:.1f} % of collected)'.format(
              len(rows), rate, fair, total['skipped'], total['excluded'], share))
    print('= {} failed, {} passed, {} skipped, {} errors, {} excluded in {:.0f}s ='
          .format(total['failed'], total['passed'], total['skipped'], total['error'],
                  total['excluded'], time.monotonic() - start))
    return 0


if __name__ == '__main__':
    sys.exit(main())
