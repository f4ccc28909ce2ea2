"""``reshape`` lives in the core (``Variable.reshape`` needs it); re-exported here."""
from kusari import _core

Reshape = _core.Reshape
reshape = _core.reshape
