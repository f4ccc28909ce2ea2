"""``export_testcase``: a model plus its input and output tensors, as ONNX's test cases."""
import os

import numpy
from onnx import numpy_helper

from kusari.onnx.errors import ExportError
from kusari.onnx.export import _atomic_write, export

__all__ = ['export_testcase']


def export_testcase(model, args, out_dir, output_grad=False, **kwargs):
    """Export ``model`` and one test case (onnx-chainer's ``export_testcase``).

    Writes ``out_dir/model.onnx`` and ``out_dir/test_data_set_0/input_<i>.pb`` and
    ``output_<i>.pb`` (TensorProtos named as the graph's inputs and outputs).  With
    ``export_params=False`` the parameters are written as inputs after the model's
    own.

    Args:
        model, args: as :func:`kusari.onnx.export`.
        out_dir (str): the directory (created if missing).
        output_grad (bool): not supported (gradients are not exported); must be False.
        **kwargs: the other arguments of :func:`kusari.onnx.export`.

    Returns:
        onnx.ModelProto: the exported model.
    """
    if output_grad:
        raise ExportError('kusari.onnx.export_testcase: output_grad=True is not '
                          'supported (kusari.onnx exports inference graphs only)')
    if 'filename' in kwargs or 'return_named_inout' in kwargs:
        raise ExportError('kusari.onnx.export_testcase: filename and return_named_inout '
                          'are set by export_testcase itself')
    os.makedirs(out_dir, exist_ok=True)
    proto, named_in, named_out = export(
        model, args, filename=os.path.join(out_dir, 'model.onnx'),
        return_named_inout=True, **kwargs)
    data_dir = os.path.join(out_dir, 'test_data_set_0')
    os.makedirs(data_dir, exist_ok=True)
    inputs = list(named_in.items())
    if not kwargs.get('export_params', True):
        inits = {i.name for i in proto.graph.initializer}
        given = set(named_in)
        params = {p: v for p, v in _param_arrays(model)}
        for vi in proto.graph.input:
            if vi.name not in given and vi.name not in inits and vi.name in params:
                inputs.append((vi.name, params[vi.name]))
    for i, (name, arr) in enumerate(inputs):
        _write_tensor(os.path.join(data_dir, 'input_%d.pb' % i), arr, name)
    for i, (name, var) in enumerate(named_out.items()):
        _write_tensor(os.path.join(data_dir, 'output_%d.pb' % i), var.array, name)
    return proto


def _param_arrays(model):
    if hasattr(model, 'namedparams'):
        for path, p in model.namedparams():
            if p.array is not None:
                yield path, p.array


def _write_tensor(path, arr, name):
    t = numpy_helper.from_array(numpy.array(arr, order="C"), name)
    _atomic_write(path, t.SerializeToString())
