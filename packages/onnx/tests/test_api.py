"""export's arguments and guarantees, export_testcase, errors, layering."""
import os
import subprocess
import sys

import numpy
import onnx
import pytest
from onnx import numpy_helper

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import onnx as konnx

import models
from onnx_testing import Fn, check, rand, run_ort


def snapshot(model):
    out = {path: p.array.copy() for path, p in model.namedparams()}
    for path, link in model.namedlinks():
        if isinstance(link, L.BatchNormalization):
            out[path + '/avg_mean'] = link.avg_mean.copy()
            out[path + '/avg_var'] = link.avg_var.copy()
            out[path + '/N'] = link.N
    return out


@pytest.mark.parametrize('train', [False, True])
def test_export_never_changes_the_model(train):
    model = models.perturb_batchnorm(models.ResNet())
    lm = models.RNNLM()
    before, lm_before = snapshot(model), snapshot(lm)
    konnx.export(model, rand(2, 3, 8, 8), train=train,
                 dynamic_axes={'Input_0': [0]})
    konnx.export(lm, numpy.zeros((2, 4), numpy.int32), train=train)
    for a, b in ((before, snapshot(model)), (lm_before, snapshot(lm))):
        assert a.keys() == b.keys()
        for k in a:
            numpy.testing.assert_array_equal(a[k], b[k], err_msg=k)
    assert lm.lstm.h is None and lm.lstm.c is None


def test_parameters_are_initializers_named_by_link_path():
    clf = L.Classifier(models.MLP())
    proto = konnx.export(clf, rand(2, 64))
    inits = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}
    for path, p in clf.namedparams():
        numpy.testing.assert_array_equal(inits[path], p.array)
    assert [i.name for i in proto.graph.input] == ['Input_0']
    assert [o.name for o in proto.graph.output] == ['Output_0']


def test_export_params_false_makes_parameters_inputs():
    model = models.MLP()
    x = rand(2, 64)
    proto = konnx.export(model, x, export_params=False)
    onnx.checker.check_model(proto, full_check=True)
    assert not [i for i in proto.graph.initializer if i.name.startswith('/')]
    feeds = {'Input_0': x}
    feeds.update({p: v.array for p, v in model.namedparams()})
    y, = run_ort(proto, feeds)
    numpy.testing.assert_allclose(y, model(x).array, rtol=1e-5, atol=1e-6)


def test_names_graph_name_and_opset():
    model = Fn(lambda a, b: (F.relu(a) + b, a * b))
    proto = konnx.export(model, (rand(2, 3), rand(2, 3, seed=1)), graph_name='G',
                         input_names=['a', 'b'], output_names=['s', 'p'], opset_version=15)
    assert proto.graph.name == 'G'
    assert [i.name for i in proto.graph.input] == ['a', 'b']
    assert [o.name for o in proto.graph.output] == ['s', 'p']
    assert proto.opset_import[0].version == 15
    proto = konnx.export(model, (rand(2, 3), rand(2, 3, seed=1)),
                         input_names={'Input_1': 'bb'})
    assert [i.name for i in proto.graph.input] == ['Input_0', 'bb']
    assert proto.opset_import[0].version == konnx.default_opset() == konnx.DEFAULT_OPSET


def test_dict_inputs_and_outputs():
    class M(kusari.Chain):
        def forward(self, x, y):
            return {'sum': x + y, 'prod': x * y}
    x, y = rand(2, 3), rand(2, 3, seed=1)
    proto, ins, outs = konnx.export(M(), {'x': x, 'y': y}, return_named_inout=True)
    assert list(ins) == ['x', 'y'] and list(outs) == ['sum', 'prod']
    s, p = run_ort(proto, {'x': x, 'y': y})
    numpy.testing.assert_allclose(s, x + y)
    numpy.testing.assert_allclose(p, x * y)


def test_variable_inputs_and_passthrough_outputs():
    v = kusari.Variable(rand(2, 3), name='features')
    model = Fn(lambda x: (x, F.tanh(x), F.tanh(x)))
    proto = konnx.export(model, [v])
    assert proto.graph.input[0].name == 'features'
    a, b, c = run_ort(proto, {'features': v.array})
    numpy.testing.assert_array_equal(a, v.array)
    numpy.testing.assert_allclose(b, numpy.tanh(v.array), rtol=1e-6)


