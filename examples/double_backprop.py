"""Differentiate gradients: a Hessian-vector product and a WGAN-GP gradient penalty.

``kusari.grad(outputs, inputs, enable_double_backprop=True)`` returns gradients that
are Variables with a graph of their own, so they can be differentiated again.  Three
demonstrations, each verified against a closed form:

1. **Hessian-vector product.**  For ``f(x) = 1/2 x^T A x + sum(sin x)`` (``A``
   symmetric), ``grad f = A x + cos x`` and ``H v = A v - sin(x) * v``.  ``H v`` is
   computed without forming ``H``: ``d/dx <grad f(x), v>`` by two backward passes.
2. **Gradient penalty of a linear critic.**  For ``D(x) = w . x + b`` the penalty
   ``P = (||grad_x D|| - 1)^2 = (||w|| - 1)^2`` has ``dP/dw = 2 (||w|| - 1) w / ||w||``;
   kusari must get this from the graph of ``grad_x D`` (through ``L.Linear``).
3. **WGAN-GP on a toy 2-D problem.**  A critic MLP is trained with the gradient
   penalty (Gulrajani et al., 2017) to separate two Gaussians ``N(m1, s^2 I)`` and
   ``N(m2, s^2 I)``.  Their Wasserstein-1 distance is ``W = ||m1 - m2||`` (a
   translation is the optimal transport).  The penalty is soft: maximizing
   ``E[D(real)] - E[D(fake)] - lambda E[(||grad D|| - 1)^2]`` over critics
   ``D(x) = w . x + b`` gives ``||w|| = 1 + W / (2 lambda)``, so the trained critic's
   estimate approaches ``W (1 + W / (2 lambda))`` and its gradient norm
   ``1 + W / (2 lambda)``; their ratio estimates ``W`` itself.

    python examples/double_backprop.py [--steps 400] [--lambda-gp 10]
"""
import argparse
import sys
import time

import numpy as np

import kusari as ch
import kusari.functions as F
import kusari.links as L
from kusari import optimizers


def hessian_vector_product(rng, n):
    """Return the max abs error of the double-backprop ``H v`` against the closed form."""
    B = rng.randn(n, n)
    A = (B + B.T) / 2
    x = ch.Variable(rng.randn(1, n))           # a row vector: x @ A is (1, n)
    v = rng.randn(1, n)
    f = 0.5 * F.sum((x @ A) * x) + F.sum(F.sin(x))
    g, = ch.grad([f], [x], enable_double_backprop=True)    # A x + cos x, with a graph
    gv = F.sum(g * v)                                       # <grad f, v>
    hv, = ch.grad([gv], [x])                                # H v
    xa = x.array
    g_expected = xa @ A + np.cos(xa)
    hv_expected = v @ A - np.sin(xa) * v
    err_g = np.abs(g.array - g_expected).max()
    err_hv = np.abs(hv.array - hv_expected).max()
    print('Hessian-vector product (n=%d): max |error| of grad f %.2e, of H v %.2e'
          % (n, err_g, err_hv))
    return err_hv


def gradient_penalty(critic, x):
    """``mean((||grad_x critic(x)|| - 1)^2)`` over the rows of ``x``, and the norms."""
    x = ch.Variable(x)
    d = critic(x)
    gx, = ch.grad([d], [x], grad_outputs=[np.ones_like(d.array)],
                  enable_double_backprop=True)        # each row: d critic(x_i) / d x_i
    norm = F.sqrt(F.sum(gx * gx, axis=1) + 1e-12)
    return F.mean((norm - 1) ** 2), norm.array


def linear_critic_penalty(rng):
    """Max abs error of ``dP/dw`` for a linear critic against ``2 (||w|| - 1) w / ||w||``."""
    with ch.using_config('dtype', np.float64):      # float64 parameters: exact comparison
        critic = L.Linear(2, 1, initialW=rng.randn(1, 2), initial_bias=0.3)
    penalty, _ = gradient_penalty(critic, rng.randn(16, 2))
    critic.cleargrads()
    penalty.backward()
    w = critic.W.array.ravel()
    nw = np.linalg.norm(w)
    expected = 2 * (nw - 1) * w / nw
    err = np.abs(critic.W.grad.ravel() - expected).max()
    assert critic.b.grad is None      # b does not change grad_x D: no gradient reaches it
    print('gradient penalty of a linear critic: P = %.6f (closed form %.6f), '
          'max |error| of dP/dW %.2e' % (float(penalty.array), (nw - 1) ** 2, err))
    return max(err, abs(float(penalty.array) - (nw - 1) ** 2))


