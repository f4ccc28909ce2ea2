"""examples/char_rnn.py: truncated BPTT on the standard library's source lowers perplexity."""
import re


def test_char_rnn_perplexity_falls(run_example):
    proc = run_example('char_rnn', '--chars', 15000, '--epochs', 2, '--unit', 64,
                       '--bproplen', 20, '--sample', 80)
    assert proc.returncode == 0, proc.output
    vocab = int(re.search(r'vocabulary (\d+)', proc.stdout).group(1))
    ppl = [float(v) for v in re.findall(r'validation perplexity:? ([\d.]+)', proc.stdout)]
    # epoch 0 (untrained), 1, 2, and the final summary line
    assert len(ppl) == 4, proc.output
    assert 0.5 * vocab < ppl[0] < 2 * vocab          # untrained: about uniform
    assert ppl[0] > ppl[1] > ppl[2], proc.output       # falls every epoch
    assert ppl[2] < 0.25 * ppl[0], proc.output
    assert ppl[3] == ppl[2]
    sample = proc.stdout.split('--- sample ---\n')[1].split('\n--- end of sample ---')[0]
    assert sample.startswith('def ') and len(sample) == 4 + 80


def test_char_rnn_unknown_module_is_reported(run_example):
    proc = run_example('char_rnn', '--modules', 'no_such_module_xyz', '--epochs', 1)
    assert proc.returncode == 1
    assert 'no_such_module_xyz' in proc.stderr and 'char_rnn.py' in proc.stderr
