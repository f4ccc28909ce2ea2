"""Train the digits MLP, export it to ONNX and serve it with ONNX Runtime.

The three-layer perceptron of ``mlp_digits.py`` is trained on scikit-learn's 8x8
digits (shipped with scikit-learn, nothing is downloaded), exported with
``kusari.onnx.export`` with a dynamic batch axis, loaded into an ONNX Runtime session
(CPU execution provider) and run on the test set.  The script prints the test accuracy
of both frameworks (equal: the exported graph computes the same scores) and the time
per batch of kusari's forward (``train=False``, no graph) and of ONNX Runtime:

    python examples/export_onnx.py [--epochs 10] [--batchsize 32] [--out mlp.onnx]

Needs ``pip install kusari-onnx[check] scikit-learn``.
"""
import argparse
import statistics
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import kusari
import kusari.functions as F
import kusari.links as L
from kusari import onnx as konnx
from kusari import optimizers


class MLP(kusari.Chain):
    """64 -> n_units -> n_units -> 10 with ReLU in between."""

    def __init__(self, n_units=64, n_out=10):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(64, n_units)
            self.l2 = L.Linear(n_units, n_units)
            self.l3 = L.Linear(n_units, n_out)

    def forward(self, x):
        return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))


def train(model, x, t, epochs, batchsize, seed):
    opt = optimizers.Adam()
    opt.setup(model)
    rng = np.random.RandomState(seed)
    for epoch in range(epochs):
        order = rng.permutation(len(x))
        for i in range(0, len(x), batchsize):
            idx = order[i:i + batchsize]
            loss = model(x[idx], t[idx])
            model.cleargrads()
            loss.backward()
            opt.update()
        print('epoch %2d  loss %.4f' % (epoch + 1, float(loss.array)))


def per_batch(fn, x, batchsize, repeat=5):
    """Median over ``repeat`` passes of the mean time of ``fn`` on one batch."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = 0
        for i in range(0, len(x), batchsize):
            fn(x[i:i + batchsize])
            n += 1
        times.append((time.perf_counter() - t0) / n)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--epochs', type=int, default=10)
    p.add_argument('--batchsize', type=int, default=32)
    p.add_argument('--out', default='mlp_digits.onnx')
    p.add_argument('--seed', type=int, default=0)
    args = p.parse_args()

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    t = digits.target.astype(np.int32)
    x_train, x_test, t_train, t_test = train_test_split(
        x, t, test_size=0.25, random_state=args.seed, stratify=t)
    np.random.seed(args.seed)
    model = L.Classifier(MLP())
    train(model, x_train, t_train, args.epochs, args.batchsize, args.seed)

    # the Classifier is exported as its predictor: images in, scores out
    konnx.export(model, x_test[:1], args.out, input_names=['image'],
                 output_names=['scores'],
                 dynamic_axes={'image': {0: 'batch'}, 'scores': {0: 'batch'}})
    print('exported %s' % args.out)

    import onnxruntime
    sess = onnxruntime.InferenceSession(args.out, providers=['CPUExecutionProvider'])

    def kusari_scores(xb):
        with kusari.using_config('train', False), kusari.no_backprop_mode():
            return model.predictor(xb).array

    def ort_scores(xb):
        return sess.run(None, {'image': xb})[0]

    y_k = kusari_scores(x_test)
    y_o = ort_scores(x_test)
    acc_k = float((y_k.argmax(axis=1) == t_test).mean())
    acc_o = float((y_o.argmax(axis=1) == t_test).mean())
    print('largest score difference: %.2e' % float(np.abs(y_k - y_o).max()))
    print('kusari test accuracy:       %.4f' % acc_k)
    print('onnxruntime test accuracy:  %.4f' % acc_o)
    tk = per_batch(kusari_scores, x_test, args.batchsize)
    to = per_batch(ort_scores, x_test, args.batchsize)
    print('kusari forward per batch of %d:      %.1f us' % (args.batchsize, tk * 1e6))
    print('onnxruntime inference per batch of %d: %.1f us' % (args.batchsize, to * 1e6))


if __name__ == '__main__':
    main()
