"""Fit a small model with kusari-core alone: Parameters, operators, a hand-written update.

A two-layer network with a tanh-free nonlinearity written from operators
(``h * h``) fits y = sin(3x) + noise by full-batch gradient descent; the loss printed
every 100 steps falls.

    python examples/core_demo.py [--steps 600] [--lr 0.05]
"""
import argparse

import numpy as np

import kusari as ch


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--steps', type=int, default=600, help='gradient steps')
    p.add_argument('--lr', type=float, default=0.05, help='learning rate')
    p.add_argument('--hidden', type=int, default=32, help='hidden units')
    a = p.parse_args()

    rng = np.random.RandomState(0)
    x = rng.uniform(-1, 1, (256, 1)).astype(np.float32)
    t = (np.sin(3 * x) + 0.05 * rng.randn(256, 1)).astype(np.float32)

    init = ch.initializers.HeNormal()
    params = {
        'W1': ch.Parameter(init, (1, a.hidden)),
        'b1': ch.Parameter(0.0, (a.hidden,)),
        'W2': ch.Parameter(init, (a.hidden, a.hidden)),
        'b2': ch.Parameter(0.0, (a.hidden,)),
        'W3': ch.Parameter(init, (a.hidden, 1)),
        'b3': ch.Parameter(0.0, (1,)),
    }

    def model(v):
        h = v @ params['W1'] + params['b1']
        h = h / (1.0 + abs(h))                      # softsign, from operators
        h = h @ params['W2'] + params['b2']
        h = h / (1.0 + abs(h))
        return h @ params['W3'] + params['b3']

    first = None
    for step in range(a.steps + 1):
        d = model(ch.Variable(x)) - t
        loss = (d * d).reshape(-1) @ np.full(len(x), 1.0 / len(x), np.float32)
        for prm in params.values():
            prm.cleargrad()
        loss.backward()
        for prm in params.values():
            prm.array -= a.lr * prm.grad             # the hand-written update
        first = loss.item() if first is None else first
        if step % 100 == 0:
            print(f'step {step:4d}  loss {loss.item():.5f}')
    print(f'loss fell from {first:.4f} to {loss.item():.4f}')


if __name__ == '__main__':
    main()
