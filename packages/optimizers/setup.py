"""Build the Cython kernels of kusari-optimizers (metadata lives in pyproject.toml).

Every ``.pyx`` file under ``src/kusari/optimizers`` becomes an extension module named by
its path, so adding a kernel needs no change here.
"""
import glob
import os

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")


def _extensions():
    exts = []
    for path in sorted(glob.glob(os.path.join(SRC, "kusari", "optimizers", "**", "*.pyx"),
                                 recursive=True)):
        rel = os.path.relpath(path, SRC)
        name = os.path.splitext(rel)[0].replace(os.sep, ".")
        exts.append(Extension(name, [os.path.relpath(path, HERE)],
                              # the kernels check their arrays with NumPy's C API
                              include_dirs=[numpy.get_include()],
                              define_macros=[("NPY_NO_DEPRECATED_API",
                                              "NPY_1_7_API_VERSION")],
                              # -fno-math-errno lets the compiler vectorize sqrt in the update loops
                              # (results are unchanged: only errno is no longer set);
                              # -ffp-contract=off: no fused multiply-adds where the target
                              # has them (ARM), so every platform rounds each operation as
                              # NumPy does and the kernels match the NumPy path bit for bit
                              extra_compile_args=["-O3", "-fno-math-errno",
                                                  "-ffp-contract=off"]))
    return exts


setup(
    # compile the extensions in parallel (CI machines have 2 cores)
    options={"build_ext": {"parallel": os.cpu_count() or 1}},
    ext_modules=cythonize(
        _extensions(),
        compiler_directives={"language_level": "3", "embedsignature": True},
        include_path=[SRC],
        nthreads=os.cpu_count() or 1,
    ),
)