def test_filename_save_text_and_check(tmp_path):
    path = tmp_path / 'm.onnx'
    proto = konnx.export(models.MLP(), rand(2, 64), filename=str(path), save_text=True,
                         check=True)
    assert onnx.load(str(path)) == proto
    assert 'Gemm' in (tmp_path / 'm.onnx.txt').read_text()
    assert sorted(os.listdir(tmp_path)) == ['m.onnx', 'm.onnx.txt']  # no temp files left


def test_check_detects_a_wrong_converter():
    def wrong(ctx, node, inputs, outputs):
        ctx.op('Sigmoid', inputs, outputs=outputs)
    with pytest.raises(konnx.ExportError, match='differs in ONNX Runtime'):
        konnx.export(Fn(F.relu), rand(3, 4), check=True,
                     external_converters={'ReLU': wrong})


def test_export_testcase(tmp_path):
    model = models.MLP()
    x = rand(3, 64)
    konnx.export_testcase(model, x, str(tmp_path))
    proto = onnx.load(str(tmp_path / 'model.onnx'))
    onnx.checker.check_model(proto, full_check=True)
    t_in = onnx.TensorProto()
    t_in.ParseFromString((tmp_path / 'test_data_set_0' / 'input_0.pb').read_bytes())
    t_out = onnx.TensorProto()
    t_out.ParseFromString((tmp_path / 'test_data_set_0' / 'output_0.pb').read_bytes())
    assert t_in.name == 'Input_0' and t_out.name == 'Output_0'
    numpy.testing.assert_array_equal(numpy_helper.to_array(t_in), x)
    y, = run_ort(proto, {'Input_0': x})
    numpy.testing.assert_allclose(numpy_helper.to_array(t_out), y, rtol=1e-5, atol=1e-6)
    konnx.export_testcase(model, x, str(tmp_path / 'noparams'), export_params=False)
    names = []
    for f in sorted(os.listdir(tmp_path / 'noparams' / 'test_data_set_0')):
        t = onnx.TensorProto()
        t.ParseFromString((tmp_path / 'noparams' / 'test_data_set_0' / f).read_bytes())
        names.append(t.name)
    assert '/l1/W' in names and 'Input_0' in names


def test_unsupported_function_names_it_its_position_and_the_fix():
    model = Fn(lambda x: F.relu(F.cumprod(F.tanh(x), axis=1)))
    with pytest.raises(konnx.UnsupportedFunctionError) as e:
        konnx.export(model, rand(2, 3))
    msg = str(e.value)
    assert 'Cumprod' in msg and 'kusari.functions.math.cumulative.Cumprod' in msg
    assert 'function #2 of 3' in msg and 'test_api.py' in msg
    assert "external_converters={'Cumprod': fn}" in msg
    assert e.value.function_key == 'kusari.functions.math.cumulative.Cumprod'


def test_external_converter_and_opset_import():
    def cumprod(ctx, node, inputs, outputs):
        # log-free product for positive inputs: exp(cumsum(log x))
        ctx.op('Exp', [ctx.op('CumSum', [ctx.op('Log', inputs), ctx.const(
            numpy.asarray(node.axis, numpy.int64))])], outputs=outputs)
    model = Fn(lambda x: F.cumprod(x, axis=1))
    x = rand(2, 5, low=0.5, high=2.0)
    proto = check(model, x, rtol=1e-5, atol=1e-6,
                  external_converters={'kusari.functions.math.cumulative.Cumprod': cumprod},
                  external_opset_imports={'com.example': 1})
    assert ('com.example', 1) in [(o.domain, o.version) for o in proto.opset_import]


def test_bad_arguments():
    model = models.MLP()
    with pytest.raises(konnx.ExportError, match='opset_version'):
        konnx.export(model, rand(2, 64), opset_version=7)
    with pytest.raises(konnx.ExportError, match='NumPy array or a Variable'):
        konnx.export(model, 'x')
    with pytest.raises(konnx.ExportError, match='dynamic_axes names'):
        konnx.export(model, rand(2, 64), dynamic_axes={'nope': [0]})
    with pytest.raises(konnx.ExportError, match='input_names has 2 names'):
        konnx.export(model, rand(2, 64), input_names=['a', 'b'])
    with pytest.raises(konnx.ExportError, match='output_grad'):
        konnx.export_testcase(model, rand(2, 64), '/nonexistent', output_grad=True)