class Critic(ch.Chain):
    """2 -> n -> n -> 1 with softplus (smooth, so the penalty's gradient is informative)."""

    def __init__(self, n_units):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(2, n_units)
            self.l2 = L.Linear(n_units, n_units)
            self.l3 = L.Linear(n_units, 1)

    def forward(self, x):
        h = F.softplus(self.l1(x))
        h = F.softplus(self.l2(h))
        return self.l3(h)


def train_wgan_gp_critic(args, rng):
    """Train the critic; return (W1 estimate, closed form, mean gradient norm)."""
    m1 = np.array([2.0, 1.0])
    m2 = np.array([-1.0, -1.0])
    s = 0.5
    true_w1 = float(np.linalg.norm(m1 - m2))

    def real(n):
        return (m1 + s * rng.randn(n, 2)).astype(np.float32)

    def fake(n):
        return (m2 + s * rng.randn(n, 2)).astype(np.float32)

    critic = Critic(args.unit)
    opt = optimizers.Adam(alpha=args.lr, beta1=0.5, beta2=0.9)
    opt.setup(critic)
    start = time.time()
    for step in range(1, args.steps + 1):
        xr, xf = real(args.batchsize), fake(args.batchsize)
        eps = rng.rand(args.batchsize, 1).astype(np.float32)
        xi = eps * xr + (1 - eps) * xf              # random interpolates
        wdist = F.mean(critic(xr)) - F.mean(critic(xf))
        gp, norms = gradient_penalty(critic, xi)
        loss = -wdist + args.lambda_gp * gp         # the critic maximizes wdist
        critic.cleargrads()
        loss.backward()                             # through grad_x critic: double backprop
        opt.update()
        if step % max(1, args.steps // 5) == 0 or step == args.steps:
            print('  step %4d  W1 estimate %.4f  penalty %.4f  mean ||grad D|| %.3f  (%.1fs)'
                  % (step, float(wdist.array), float(gp.array), norms.mean(),
                     time.time() - start))
    with ch.no_backprop_mode():
        n = 20000
        estimate = float((F.mean(critic(real(n))) - F.mean(critic(fake(n)))).array)
    eps = rng.rand(n, 1).astype(np.float32)
    _, norms = gradient_penalty(critic, eps * real(n) + (1 - eps) * fake(n))
    return estimate, true_w1, float(norms.mean())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--n', type=int, default=6, help='dimension of the Hessian-vector product')
    p.add_argument('--steps', type=int, default=400, help='critic training steps')
    p.add_argument('--batchsize', '-b', type=int, default=128, help='samples per step')
    p.add_argument('--unit', '-u', type=int, default=64, help='hidden units of the critic')
    p.add_argument('--lr', type=float, default=2e-3, help="Adam's alpha")
    p.add_argument('--lambda-gp', type=float, default=10.0, help='gradient penalty weight')
    p.add_argument('--tolerance', type=float, default=0.05,
                   help='accepted relative error of the W1 estimates')
    p.add_argument('--seed', type=int, default=0, help='random seed')
    args = p.parse_args(argv)
    np.random.seed(args.seed)
    rng = np.random.RandomState(args.seed)

    ok = True
    err = hessian_vector_product(rng, args.n)
    ok &= err < 1e-10
    err = linear_critic_penalty(rng)
    ok &= err < 1e-10

    print('WGAN-GP critic between N(m1, s^2 I) and N(m2, s^2 I):')
    estimate, true_w1, norm = train_wgan_gp_critic(args, rng)
    penalized = true_w1 * (1 + true_w1 / (2 * args.lambda_gp))
    rel1 = abs(estimate - penalized) / penalized
    rel2 = abs(estimate / norm - true_w1) / true_w1
    print('critic estimate %.4f vs closed form W (1 + W / (2 lambda)) = %.4f '
          '(relative error %.3f)' % (estimate, penalized, rel1))
    print('mean ||grad D|| %.4f vs closed form 1 + W / (2 lambda) = %.4f'
          % (norm, 1 + true_w1 / (2 * args.lambda_gp)))
    print('Wasserstein-1 distance: estimate / ||grad D|| = %.4f vs closed form '
          '||m1 - m2|| = %.4f (relative error %.3f)' % (estimate / norm, true_w1, rel2))
    ok &= rel1 < args.tolerance and rel2 < args.tolerance
    print('all checks passed' if ok else 'SOME CHECKS FAILED')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
