"""The README's converter table is generated and current; every converter is tested."""
import os
import subprocess
import sys

from kusari.onnx import registered_converters

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, '..', 'tools', 'converter_table.py')


def test_converter_table_in_readme_is_current():
    r = subprocess.run([sys.executable, TOOL, '--check'], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_registered_class_exists_in_kusari():
    import importlib
    for c in registered_converters():
        module, _, cls = c.key.rpartition('.')
        mod = importlib.import_module(module)
        assert hasattr(mod, cls), c.key
