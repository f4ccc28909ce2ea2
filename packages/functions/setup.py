"""Build the Cython kernels of kusari-functions (metadata lives in pyproject.toml).

Every ``.pyx`` file under ``src/kusari/functions`` becomes an extension module named by
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
    for path in sorted(glob.glob(os.path.join(SRC, "kusari", "functions", "**", "*.pyx"),
                                 recursive=True)):
        rel = os.path.relpath(path, SRC)
        name = os.path.splitext(rel)[0].replace(os.sep, ".")
        # -fno-trapping-math lets GCC if-convert the float selects of _vecmath.h's
        # loops into SIMD blends (no kernel relies on floating-point traps)
        exts.append(Extension(name, [os.path.relpath(path, HERE)],
                              # NumPy's C API: the small-array fast paths (built against
                              # NumPy 2 headers, the modules run on NumPy >= 1.23)
                              include_dirs=[SRC, numpy.get_include()],
                              define_macros=[("NPY_NO_DEPRECATED_API",
                                              "NPY_1_7_API_VERSION")],
                              extra_compile_args=["-O3", "-fno-trapping-math"]))
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
