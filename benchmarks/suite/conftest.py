"""The benchmark suite needs pytest-benchmark; without it nothing here is collected.

Run it through ``python benchmarks/run.py`` (JSON output, baseline comparison) or
directly: ``python -m pytest benchmarks/suite --benchmark-only``.
"""
import importlib.util
import os
import sys

collect_ignore_glob = []
if importlib.util.find_spec('pytest_benchmark') is None:
    collect_ignore_glob.append('test_*.py')

# Make ``import _cases`` work under --import-mode=importlib.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
