"""kusari.DictSummary through save_npz/load_npz (the all-or-nothing two-pass loading)."""
import numpy
import pytest

import kusari
from kusari.serializers import load_npz, save_npz


def _summary(values):
    s = kusari.DictSummary()
    for d in values:
        s.add(d)
    return s


def test_dict_summary_round_trip(tmp_path):
    saved = _summary([{'loss': 1.0, 'acc': 0.5}, {'loss': 3.0, 'acc': 0.75}])
    path = str(tmp_path / 's.npz')
    save_npz(path, saved)
    loaded = _summary([{'other': 7.0}])
    load_npz(path, loaded)
    means = loaded.compute_mean()
    assert sorted(means) == ['acc', 'loss']
    numpy.testing.assert_allclose(float(means['loss']), 2.0)
    numpy.testing.assert_allclose(float(means['acc']), 0.625)


def test_dict_summary_failed_load_changes_nothing(tmp_path):
    import zipfile
    saved = _summary([{'loss': 1.0}])
    path = str(tmp_path / 's.npz')
    save_npz(path, saved)
    # a file whose member is cut short: the load fails before touching the target
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    bad = str(tmp_path / 'bad.npz')
    with zipfile.ZipFile(bad, 'w') as z:
        for n, data in members.items():
            z.writestr(n, data[:-4] if '_x' in n else data)
    target = _summary([{'acc': 0.25}])
    with pytest.raises(Exception):
        load_npz(bad, target)
    assert list(target.compute_mean()) == ['acc']
    numpy.testing.assert_allclose(float(target.compute_mean()['acc']), 0.25)
