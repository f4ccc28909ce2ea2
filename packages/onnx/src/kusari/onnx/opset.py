"""Which opsets kusari.onnx writes."""
import onnx
from onnx import helper

from kusari.onnx.errors import ExportError

__all__ = ['MIN_OPSET', 'MAX_OPSET', 'DEFAULT_OPSET', 'resolve', 'ir_version']

#: The oldest default-domain opset the converters support.
MIN_OPSET = 13
#: The newest opset the converters were checked against in ONNX Runtime (1.31/1.32).
_TESTED = 23
#: The newest opset supported here: the tested one, or the installed onnx's if older.
MAX_OPSET = min(_TESTED, onnx.defs.onnx_opset_version())
#: What ``export(opset_version=None)`` writes.
DEFAULT_OPSET = MAX_OPSET


def resolve(opset_version):
    """The opset to write for ``opset_version`` (None: the default)."""
    if opset_version is None:
        return DEFAULT_OPSET
    if not isinstance(opset_version, int) or isinstance(opset_version, bool) or \
            not MIN_OPSET <= opset_version <= MAX_OPSET:
        raise ExportError('kusari.onnx.export: opset_version must be an int from %d to %d '
                          '(the installed onnx %s supports up to %d), got %r'
                          % (MIN_OPSET, MAX_OPSET, onnx.__version__,
                             onnx.defs.onnx_opset_version(), opset_version))
    return opset_version


def ir_version(opset):
    """The oldest IR version that holds ``opset`` (what runtimes accept most widely)."""
    return helper.find_min_ir_version_for([helper.make_opsetid('', opset)])
