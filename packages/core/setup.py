"""Build the Cython extensions of kusari-core (metadata lives in pyproject.toml)."""
import os

from Cython.Build import cythonize
from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join("src", "kusari")

extensions = [
    Extension("kusari._core", [os.path.join(SRC, "_core.pyx")]),
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