def test_graph_that_changes_with_batch_is_refused():
    model = Fn(lambda x: F.relu(x) if x.shape[0] < 3 else F.tanh(x))
    with pytest.raises(konnx.ExportError, match='change with the input values or the size'):
        konnx.export(model, rand(2, 3), dynamic_axes={'Input_0': [0]})


def test_import_does_not_import_functions_or_links():
    code = ('import sys, kusari.onnx; '
            'bad = [m for m in sys.modules if m.startswith(("kusari.functions", '
            '"kusari.links"))]; assert not bad, bad')
    subprocess.run([sys.executable, '-c', code], check=True)


def test_values_computed_outside_the_graph_are_refused():
    # F.floor has no gradient: its output is a constant to the graph, frozen at export
    model = Fn(lambda x: F.relu(x) * F.floor(x * 3))
    with pytest.raises(konnx.ExportError, match='outside the recorded graph'):
        konnx.export(model, rand(2, 3))
    model = Fn(lambda x: x + kusari.Variable(numpy.asarray(x.array.max()), requires_grad=False))
    with pytest.raises(konnx.ExportError, match='outside the recorded graph'):
        konnx.export(model, rand(2, 3))


def test_onnx_chainer_style_external_converters():
    # onnx-chainer's form: fn(params) returning NodeProtos; here overriding Sigmoid
    def as_tanh(params):
        return onnx.helper.make_node('Tanh', params.input_names, params.output_names),
    x = rand(2, 5)
    proto = konnx.export(Fn(F.sigmoid), x, external_converters={'Sigmoid': as_tanh})
    y, = run_ort(proto, {'Input_0': x})
    numpy.testing.assert_allclose(y, numpy.tanh(x), rtol=1e-6)

    class Dummy(kusari.FunctionNode):
        def forward(self, inputs):
            return numpy.ones_like(inputs[0]),

    def dummy(params):
        return onnx.helper.make_node('Dummy', params.input_names, params.output_names,
                                     domain='custom')
    proto = konnx.export(Fn(lambda v: Dummy().apply((v,))[0]), x,
                         external_converters={'Dummy': dummy},
                         external_opset_imports={'custom': 1})
    assert proto.graph.node[0].op_type == 'Dummy'
    assert proto.graph.node[0].domain == 'custom'
    onnx.checker.check_model(proto)


def test_export_is_deterministic_and_reachable_from_kusari():
    import kusari as k
    model = models.LeNet()
    x = rand(2, 1, 28, 28)
    a = k.onnx.export(model, x, dynamic_axes={'Input_0': [0]}).SerializeToString()
    b = konnx.export(model, x, dynamic_axes={'Input_0': [0]}).SerializeToString()
    assert a == b


def test_float64_and_int64():
    model = Fn(lambda x, i, W, E: F.linear(x, W) + F.sum(F.embed_id(i, E), axis=1),
               W=rand(3, 4, dtype=numpy.float64), E=rand(10, 3, dtype=numpy.float64))
    x = rand(5, 4, dtype=numpy.float64)
    i = numpy.arange(10, dtype=numpy.int64).reshape(5, 2)
    proto = check(model, (x, i), dynamic_axes={'Input_0': [0], 'Input_1': [0]},
                  other_args=[(rand(3, 4, dtype=numpy.float64, seed=2), i[:3])])
    assert proto.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.DOUBLE


@pytest.mark.gpu
def test_gpu_model_is_exported_from_a_cpu_copy():
    cupy = pytest.importorskip('cupy')
    model = models.MLP()
    x = rand(3, 64)
    want = model(x).array
    model.to_device('@cupy:0')
    proto = konnx.export(model, cupy.asarray(x))
    assert isinstance(model.l1.W.array, cupy.ndarray)  # the model stays on the GPU
    y, = run_ort(proto, {'Input_0': x})
    numpy.testing.assert_allclose(y, want, rtol=1e-5, atol=1e-6)
