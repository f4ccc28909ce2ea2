"""``export(check=True)``: run the exported model in ONNX Runtime and compare."""
import numpy

from kusari.onnx.errors import ExportError

__all__ = ['run_onnxruntime', 'check_outputs']


def run_onnxruntime(proto, inputs):
    """Run ``proto`` (a ModelProto or bytes) in ONNX Runtime on the CPU.

    Args:
        proto: the model.
        inputs (dict): ONNX input name -> NumPy array.

    Returns:
        list of arrays, one per graph output.
    """
    try:
        import onnxruntime
    except ImportError as e:
        raise ImportError('kusari.onnx: checking in ONNX Runtime needs onnxruntime: pip '
                          'install kusari-onnx[check]') from e
    data = proto if isinstance(proto, bytes) else proto.SerializeToString()
    opts = onnxruntime.SessionOptions()
    opts.log_severity_level = 3
    sess = onnxruntime.InferenceSession(data, opts, providers=['CPUExecutionProvider'])
    return sess.run(None, dict(inputs))


def check_outputs(proto, named_inputs, named_outputs, rtol=1e-4, atol=1e-5):
    """Raise :class:`ExportError` if ONNX Runtime's outputs differ from kusari's."""
    got = run_onnxruntime(proto, named_inputs)
    for (name, var), y in zip(named_outputs.items(), got):
        want = numpy.asarray(var.array)
        if want.shape != y.shape or not numpy.allclose(y, want, rtol=rtol, atol=atol):
            err = numpy.max(numpy.abs(y - want)) if want.shape == y.shape else None
            raise ExportError(
                'kusari.onnx.export(check=True): output %s differs in ONNX Runtime: shape '
                '%s vs kusari %s, largest difference %s' % (name, y.shape, want.shape, err))
