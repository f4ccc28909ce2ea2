"""Developer tasks.  ``pip install nox`` then ``nox -l`` to list them.

    nox -s tests        every package's tests in one virtualenv (fast inner loop)
    nox -s lint         ruff over the sources, tests and scripts
    nox -s bench        the project's benchmark suite, compared with the stored baseline
    nox -s compare      ../shared/bench/compare.py against PyTorch (needs torch, see README)
    nox -s demo         the README's demo
    nox -s build        sdists and wheels of every package into dist/
    nox -s docs         the Sphinx documentation, warnings as errors

The CI matrix (package x NumPy version) is tox's: ``tox -m ci``.
"""
import glob
import os

import nox

nox.options.sessions = ['tests', 'lint']
nox.options.reuse_existing_virtualenvs = True

TOP = os.path.dirname(os.path.abspath(__file__))
# every folder of packages/ with a pyproject.toml is a distribution (core first)
PACKAGES = sorted((d for d in os.listdir(os.path.join(TOP, 'packages'))
                   if os.path.isfile(os.path.join(TOP, 'packages', d, 'pyproject.toml'))),
                  key=lambda d: (d != 'core', d))


def _install_kusari(session, packages=PACKAGES):
    session.install('numpy', 'scipy', 'h5py', 'pytest', 'scikit-learn', 'onnx', 'onnxruntime',
                    'matplotlib', 'tqdm', 'Pillow', 'psutil', 'pytest-timeout')
    session.run('python', 'tools/wheelhouse.py', *packages)


@nox.session(python='3.11')
def tests(session):
    """Run every package's tests (and doctests) against freshly built wheels."""
    _install_kusari(session)
    site = session.run('python', '-c', 'import kusari, os; '
                       'print(os.path.dirname(kusari.__file__))', silent=True).strip()
    session.run('pytest', *[f'packages/{p}/tests' for p in PACKAGES], site,
                '--doctest-modules', '-q', *session.posargs)


@nox.session(python='3.11')
def lint(session):
    """ruff check over everything in the repository."""
    session.install('ruff')
    session.run('ruff', 'check', 'packages', 'tools', 'noxfile.py', 'benchmarks',
                'examples', 'tests', 'docs/conf.py', *session.posargs)


@nox.session(python='3.11')
def bench(session):
    """The benchmark suite (pytest-benchmark), compared with benchmarks/baseline.json."""
    _install_kusari(session)
    session.install('pytest-benchmark')
    session.run('python', 'benchmarks/run.py', *session.posargs)


@nox.session(python='3.11')
def compare(session):
    """../shared/bench/compare.py: kusari against PyTorch eager and the NumPy floor."""
    _install_kusari(session)
    torch_py = os.environ.get('TORCH_PYTHON', '/tmp/torch-venv/bin/python')
    session.run('python', os.path.join(TOP, '..', 'shared', 'bench', 'compare.py'),
                '--torch-python', torch_py, *session.posargs)


@nox.session(python='3.11')
def demo(session):
    """The README's demo."""
    _install_kusari(session)
    session.install('scikit-learn')
    session.run('python', 'examples/mlp_digits.py', *session.posargs)


@nox.session(python='3.11')
def build(session):
    """sdists and wheels of every package into dist/."""
    session.install('build')
    for p in PACKAGES:
        session.run('python', '-m', 'build', '--outdir', 'dist', f'packages/{p}')
    session.log('built: ' + ', '.join(sorted(os.path.basename(f)
                                              for f in glob.glob('dist/*'))))


@nox.session(python='3.11')
def docs(session):
    """Build the Sphinx docs with warnings as errors."""
    _install_kusari(session)
    session.install('sphinx', 'scikit-learn', 'h5py')
    session.run('sphinx-build', '-W', '--keep-going', '-b', 'html', 'docs', 'docs/_build/html')
    session.run('sphinx-build', '-W', '--keep-going', '-b', 'doctest', 'docs',
                'docs/_build/doctest')
