"""Build the Cython extensions of kusari-core (metadata lives in pyproject.toml)."""
import os

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join("src", "kusari")

extensions = [
    # NumPy's C API serves the small-array fast paths (see _core.pyx); built against
    # NumPy 2 headers, the extension runs on NumPy >= 1.23.
    Extension("kusari._core", [os.path.join(SRC, "_core.pyx")],
              include_dirs=[numpy.get_include()],
              define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")]),
]

setup(
    ext_modules=cythonize(
        extensions,
        compiler_directives={
            "language_level": "3",
            "embedsignature": True,
        },
        include_path=[os.path.join(HERE, "src")],
    ),
)
