"""kusari.onnx: export time, and ONNX Runtime inference beside kusari's own forward.

    python benchmarks/onnx_export.py [--repeat 5] [--threads 1]

For the ResNet-14 (batch 32 of 3x32x32) and the Transformer encoder classifier (batch
16 of 64 tokens) of ../shared/bench/workloads.py (or the same architectures from
packages/onnx/tests/models.py when that file is absent), prints one JSON line each:
the median seconds of ``kusari.onnx.export`` (with a dynamic batch axis), of one
kusari forward with ``train=False`` and ``enable_backprop=False``, and of one ONNX
Runtime run (CPU execution provider, ``--threads`` intra-op threads) of the exported
model, on the same input.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import numpy as np

import kusari
from kusari import onnx as konnx

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_models():
    path = os.path.join(os.path.dirname(TOP), 'shared', 'bench', 'workloads.py')
    if os.path.exists(path):
        src = open(path, encoding='utf-8').read()
        src = src.replace('args = p.parse_args()', 'args = p.parse_args([])')
        src = src[:src.index('\nW = {')]
        ns = {'__name__': 'workloads'}
        exec(compile(src, path, 'exec'), ns)  # class definitions only
        return 'workloads.py', ns['ResNet'], ns['Encoder']
    sys.path.insert(0, os.path.join(TOP, 'packages', 'onnx', 'tests'))
    import models
    return 'tests/models.py', lambda: models.ResNet(16), \
        lambda: models.Encoder(1000, 128, 4, 512, 10)


def median_time(fn, repeat):
    fn()
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--repeat', type=int, default=5)
    p.add_argument('--threads', type=int, default=1)
    a = p.parse_args()
    import onnxruntime
    source, resnet, encoder = load_models()
    rng = np.random.RandomState(0)
    cases = [('resnet14', resnet(), rng.rand(32, 3, 32, 32).astype(np.float32)),
             ('transformer', encoder(),
              rng.randint(0, 1000, (16, 64)).astype(np.int32))]
    for name, model, x in cases:
        dyn = {'Input_0': {0: 'batch'}, 'Output_0': {0: 'batch'}}
        t_export = median_time(lambda: konnx.export(model, x[:1], dynamic_axes=dyn),
                               a.repeat)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'm.onnx')
            konnx.export(model, x[:1], path, dynamic_axes=dyn)
            opts = onnxruntime.SessionOptions()
            opts.intra_op_num_threads = a.threads
            sess = onnxruntime.InferenceSession(path, opts,
                                                providers=['CPUExecutionProvider'])

        def kusari_forward():
            with kusari.using_config('train', False), \
                    kusari.using_config('enable_backprop', False):
                return model(x).array

        t_kusari = median_time(kusari_forward, a.repeat)
        t_ort = median_time(lambda: sess.run(None, {'Input_0': x}), a.repeat)
        diff = float(np.abs(kusari_forward() - sess.run(None, {'Input_0': x})[0]).max())
        print(json.dumps({'model': name, 'source': source, 'batch': int(x.shape[0]),
                          'export_s': round(t_export, 4),
                          'kusari_forward_s': round(t_kusari, 5),
                          'onnxruntime_s': round(t_ort, 5),
                          'ort_threads': a.threads, 'max_abs_diff': diff}))
        sys.stdout.flush()


if __name__ == '__main__':
    main()
