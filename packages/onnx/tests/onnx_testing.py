"""Shared checks of the kusari-onnx tests: export, validate, run in ONNX Runtime and
compare with kusari's own forward pass."""
import os

import numpy
import onnx
import pytest

import kusari
from kusari import onnx as konnx

ort = pytest.importorskip('onnxruntime')

# the opsets where some converter's mapping changes, and the default; KO_OPSETS=24,25
# runs others
OPSETS = sorted({konnx.MIN_OPSET, 17, 18, 20, 23, konnx.default_opset()})
if os.environ.get('KO_OPSETS'):
    OPSETS = [int(v) for v in os.environ['KO_OPSETS'].split(',')]


def run_ort(proto, feeds):
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    sess = ort.InferenceSession(proto.SerializeToString(), opts,
                                providers=['CPUExecutionProvider'])
    return sess.run(None, feeds)


def forward(model, args, train=False):
    """kusari's outputs as a list of arrays (inputs as export takes them)."""
    if hasattr(model, 'predictor') and hasattr(model, 'lossfun'):
        model = model.predictor  # what export does with a classifier
    with kusari.using_config('train', train):
        if isinstance(args, dict):
            out = model(**args)
        elif isinstance(args, (list, tuple)):
            out = model(*args)
        else:
            out = model(args)
    if isinstance(out, dict):
        out = list(out.values())
    if not isinstance(out, (list, tuple)):
        out = [out]
    return [numpy.asarray(o.array) for o in out]


def check(model, args, opset=None, rtol=1e-5, atol=1e-6, other_args=None, **kwargs):
    """Export ``model`` on ``args``, check the file, compare ONNX Runtime with kusari on
    ``args`` and on each of ``other_args`` (other batch sizes, with dynamic_axes)."""
    proto, named_in, named_out = konnx.export(
        model, args, opset_version=opset, return_named_inout=True, **kwargs)
    onnx.checker.check_model(proto, full_check=True)
    train = kwargs.get('train', False)
    for a in [args] + list(other_args or []):
        want = forward(model, a, train)
        if isinstance(a, dict):
            arrs = list(a.values())
        elif isinstance(a, (list, tuple)):
            arrs = list(a)
        else:
            arrs = [a]
        feeds = {n: numpy.asarray(getattr(x, 'array', x))
                 for n, x in zip(named_in, arrs)}
        got = run_ort(proto, feeds)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert g.shape == w.shape, (g.shape, w.shape)
            assert g.dtype == w.dtype, (g.dtype, w.dtype)
            numpy.testing.assert_allclose(g, w, rtol=rtol, atol=atol)
    return proto


class Fn(kusari.Chain):
    """A one-function model: ``fn(*inputs, *params)``."""

    def __init__(self, fn, **params):
        super().__init__()
        self.fn = fn
        self.names = list(params)
        with self.init_scope():
            for k, v in params.items():
                setattr(self, k, kusari.Parameter(v))

    def forward(self, *xs):
        xs = [x if isinstance(x, kusari.Variable) else kusari.Variable(x) for x in xs]
        return self.fn(*xs, *[getattr(self, k) for k in self.names])


def rand(*shape, seed=0, low=-1.0, high=1.0, dtype=numpy.float32):
    return numpy.random.RandomState(seed).uniform(low, high, shape).astype(dtype)
