"""Every CUDA kernel that kusari ships compiles with NVRTC -- no GPU needed.

The kernels are declared at module level through ``kusari.backends.cuda``; importing
every module of every installed kusari distribution fills the registry, and each
entry is rendered to a complete translation unit and compiled for three
architectures with NVRTC called directly (CuPy's own compile helpers would ask the
device for its architecture).  Needs ``cupy-cuda12x`` and ``nvidia-cuda-nvrtc-cu12``.
"""
import importlib
import os
import pkgutil
import re

import pytest

pytest.importorskip('cupy_backends.cuda.libs.nvrtc',
                    reason='cupy-cuda12x and nvidia-cuda-nvrtc-cu12 are needed')

from kusari.backends import cuda, cuda_source  # noqa: E402

ARCHS = ['compute_70', 'compute_80', 'compute_90']
SUBPACKAGES = ['kusari.functions', 'kusari.links', 'kusari.link_hooks', 'kusari.optimizers',
               'kusari.optimizer_hooks', 'kusari.serializers', 'kusari.distributions']


def _import_everything():
    for name in SUBPACKAGES:
        try:
            pkg = importlib.import_module(name)
        except ImportError:
            continue
        for info in pkgutil.walk_packages(pkg.__path__, name + '.'):
            importlib.import_module(info.name)


_import_everything()
KERNELS = list(cuda.KERNELS)


def test_registry_is_not_empty():
    assert len(KERNELS) >= 10


def test_kernel_names_are_unique():
    names = [k.name for k in KERNELS]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


@pytest.mark.parametrize('arch', ARCHS)
@pytest.mark.parametrize('kernel', KERNELS, ids=[k.name for k in KERNELS])
def test_kernel_compiles(kernel, arch):
    for dtype in (('float', 'double') if kernel.kind != 'raw' else ('float',)):
        ptx = cuda_source.compile_source(cuda_source.render(kernel, dtype), kernel.name,
                                         arch)
        text = ptx.decode() if isinstance(ptx, bytes) else ptx
        assert '.entry' in text and kernel.name in text


def test_no_kernel_bypasses_the_registry():
    # CuPy kernel objects built directly would escape the compile check above.
    pattern = re.compile(r'\b(ElementwiseKernel|ReductionKernel|RawKernel|RawModule)\s*\(')
    offenders = []
    for name in ['kusari'] + SUBPACKAGES:
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        for root in mod.__path__:
            for dirpath, _, files in os.walk(root):
                for f in files:
                    if not f.endswith(('.py', '.pyx')):
                        continue
                    path = os.path.join(dirpath, f)
                    if path.endswith(os.path.join('backends', 'cuda.py')):
                        continue
                    with open(path, encoding='utf-8') as fh:
                        for lineno, line in enumerate(fh, 1):
                            if pattern.search(line) and not line.lstrip().startswith('#'):
                                offenders.append('%s:%d' % (path, lineno))
    assert not offenders, 'kernels built outside kusari.backends.cuda: %s' % offenders
