"""Whole models exported and run in ONNX Runtime against kusari, at the exported batch
size and (with dynamic_axes) at another one."""
import os

import numpy
import pytest

import kusari
import kusari.links as L

import models
from onnx_testing import check, rand

DYN = {'Input_0': {0: 'batch'}, 'Output_0': {0: 'batch'}}


def test_mlp_any_batch():
    model = models.MLP()
    check(model, rand(4, 64), dynamic_axes=DYN,
          other_args=[rand(7, 64, seed=1), rand(1, 64, seed=2)], atol=1e-5)


def test_lenet_any_batch():
    model = models.LeNet()
    check(model, rand(2, 1, 28, 28), dynamic_axes=DYN,
          other_args=[rand(5, 1, 28, 28, seed=1)], atol=1e-5)


def test_resnet_batchnorm_running_statistics_any_batch():
    model = models.perturb_batchnorm(models.ResNet())
    proto = check(model, rand(2, 3, 16, 16), dynamic_axes=DYN,
                  other_args=[rand(3, 3, 16, 16, seed=1)], rtol=1e-4, atol=1e-5)
    names = {i.name for i in proto.graph.initializer}
    assert '/blocks/2/cs/W' in names and '/b0/gamma' in names


def test_resnet_train_mode_uses_batch_statistics():
    model = models.perturb_batchnorm(models.ResNet())
    x = rand(4, 3, 8, 8)
    check(model, x, train=True, rtol=1e-4, atol=1e-4)


def test_transformer_any_batch():
    model = models.Encoder()
    x = numpy.random.RandomState(0).randint(0, 50, (2, 7)).astype(numpy.int32)
    x2 = numpy.random.RandomState(1).randint(0, 50, (5, 7)).astype(numpy.int32)
    check(model, x, dynamic_axes=DYN, other_args=[x2], rtol=1e-4, atol=1e-5)


def test_transformer_encoder_layer_link():
    model = models.Encoder(layer=lambda d, h, f: L.TransformerEncoderLayer(d, h, f))
    x = numpy.random.RandomState(0).randint(0, 50, (3, 6)).astype(numpy.int32)
    x2 = numpy.random.RandomState(1).randint(0, 50, (4, 6)).astype(numpy.int32)
    check(model, x, dynamic_axes=DYN, other_args=[x2], rtol=1e-4, atol=1e-5)


def test_lstm_language_model_unrolled_10_steps_any_batch():
    model = models.RNNLM()
    x = numpy.random.RandomState(0).randint(0, 30, (3, 10)).astype(numpy.int32)
    x2 = numpy.random.RandomState(1).randint(0, 30, (6, 10)).astype(numpy.int32)
    check(model, x, dynamic_axes=DYN, other_args=[x2], rtol=1e-5, atol=1e-5)


def test_nstep_lstm_variable_length():
    model = models.NStepTagger()
    xs = [rand(5, 5, seed=0), rand(3, 5, seed=1), rand(2, 5, seed=2)]
    check(model, xs, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('link', ['NStepGRU', 'NStepBiLSTM', 'NStepRNNTanh'])
def test_other_nstep_rnns_variable_length(link):
    rnn = getattr(L, link)(2, 5, 4, 0.0)
    xs = [rand(4, 5, seed=0), rand(4, 5, seed=1), rand(1, 5, seed=2)]

    class M(kusari.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.rnn = rnn

        def forward(self, *xs):
            out = self.rnn(None, list(xs)) if 'LSTM' not in link else \
                self.rnn(None, None, list(xs))
            return [out[0]] + list(out[-1])
    check(M(), xs, rtol=1e-5, atol=1e-5)


def test_classifier_exports_the_predictor():
    clf = L.Classifier(models.MLP())
    x = rand(3, 64)
    proto = check(clf, x, dynamic_axes=DYN, other_args=[rand(2, 64, seed=3)], atol=1e-5)
    names = [i.name for i in proto.graph.initializer]
    assert '/predictor/l1/W' in names
    assert proto.graph.output[0].type.tensor_type.shape.dim[1].dim_value == 10


def _workloads():
    path = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'shared',
                        'bench', 'workloads.py')
    path = os.path.normpath(path)
    if not os.path.exists(path):
        pytest.skip('../shared/bench/workloads.py is absent')
    src = open(path, encoding='utf-8').read()
    src = src.replace('args = p.parse_args()', 'args = p.parse_args([])')
    src = src[:src.index('\nW = {')]
    ns = {'__name__': 'workloads'}
    exec(compile(src, path, 'exec'), ns)  # the model classes only; nothing runs
    return ns


@pytest.mark.parametrize('name', ['MLP', 'LeNet', 'ResNet', 'Encoder'])
def test_bench_workload_models(name):
    ns = _workloads()
    rng = numpy.random.RandomState(0)
    if name == 'MLP':
        model, x, x2 = ns['MLP'](64, 32, 10), rand(4, 64), rand(6, 64, seed=1)
    elif name == 'LeNet':
        model, x, x2 = ns['LeNet'](), rand(2, 1, 28, 28), rand(3, 1, 28, 28, seed=1)
    elif name == 'ResNet':
        model = models.perturb_batchnorm(ns['ResNet']())
        x, x2 = rand(2, 3, 32, 32), rand(3, 3, 32, 32, seed=1)
    else:
        model = ns['Encoder']()
        x = rng.randint(0, 1000, (2, 16)).astype(numpy.int32)
        x2 = rng.randint(0, 1000, (3, 16)).astype(numpy.int32)
    check(L.Classifier(model), x, dynamic_axes=DYN, other_args=[x2], rtol=1e-4,
          atol=1e-4)


def test_transformer_any_batch_and_length():
    model = models.Encoder()
    rng = numpy.random.RandomState(0)
    x = rng.randint(0, 50, (2, 7)).astype(numpy.int32)
    dyn = {'Input_0': {0: 'batch', 1: 'length'}, 'Output_0': {0: 'batch'}}
    proto = check(model, x, dynamic_axes=dyn, rtol=1e-4, atol=1e-5,
                  other_args=[rng.randint(0, 50, (n, t)).astype(numpy.int32)
                              for n, t in ((3, 5), (1, 12), (4, 4))])
    dims = proto.graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param for d in dims] == ['batch', 'length']
