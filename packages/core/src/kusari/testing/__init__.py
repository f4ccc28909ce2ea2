"""Testing utilities (``chainer.testing``).

* :func:`assert_allclose`: elementwise closeness of Variables / NumPy / CuPy arrays
  with an informative failure message.
* :mod:`~kusari.testing.attr`: pytest markers (``attr.gpu``, ``attr.slow``, ...).
* :func:`parameterize`, :func:`parameterize_pytest`, :func:`product`,
  :func:`product_dict`: parameterized test classes.
* :func:`inject_backend_tests`, :class:`BackendConfig`: one test per backend.
* :class:`FunctionTestCase`, :class:`LinkTestCase`,
  :class:`LinkInitializersTestCase`, :class:`InitializerArgument`: test-case
  bases for functions and links; :func:`unary_math_function_unittest`.
* :func:`assert_warns`, :func:`patch`, :func:`with_requires`,
  :func:`without_requires`: helpers.
* :func:`fix_random`, :mod:`~kusari.testing.condition` (``repeat``, ``retry``,
  ``repeat_with_success_at_least``), :func:`generate_matrix`,
  :func:`save_and_load` (``_npz``, ``_hdf5``), :func:`run_module`,
  :class:`distribution_unittest` (distributions against SciPy).
"""
from kusari.testing import attr  # NOQA
from kusari.testing import backend  # NOQA
from kusari.testing import condition  # NOQA
from kusari.testing.array import assert_allclose  # NOQA
from kusari.testing.backend import BackendConfig  # NOQA
from kusari.testing.backend import inject_backend_tests  # NOQA
from kusari.testing.distribution_test import distribution_unittest  # NOQA
from kusari.testing.function_link import FunctionTestCase  # NOQA
from kusari.testing.function_link import FunctionTestError  # NOQA
from kusari.testing.function_link import InitializerArgument  # NOQA
from kusari.testing.function_link import LinkInitializersTestCase  # NOQA
from kusari.testing.function_link import LinkTestCase  # NOQA
from kusari.testing.function_link import LinkTestError  # NOQA
from kusari.testing.helper import assert_warns  # NOQA
from kusari.testing.helper import patch  # NOQA
from kusari.testing.helper import with_requires  # NOQA
from kusari.testing.helper import without_requires  # NOQA
from kusari.testing.matrix import generate_matrix  # NOQA
from kusari.testing.parameterized import from_pytest_parameterize  # NOQA
from kusari.testing.parameterized import parameterize  # NOQA
from kusari.testing.parameterized import parameterize_pytest  # NOQA
from kusari.testing.parameterized import product  # NOQA
from kusari.testing.parameterized import product_dict  # NOQA
from kusari.testing.random import fix_random  # NOQA
from kusari.testing.random import generate_seed  # NOQA
from kusari.testing.serializer import save_and_load  # NOQA
from kusari.testing.serializer import save_and_load_hdf5  # NOQA
from kusari.testing.serializer import save_and_load_npz  # NOQA
from kusari.testing.unary_math_function_test import unary_math_function_unittest  # NOQA

__all__ = ['attr', 'backend', 'condition', 'assert_allclose', 'BackendConfig',
           'inject_backend_tests', 'distribution_unittest', 'FunctionTestCase', 'FunctionTestError',
           'InitializerArgument', 'LinkInitializersTestCase', 'LinkTestCase',
           'LinkTestError', 'assert_warns', 'patch', 'with_requires',
           'without_requires', 'generate_matrix', 'from_pytest_parameterize',
           'parameterize', 'parameterize_pytest', 'product', 'product_dict',
           'fix_random', 'generate_seed', 'save_and_load', 'save_and_load_hdf5',
           'save_and_load_npz', 'unary_math_function_unittest', 'run_module',
           'get_trainer_with_mock_updater']


def run_module(name, file):
    """Run the tests of the calling file when it is executed as a script.

    Test modules end with ``testing.run_module(__name__, __file__)``; on import
    (by pytest) it does nothing.

    Args:
        name: The module's ``__name__``.
        file: The module's ``__file__``.
    """
    if name == '__main__':
        import pytest
        pytest.main([file, '-vvs', '-x', '--pdb'])


# Chainer's module chainer.testing.training (kusari.testing.training is that module)
from kusari.testing.training import get_trainer_with_mock_updater  # noqa: E402,F401
