"""Peak resident memory of one training step: kusari against PyTorch.

Each measurement runs in its own process: it imports the framework, builds the model
and data of ``mlp_mnist`` (784-1000-1000-10, batch 100, SGD) or ``convnet`` (LeNet on
64x1x28x28, MomentumSGD), runs ONE training step, and reports

* ``peak_mb``: the process's peak resident set (``ru_maxrss``), and
* ``step_mb``: how far one step raised the peak above what the process held right
  before it (imports, model, data) -- the memory the graph and its arrays cost.

    python benchmarks/memory.py [--torch-python /tmp/torch-venv/bin/python]
"""
import argparse
import json
import os
import subprocess
import sys

CHILD = r'''
import json, resource, sys
import numpy as np

def rss_mb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024.0

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

impl, workload = sys.argv[1], sys.argv[2]
rng = np.random.RandomState(0)
if workload == 'mlp_mnist':
    x = rng.rand(100, 784).astype(np.float32)
    t = rng.randint(0, 10, 100).astype(np.int32)
else:
    x = rng.rand(64, 1, 28, 28).astype(np.float32)
    t = rng.randint(0, 10, 64).astype(np.int32)

if impl == 'kusari':
    import kusari as ch, kusari.functions as F, kusari.links as L
    from kusari import optimizers
    if workload == 'mlp_mnist':
        class Net(ch.Chain):
            def __init__(self):
                super().__init__()
                with self.init_scope():
                    self.l1 = L.Linear(784, 1000); self.l2 = L.Linear(1000, 1000)
                    self.l3 = L.Linear(1000, 10)
            def forward(self, x):
                return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))
        opt = optimizers.SGD(lr=0.01)
    else:
        class Net(ch.Chain):
            def __init__(self):
                super().__init__()
                with self.init_scope():
                    self.c1 = L.Convolution2D(1, 20, 5); self.c2 = L.Convolution2D(20, 50, 5)
                    self.l1 = L.Linear(800, 500); self.l2 = L.Linear(500, 10)
            def forward(self, x):
                h = F.max_pooling_2d(F.relu(self.c1(x)), 2)
                h = F.max_pooling_2d(F.relu(self.c2(h)), 2)
                return self.l2(F.relu(self.l1(h)))
        opt = optimizers.MomentumSGD(lr=0.01)
    model = L.Classifier(Net())
    opt.setup(model)
    def step():
        loss = model(x, t); model.cleargrads(); loss.backward(); opt.update()
else:
    import torch, torch.nn as nn, torch.nn.functional as TF
    torch.set_num_threads(1)
    xt, tt = torch.from_numpy(x), torch.from_numpy(t).long()
    if workload == 'mlp_mnist':
        model = nn.Sequential(nn.Linear(784, 1000), nn.ReLU(), nn.Linear(1000, 1000),
                              nn.ReLU(), nn.Linear(1000, 10))
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
    else:
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.c1 = nn.Conv2d(1, 20, 5); self.c2 = nn.Conv2d(20, 50, 5)
                self.l1 = nn.Linear(800, 500); self.l2 = nn.Linear(500, 10)
            def forward(self, x):
                h = TF.max_pool2d(TF.relu(self.c1(x)), 2)
                h = TF.max_pool2d(TF.relu(self.c2(h)), 2)
                return self.l2(TF.relu(self.l1(h.flatten(1))))
        model = Net()
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    def step():
        loss = TF.cross_entropy(model(xt), tt); opt.zero_grad(); loss.backward(); opt.step()

before = rss_mb()
step()
print(json.dumps({'impl': impl, 'workload': workload, 'peak_mb': round(peak_mb(), 1),
                  'step_mb': round(peak_mb() - before, 1)}))
'''


def measure(python, impl, workload):
    env = dict(os.environ, OMP_NUM_THREADS='1')
    out = subprocess.run([python, '-c', CHILD, impl, workload], capture_output=True,
                         text=True, env=env)
    if out.returncode:
        raise SystemExit('%s %s failed:\n%s' % (impl, workload, out.stderr))
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--torch-python', default=None,
                   help='interpreter with torch (default: skip PyTorch)')
    a = p.parse_args()
    rows = []
    for w in ('mlp_mnist', 'convnet'):
        k = measure(sys.executable, 'kusari', w)
        r = {'workload': w, 'kusari_peak_mb': k['peak_mb'], 'kusari_step_mb': k['step_mb']}
        if a.torch_python:
            t = measure(a.torch_python, 'torch', w)
            r.update(torch_peak_mb=t['peak_mb'], torch_step_mb=t['step_mb'])
        rows.append(r)
        print(json.dumps(r))
    return 0


if __name__ == '__main__':
    sys.exit(main())
