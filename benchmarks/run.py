"""Run the benchmark suite (benchmarks/suite, pytest-benchmark) and compare it with a
stored baseline.

    python benchmarks/run.py                    # run, write benchmarks/.benchmarks/,
                                                # compare with benchmarks/baseline.json
    python benchmarks/run.py --save-baseline    # run and store the result as the baseline
    python benchmarks/run.py -k optimizers      # a subset (pytest -k expression)
    python benchmarks/run.py --compare-only results.json   # compare a stored run

A benchmark regresses when its time grows by more than ``--threshold`` (10 %) over the
baseline; the exit status is 1 when any does.  The statistic compared is the minimum
over the rounds by default (the least sensitive to other load on the machine); see
``--stat``.  BLAS runs single-threaded unless ``--threads`` is given, so that runs are
comparable.  Without an installed kusari the source tree's packages are used.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SUITE = os.path.join(HERE, 'suite')
BASELINE = os.path.join(HERE, 'baseline.json')
RESULTS = os.path.join(HERE, '.benchmarks', 'results.json')   # git-ignored


def _env(threads):
    env = dict(os.environ)
    if not threads:
        for k in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
            env.setdefault(k, '1')
    probe = subprocess.run([sys.executable, '-c', 'import kusari.functions'],
                           capture_output=True, env=env)
    if probe.returncode != 0:
        src = [os.path.join(ROOT, 'packages', p, 'src')
               for p in ('core', 'functions', 'links', 'optimizers', 'serializers')]
        src = [p for p in src if os.path.isdir(p)]
        env['PYTHONPATH'] = os.pathsep.join(src + [env.get('PYTHONPATH', '')]).rstrip(
            os.pathsep)
    return env


def run_suite(out, select=None, threads=False, max_time=0.1, extra=()):
    """Run the suite with pytest-benchmark, writing its JSON report to ``out``."""
    cmd = [sys.executable, '-m', 'pytest', SUITE, '-q', '-p', 'no:cacheprovider',
           '--benchmark-only', '--benchmark-json=' + out,
           '--benchmark-max-time=%g' % max_time, '--benchmark-min-rounds=5',
           '--benchmark-disable-gc', '--benchmark-columns=min,median,rounds',
           '--benchmark-sort=name']
    if select:
        cmd += ['-k', select]
    cmd += list(extra)
    return subprocess.run(cmd, env=_env(threads), cwd=ROOT).returncode


def load(path):
    """``{benchmark fullname: stats dict}`` of a pytest-benchmark JSON report."""
    with open(path) as f:
        data = json.load(f)
    return {b['fullname']: b['stats'] for b in data['benchmarks']}


def compare(new, old, stat='min', threshold=0.10):
    """Rows ``(name, old, new, ratio)`` of the benchmarks present in both runs, and the
    names only in one of them."""
    rows = []
    for name in sorted(set(new) & set(old)):
        a, b = old[name][stat], new[name][stat]
        rows.append((name, a, b, b / a if a > 0 else float('inf')))
    regressions = [r for r in rows if r[3] > 1 + threshold]
    improvements = [r for r in rows if r[3] < 1 / (1 + threshold)]
    return rows, regressions, improvements, sorted(set(new) - set(old)), sorted(
        set(old) - set(new))


def _fmt(t):
    for unit, scale in (('s', 1), ('ms', 1e-3), ('us', 1e-6)):
        if t >= scale:
            return '%.3g %s' % (t / scale, unit)
    return '%.3g ns' % (t * 1e9)


def report(new_path, base_path, stat, threshold):
    if not os.path.exists(base_path):
        print('no baseline at %s: run with --save-baseline to store one' % base_path)
        return 0
    rows, reg, imp, added, gone = compare(load(new_path), load(base_path), stat,
                                          threshold)
    print('\n%d benchmarks compared with %s (%s, threshold %d %%)'
          % (len(rows), os.path.relpath(base_path), stat, round(threshold * 100)))
    for title, sel in (('REGRESSIONS', reg), ('improvements', imp)):
        if sel:
            print('%s (%d):' % (title, len(sel)))
            for name, a, b, r in sorted(sel, key=lambda r: -r[3]):
                print('  %-70s %10s -> %10s  x%.2f' % (name[-70:], _fmt(a), _fmt(b), r))
    if added:
        print('new (not in the baseline): %d' % len(added))
    if gone:
        print('missing (in the baseline only): %d' % len(gone))
    if not reg:
        print('no regression over %d %%' % round(threshold * 100))
    return 1 if reg else 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--save-baseline', action='store_true',
                   help='store this run as %s' % os.path.relpath(BASELINE))
    p.add_argument('--baseline', default=BASELINE, help='baseline JSON to compare with')
    p.add_argument('--json', default=RESULTS, help='where to write this run (JSON)')
    p.add_argument('--compare-only', metavar='JSON',
                   help='do not run: compare this stored run with the baseline')
    p.add_argument('-k', dest='select', help='pytest -k expression (a subset)')
    p.add_argument('--threshold', type=float, default=0.10,
                   help='relative slowdown counted as a regression (default 0.10)')
    p.add_argument('--stat', default='min', choices=('min', 'median', 'mean'),
                   help='statistic compared (default min)')
    p.add_argument('--max-time', type=float, default=0.1,
                   help='seconds per benchmark (pytest-benchmark --benchmark-max-time)')
    p.add_argument('--threads', action='store_true',
                   help='leave the BLAS/OpenMP thread count as the environment sets it')
    a = p.parse_args(argv)
    if a.compare_only:
        return report(a.compare_only, a.baseline, a.stat, a.threshold)
    out = a.baseline if a.save_baseline else a.json
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    rc = run_suite(out, a.select, a.threads, a.max_time)
    if rc != 0:
        print('the benchmark suite failed (pytest exit status %d)' % rc)
        return rc
    if a.save_baseline:
        print('baseline stored in %s' % os.path.relpath(out))
        return 0
    return report(out, a.baseline, a.stat, a.threshold)


if __name__ == '__main__':
    sys.exit(main())
