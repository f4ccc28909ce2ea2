"""Build kusari's wheels once per source state, and install them into this interpreter.

    python tools/wheelhouse.py core functions          # build if needed, then install
    python tools/wheelhouse.py --build-only core ...

Wheels land in ``.wheelhouse/<python tag>/<package>-<source hash>/``: a wheel is rebuilt
only when a file of its package changed, and parallel tox environments share the work
(a file lock serializes the builds).  The kusari packages are installed with
``--no-deps`` so that pip never looks for them on a package index; their third-party
dependencies come from the tox environment's ``deps``.
"""
import argparse
import fcntl
import glob
import hashlib
import os
import subprocess
import sys
import sysconfig

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# every folder of packages/ with a pyproject.toml is a distribution (core first)
PACKAGES = tuple(sorted(
    (d for d in os.listdir(os.path.join(TOP, 'packages'))
     if os.path.isfile(os.path.join(TOP, 'packages', d, 'pyproject.toml'))),
    key=lambda d: (d != 'core', d)))
SKIP_DIRS = {'__pycache__', 'build', 'dist', '.pytest_cache'}
SKIP_EXT = ('.so', '.pyd', '.c', '.cpp', '.html', '.pyc')


def source_hash(pkg):
    root = os.path.join(TOP, 'packages', pkg)
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in SKIP_DIRS and not d.endswith('.egg-info')
                             and d != 'tests')
        for name in sorted(filenames):
            if name.endswith(SKIP_EXT):
                continue
            path = os.path.join(dirpath, name)
            h.update(os.path.relpath(path, root).encode())
            with open(path, 'rb') as f:
                h.update(f.read())
    return h.hexdigest()[:16]


def wheel_dir(pkg):
    tag = 'cp%d%d' % sys.version_info[:2]
    return os.path.join(TOP, '.wheelhouse', tag, '%s-%s' % (pkg, source_hash(pkg)))


def build(pkg):
    out = wheel_dir(pkg)
    wheels = glob.glob(os.path.join(out, '*.whl'))
    if wheels:
        return wheels[0]
    os.makedirs(out, exist_ok=True)
    print('wheelhouse: building kusari-%s for %s' % (pkg, sysconfig.get_platform()),
          flush=True)
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '-q',
                    '--disable-pip-version-check', '-w', out,
                    os.path.join(TOP, 'packages', pkg)], check=True)
    return glob.glob(os.path.join(out, '*.whl'))[0]


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('packages', nargs='*', default=list(PACKAGES))
    p.add_argument('--build-only', action='store_true')
    a = p.parse_args()
    for pkg in a.packages:
        if pkg not in PACKAGES:
            p.error('unknown package %r (expected one of %s)' % (pkg, ', '.join(PACKAGES)))
    os.makedirs(os.path.join(TOP, '.wheelhouse'), exist_ok=True)
    with open(os.path.join(TOP, '.wheelhouse', '.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        wheels = [build(pkg) for pkg in a.packages]
    if not a.build_only:
        subprocess.run([sys.executable, '-m', 'pip', 'install', '--no-deps', '-q',
                        '--force-reinstall', '--disable-pip-version-check'] + wheels,
                       check=True)


if __name__ == '__main__':
    main()
