"""examples/mlp_digits.py: the README's demo learns the digits."""
import re

import pytest

pytest.importorskip('sklearn')

EPOCH = re.compile(r'^epoch +(\d+) +train loss ([\d.]+) +acc ([\d.]+) +\| +'
                   r'test loss ([\d.]+) +acc ([\d.]+)', re.M)


def test_mlp_digits_learns(run_example):
    proc = run_example('mlp_digits', '--epochs', 6)
    assert proc.returncode == 0, proc.output
    epochs = [tuple(map(float, m)) for m in EPOCH.findall(proc.stdout)]
    assert [int(e[0]) for e in epochs] == [1, 2, 3, 4, 5, 6], proc.output
    assert epochs[-1][1] < 0.5 * epochs[0][1]              # the training loss falls
    final = re.search(r'^test accuracy: ([\d.]+)$', proc.stdout, re.M)
    assert final, proc.output
    acc = float(final.group(1))
    assert acc == pytest.approx(epochs[-1][4], abs=1e-4)
    assert acc >= 0.93, proc.output                         # chance is 0.1
    # stdout is a pipe here: plain lines, no progress bar redrawn with carriage returns
    assert '\r' not in proc.stdout and '#' not in proc.stdout, proc.output
    assert proc.stdout.rstrip().splitlines()[-1].startswith('test accuracy: ')


def test_mlp_digits_draws_progress_on_a_terminal(example_env):
    import os
    import pty
    import subprocess
    import sys

    script = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), 'examples', 'mlp_digits.py')
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, script, '--epochs', '1'], stdout=follower,
                            stderr=subprocess.STDOUT, env=example_env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:                     # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert proc.wait(timeout=120) == 0
    out = b''.join(chunks).decode()
    assert re.search(r'\r\[#{30}\] 43/43 loss', out), out

