"""Write your own differentiable function: a FunctionNode with forward, backward and
double backward, checked numerically and used as a robust regression loss.

The function is ``log_cosh(x) = log(cosh(x))`` elementwise.  Its derivative is
``tanh(x)`` and its second derivative ``1 - tanh(x)**2``.  It is written as two
FunctionNodes, the pattern of every function in kusari (and Chainer):

* ``LogCosh``: ``forward`` on arrays (a numerically stable formula), ``backward`` on
  Variables returning ``LogCoshGrad().apply((x, gy))``, i.e. a FunctionNode again;
* ``LogCoshGrad``: ``gx = gy * tanh(x)``, whose own ``backward`` is built from
  ``kusari.functions`` (``F.tanh``, products), so gradients of any order exist.

Both also define ``backward_array`` (the same formulas on plain arrays), which the
backward engine uses when double backprop is off.  The script then

1. compares the forward, first and second derivatives with the closed forms,
2. runs ``kusari.gradient_check.check_backward`` and ``check_double_backward`` (and
   shows that a node with a wrong backward is caught),
3. fits a line to data with outliers with the mean log-cosh loss and with the mean
   squared error: log-cosh, quadratic for small residuals but linear for large ones,
   recovers the true slope and intercept while the squared error is pulled away by
   the outliers.

    python examples/custom_function.py [--steps 400] [--outliers 0.2]
"""
import argparse
import sys

import numpy as np

import kusari as ch
import kusari.functions as F
from kusari import gradient_check
from kusari.utils import type_check


