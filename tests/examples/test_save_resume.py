"""examples/save_resume.py: a run resumed in a new process continues the loss curve."""
import os
import re

ROW = re.compile(r'^ +(\d+) +([\d.]+) +([\d.]+)( +<- resumed)?$', re.M)


def _table(out):
    return [(int(e), float(a), float(b), bool(r)) for e, a, b, r in ROW.findall(out)]


def test_resumed_run_continues_the_curve(run_example, tmp_path):
    out_dir = tmp_path / 'snapshot'
    proc = run_example('save_resume', '--epochs', 4, '--stop-at', 2, '--unit', 32,
                       '--out', out_dir)
    assert proc.returncode == 0, proc.output
    rows = _table(proc.stdout)
    assert [r[0] for r in rows] == [1, 2, 3, 4], proc.output
    assert [r[0] for r in rows if r[3]] == [3]
    for _, resumed, full, _ in rows:
        assert resumed == full, proc.output
    assert rows[-1][2] < rows[0][2]                       # training makes progress
    # the resumed epochs were trained by another process
    pids = re.findall(r'resumed process (\d+) from', proc.stdout)
    assert len(pids) == 1 and int(pids[0]) != os.getpid()
    assert 'optimizer step t=60' in proc.stdout          # 2 epochs x 30 minibatches
    assert sorted(os.listdir(out_dir)) == ['model.npz', 'optimizer.npz', 'state.json']
    assert 'identical' in proc.stdout


def test_without_optimizer_state_the_curve_departs(run_example):
    proc = run_example('save_resume', '--epochs', 2, '--stop-at', 1, '--unit', 32,
                       '--model-only')
    assert proc.returncode == 1, proc.output
    rows = _table(proc.stdout)
    assert [r[0] for r in rows] == [1, 2]
    assert rows[0][1] == rows[0][2]
    assert abs(rows[1][1] - rows[1][2]) > 1e-4 * rows[1][2]
    assert 'MISMATCH' in proc.stdout
