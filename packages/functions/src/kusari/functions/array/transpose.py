"""``transpose`` lives in the core (``Variable.T`` needs it); re-exported here."""
from kusari import _core

Transpose = _core.Transpose
transpose = _core.transpose