class LogCosh(ch.FunctionNode):
    """``y = log(cosh(x))`` elementwise, for a float array ``x`` of any shape."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        type_check.expect(in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        x, = inputs
        xp = ch.get_array_module(x)
        self.retain_inputs((0,))
        # log(cosh(x)) = |x| + log(1 + exp(-2|x|)) - log(2): no overflow for large |x|
        a = xp.abs(x)
        y = a + xp.log1p(xp.exp(-2 * a)) - x.dtype.type(np.log(2.0))
        return y,

    def backward(self, target_input_indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        return LogCoshGrad().apply((x, gy))        # a FunctionNode: differentiable again

    def backward_array(self, target_input_indexes, grad_outputs):
        x, = self.get_retained_input_arrays()
        gy, = grad_outputs
        xp = ch.get_array_module(x)
        return (gy * xp.tanh(x)).astype(x.dtype, copy=False),


class LogCoshGrad(ch.FunctionNode):
    """The gradient of :class:`LogCosh`: ``(x, gy) -> gx = gy * tanh(x)``."""

    def forward(self, inputs):
        x, gy = inputs
        xp = ch.get_array_module(x)
        self.retain_inputs((0, 1))
        return (gy * xp.tanh(x)).astype(x.dtype, copy=False),

    def backward(self, target_input_indexes, grad_outputs):
        # d(gx)/dx = gy * (1 - tanh(x)^2),  d(gx)/d(gy) = tanh(x); built from
        # FunctionNodes (F.tanh, *, -), so third and higher derivatives work too.
        x, gy = self.get_retained_inputs()
        ggx, = grad_outputs
        t = F.tanh(x)
        ret = []
        if 0 in target_input_indexes:
            ret.append(ggx * gy * (1 - t * t))
        if 1 in target_input_indexes:
            ret.append(ggx * t)
        return tuple(ret)

    def backward_array(self, target_input_indexes, grad_outputs):
        x, gy = self.get_retained_input_arrays()
        ggx, = grad_outputs
        t = ch.get_array_module(x).tanh(x)
        ret = []
        if 0 in target_input_indexes:
            ret.append(ggx * gy * (1 - t * t))
        if 1 in target_input_indexes:
            ret.append(ggx * t)
        return tuple(ret)


def log_cosh(x):
    """Elementwise ``log(cosh(x))`` of a float Variable or array ``x``; same shape.

    >>> log_cosh(np.array([0.0, 1.0], np.float32)).array
    array([0.       , 0.4337808], dtype=float32)
    """
    return LogCosh().apply((x,))[0]


class WrongLogCosh(LogCosh):
    """A deliberately broken node (gradient ``tanh(x) / 2``) that the checker must reject."""

    def backward(self, target_input_indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return 0.5 * F.tanh(x) * grad_outputs[0],

    def backward_array(self, target_input_indexes, grad_outputs):
        x, = self.get_retained_input_arrays()
        return 0.5 * np.tanh(x) * grad_outputs[0],


def check_closed_forms(rng):
    """Forward, first and second derivatives against log(cosh x), tanh x and 1 - tanh^2 x."""
    x = ch.Variable(rng.uniform(-3, 3, (5, 4)))
    y = log_cosh(x)
    gx, = ch.grad([y], [x], grad_outputs=[np.ones_like(x.array)],
                  enable_double_backprop=True)
    ggx, = ch.grad([gx], [x], grad_outputs=[np.ones_like(x.array)])
    errs = (np.abs(y.array - np.log(np.cosh(x.array))).max(),
            np.abs(gx.array - np.tanh(x.array)).max(),
            np.abs(ggx.array - (1 - np.tanh(x.array) ** 2)).max())
    print('max |error| vs closed form: value %.2e, 1st derivative %.2e, 2nd derivative %.2e'
          % errs)
    return max(errs) < 1e-12


def run_gradient_checks(rng):
    """check_backward / check_double_backward in float64 and float32, and a broken node."""
    ok = True
    for dtype, tol in ((np.float64, dict(atol=1e-7, rtol=1e-6)),
                       (np.float32, dict(atol=1e-3, rtol=1e-3))):
        x = rng.uniform(-2, 2, (3, 4)).astype(dtype)
        gy = rng.uniform(-1, 1, (3, 4)).astype(dtype)
        ggx = rng.uniform(-1, 1, (3, 4)).astype(dtype)
        gradient_check.check_backward(log_cosh, x, gy, dtype=np.float64, **tol)
        gradient_check.check_double_backward(log_cosh, x, gy, ggx, dtype=np.float64, **tol)
        print('check_backward and check_double_backward passed (%s)' % np.dtype(dtype).name)
    x = rng.uniform(-2, 2, (3, 4))
    gy = rng.uniform(-1, 1, (3, 4))
    try:
        gradient_check.check_backward(lambda v: WrongLogCosh().apply((v,))[0], x, gy)
    except AssertionError:
        print('check_backward rejected the node with a wrong backward, as it should')
    else:
        print('ERROR: check_backward accepted a wrong backward')
        ok = False
    return ok


def fit_line(x, t, loss_fn, steps, lr):
    """Fit ``t ~ w * x + b`` by full-batch gradient descent on ``loss_fn(residual)``."""
    w = ch.Parameter(np.zeros((), np.float32))
    b = ch.Parameter(np.zeros((), np.float32))
    for _ in range(steps):
        r = x * F.broadcast_to(w, x.shape) + F.broadcast_to(b, x.shape) - t
        loss = loss_fn(r)
        w.cleargrad()
        b.cleargrad()
        loss.backward()
        w.array -= lr * w.grad
        b.array -= lr * b.grad
    return float(w.array), float(b.array)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--steps', type=int, default=400, help='gradient steps of each line fit')
    p.add_argument('--lr', type=float, default=0.5, help='learning rate of the line fits')
    p.add_argument('--n', type=int, default=200, help='data points')
    p.add_argument('--scale', type=float, default=0.1,
                   help='residual scale of the log-cosh loss (quadratic below, linear above)')
    p.add_argument('--outliers', type=float, default=0.2, help='fraction of outliers')
    p.add_argument('--seed', type=int, default=0, help='random seed')
    args = p.parse_args(argv)
    rng = np.random.RandomState(args.seed)

    ok = check_closed_forms(rng)
    ok = run_gradient_checks(rng) and ok

    true_w, true_b = 2.0, -1.0
    x = rng.uniform(-1, 1, args.n).astype(np.float32)
    t = (true_w * x + true_b + 0.05 * rng.randn(args.n)).astype(np.float32)
    bad = rng.rand(args.n) < args.outliers
    t[bad] += rng.uniform(5, 15, bad.sum()).astype(np.float32)    # one-sided outliers
    d = args.scale        # log-cosh of r / d, times d^2: quadratic for |r| << d, linear beyond
    w1, b1 = fit_line(x, t, lambda r: F.mean(log_cosh(r / d)) * (d * d), args.steps, args.lr)
    w2, b2 = fit_line(x, t, lambda r: F.mean(r * r), args.steps, args.lr)
    print('true line:         w = %.3f  b = %.3f  (%d of %d points are outliers)'
          % (true_w, true_b, bad.sum(), args.n))
    print('log-cosh loss fit: w = %.3f  b = %.3f' % (w1, b1))
    print('squared error fit: w = %.3f  b = %.3f' % (w2, b2))
    err1 = abs(w1 - true_w) + abs(b1 - true_b)
    err2 = abs(w2 - true_w) + abs(b2 - true_b)
    print('error |dw| + |db|: log-cosh %.3f, squared error %.3f' % (err1, err2))
    print('all checks passed' if ok else 'SOME CHECKS FAILED')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
