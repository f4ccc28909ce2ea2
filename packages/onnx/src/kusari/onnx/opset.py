"""Which opsets kusari.onnx writes."""
import functools

import onnx
from onnx import helper

from kusari.onnx.errors import ExportError

__all__ = ['MIN_OPSET', 'MAX_OPSET', 'DEFAULT_OPSET', 'default_opset', 'resolve',
           'ir_version']

#: The oldest default-domain opset the converters support.
MIN_OPSET = 13
# The newest opset every converter was checked against in ONNX Runtime (1.31/1.32).
_TESTED = 28
#: The newest opset supported here: the tested one, or the installed onnx's if older.
MAX_OPSET = min(_TESTED, onnx.defs.onnx_opset_version())
#: What ``export(opset_version=None)`` writes when ONNX Runtime accepts it (else
#: :func:`default_opset` steps down to what the installed ONNX Runtime loads).
DEFAULT_OPSET = MAX_OPSET


@functools.lru_cache(maxsize=None)
def default_opset():
    """The newest opset that both the installed onnx and, when it is installed, ONNX
    Runtime support (ONNX Runtime is asked once, with a one-node model per opset)."""
    try:
        import onnxruntime
    except ImportError:
        return DEFAULT_OPSET
    x = helper.make_tensor_value_info('x', onnx.TensorProto.FLOAT, [1])
    y = helper.make_tensor_value_info('y', onnx.TensorProto.FLOAT, [1])
    opts = onnxruntime.SessionOptions()
    opts.log_severity_level = 4
    for v in range(MAX_OPSET, MIN_OPSET - 1, -1):
        g = helper.make_graph([helper.make_node('Relu', ['x'], ['y'])], 'probe', [x], [y])
        m = helper.make_model(g, opset_imports=[helper.make_opsetid('', v)])
        m.ir_version = ir_version(v)
        try:
            onnxruntime.InferenceSession(m.SerializeToString(), opts,
                                         providers=['CPUExecutionProvider'])
            return v
        except Exception:  # noqa: BLE001  (this runtime does not load that opset)
            continue
    return MIN_OPSET


def resolve(opset_version):
    """The opset to write for ``opset_version`` (None: :func:`default_opset`)."""
    if opset_version is None:
        return default_opset()
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
