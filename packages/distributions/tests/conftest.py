"""Make the shared helpers of the kusari-distributions tests importable (``_dist_cases``)."""
import os
import sys

import pytest

pytest.importorskip('scipy', reason='scipy.stats is the reference of these tests')

_here = os.path.dirname(os.path.abspath(__file__))
if _here not in sys.path:
    sys.path.insert(0, _here)
