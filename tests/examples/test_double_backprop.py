"""examples/double_backprop.py: Hessian-vector product and gradient penalty vs closed forms."""
import re


def _float(pattern, text):
    m = re.search(pattern, text)
    assert m, 'no match for %r in\n%s' % (pattern, text)
    return float(m.group(1))


def test_double_backprop_matches_closed_forms(run_example):
    proc = run_example('double_backprop', '--steps', 200, '--n', 5)
    assert proc.returncode == 0, proc.output
    out = proc.stdout
    assert _float(r'max \|error\| of grad f ([\d.e+-]+)', out) < 1e-12
    assert _float(r'of H v ([\d.e+-]+)', out) < 1e-12
    p = _float(r'P = ([\d.]+) \(closed', out)
    p_closed = _float(r'\(closed form ([\d.]+)\)', out)
    assert abs(p - p_closed) < 1e-6 and p > 0.01           # a non-trivial penalty
    assert _float(r'max \|error\| of dP/dW ([\d.e+-]+)', out) < 1e-10
    # WGAN-GP: the Wasserstein-1 distance of the two Gaussians, ||(3, 2)|| = sqrt(13)
    w1 = _float(r"closed form '?'?\|\|m1 - m2\|\| = ([\d.]+)", out)
    assert abs(w1 - 13 ** 0.5) < 1e-4
    estimate = _float(r'estimate / \|\|grad D\|\| = ([\d.]+)', out)
    assert abs(estimate - w1) / w1 < 0.05, out
    critic = _float(r'critic estimate ([\d.]+) vs', out)
    assert abs(critic - w1 * (1 + w1 / 20)) / w1 < 0.05, out
    assert out.rstrip().endswith('all checks passed')


def test_double_backprop_detects_too_short_training(run_example):
    # Two steps cannot train the critic: the script must report the failure (status 1).
    proc = run_example('double_backprop', '--steps', 2, '--lr', 1e-5)
    assert proc.returncode == 1, proc.output
    assert 'SOME CHECKS FAILED' in proc.stdout
