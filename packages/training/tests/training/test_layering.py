"""kusari.training imports only kusari-core, kusari-serializers and this package."""
import ast
import os

import kusari.training

ALLOWED = ('kusari.training', 'kusari.dataset', 'kusari.iterators', 'kusari.serializers')
CORE_PUBLIC = ('kusari', 'kusari.backend', 'kusari.configuration', 'kusari.reporter',
               'kusari.serializer', 'kusari.computational_graph', 'kusari.link',
               'kusari.variable')


def _imports(path):
    tree = ast.parse(open(path).read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            for a in node.names:
                yield node.module + '.' + a.name


def test_training_imports_only_core_serializers_and_itself():
    root = os.path.dirname(kusari.training.__file__)
    bad = []
    for dirpath, _, files in os.walk(root):
        for f in files:
            if not f.endswith('.py'):
                continue
            path = os.path.join(dirpath, f)
            for name in _imports(path):
                if not name.startswith('kusari'):
                    continue
                if name.startswith(ALLOWED) or name in CORE_PUBLIC or \
                        name.rsplit('.', 1)[0] in CORE_PUBLIC:
                    parts = name.split('.')
                    if any(p.startswith('_') for p in parts[1:]) and \
                            not name.startswith(('kusari.training', 'kusari.dataset',
                                                 'kusari.iterators')):
                        bad.append((path, name))
                    continue
                bad.append((path, name))
    assert not bad, bad
