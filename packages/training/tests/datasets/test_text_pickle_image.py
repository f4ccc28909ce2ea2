"""TextDataset, PickleDataset (+ writer, helpers), ImageDataset, LabeledImageDataset."""
import io
import multiprocessing
import os
import pickle

import numpy
import pytest

from kusari import datasets


def _write(path, text, encoding='utf-8', newline=''):
    with open(path, 'w', encoding=encoding, newline=newline) as f:
        f.write(text)
    return str(path)


def test_text_dataset_single(tmp_path):
    p = _write(tmp_path / 'a.txt', 'hello\nworld\n\ntest')
    ds = datasets.TextDataset(p)
    assert len(ds) == 4
    assert [ds[i] for i in range(4)] == ['hello\n', 'world\n', '\n', 'test']
    assert ds[1:3] == ['world\n', '\n']
    ds.close()
    with pytest.raises(ValueError):
        ds[0]


def test_text_dataset_unicode_crlf_and_newline(tmp_path):
    p = _write(tmp_path / 'u.txt', 'テスト1\r\nテスト2\r\nTest3\r\n')
    ds = datasets.TextDataset([p], encoding='utf-8')
    assert [ds[i] for i in range(3)] == ['テスト1\n', 'テスト2\n', 'Test3\n']
    ds = datasets.TextDataset([p], encoding='utf-8', newline='\r\n')
    assert ds[0] == 'テスト1\r\n'
    ds = datasets.TextDataset([p], encoding='ascii', errors='ignore')
    assert ds[0] == '1\n'
    bom = tmp_path / 'bom.txt'
    bom.write_bytes('\ufeffテスト1\nTest2\n'.encode('utf-8'))
    assert datasets.TextDataset(str(bom), encoding='utf-8-sig')[0] == 'テスト1\n'


def test_text_dataset_multiple_filter_pickle(tmp_path):
    a = _write(tmp_path / 'a.txt', 'hello\nworld\ntest\n')
    b = _write(tmp_path / 'b.txt', 'test file\nworld\nworld test\n')
    ds = datasets.TextDataset([a, b], encoding=['ascii', 'utf-8'])
    assert ds[2] == ('test\n', 'world test\n')
    ds = datasets.TextDataset([a, b], filter_func=lambda s1, s2: 'test' in s2)
    assert len(ds) == 2 and ds[1] == ('test\n', 'world test\n')
    ds2 = pickle.loads(pickle.dumps(ds))
    assert ds2[0] == ('hello\n', 'test file\n')
    c = _write(tmp_path / 'c.txt', 'one line\n')
    with pytest.raises(ValueError, match='different numbers of lines'):
        datasets.TextDataset([a, c])


def test_text_dataset_close_error_still_closes_others(tmp_path):
    a = _write(tmp_path / 'a.txt', 'x\n')
    ds = datasets.TextDataset([a, a, a])
    fps = list(ds._fps)
    ds._fps[1] = None
    with pytest.raises(AttributeError):
        ds.close()
    assert fps[0].closed and fps[2].closed


def test_pickle_dataset_roundtrip():
    stream = io.BytesIO()
    writer = datasets.PickleDatasetWriter(stream)
    items = [1, 'hello', 1.5, {'a': numpy.arange(3)}]
    for item in items:
        writer.write(item)
    writer.flush()
    ds = datasets.PickleDataset(stream)
    assert len(ds) == 4
    assert ds[2] == 1.5 and ds[1] == 'hello' and ds[0] == 1
    numpy.testing.assert_array_equal(ds[3]['a'], numpy.arange(3))
    ds = pickle.loads(pickle.dumps(ds))
    assert ds[1] == 'hello'


def test_open_pickle_dataset_atomic(tmp_path):
    path = str(tmp_path / 'ds.pkl')
    with datasets.open_pickle_dataset_writer(path) as writer:
        writer.write((1, 2))
        writer.write('x')
    with datasets.open_pickle_dataset(path) as ds:
        assert len(ds) == 2 and ds[0] == (1, 2)
    bad = str(tmp_path / 'bad.pkl')
    with pytest.raises(RuntimeError):
        with datasets.open_pickle_dataset_writer(bad) as writer:
            writer.write(1)
            raise RuntimeError('stop')
    assert not os.path.exists(bad)
    assert os.listdir(tmp_path) == ['ds.pkl']


def _child_reads(ds, q):
    q.put((ds[1], ds[0]))


@pytest.mark.timeout(30)
def test_pickle_dataset_after_fork(tmp_path):
    path = str(tmp_path / 'ds.pkl')
    with datasets.open_pickle_dataset_writer(path) as writer:
        writer.write('a')
        writer.write('b')
    with datasets.open_pickle_dataset(path) as ds:
        parent_fp = ds._reader._fp
        ctx = multiprocessing.get_context('fork')
        q = ctx.Queue()
        p = ctx.Process(target=_child_reads, args=(ds, q))
        p.start()
        assert q.get(timeout=20) == ('b', 'a')
        p.join(20)
        assert ds._reader._fp is parent_fp and ds[1] == 'b'


def _make_images(tmp_path):
    Image = pytest.importorskip('PIL.Image', reason='Pillow is not installed')
    rng = numpy.random.RandomState(0)
    rgb = rng.randint(0, 256, size=(4, 5, 3)).astype(numpy.uint8)
    grey = rng.randint(0, 256, size=(4, 5)).astype(numpy.uint8)
    Image.fromarray(rgb).save(tmp_path / 'rgb.png')
    Image.fromarray(grey).save(tmp_path / 'grey.png')
    return rgb, grey


def test_image_dataset(tmp_path):
    rgb, grey = _make_images(tmp_path)
    (tmp_path / 'list.txt').write_text('rgb.png\ngrey.png\n')
    ds = datasets.ImageDataset(str(tmp_path / 'list.txt'), root=str(tmp_path))
    assert len(ds) == 2
    assert ds[0].shape == (3, 4, 5) and ds[0].dtype == numpy.float32
    numpy.testing.assert_array_equal(ds[0], rgb.transpose(2, 0, 1))
    numpy.testing.assert_array_equal(ds[1], grey[None])
    ds = datasets.ImageDataset(['grey.png'], root=str(tmp_path), dtype=numpy.uint8)
    assert ds[0].dtype == numpy.uint8


def test_labeled_image_dataset(tmp_path):
    rgb, grey = _make_images(tmp_path)
    (tmp_path / 'pairs.txt').write_text('rgb.png 3\ngrey.png 7\n')
    ds = datasets.LabeledImageDataset(str(tmp_path / 'pairs.txt'), root=str(tmp_path))
    img, label = ds[1]
    numpy.testing.assert_array_equal(img, grey[None])
    assert label == 7 and label.dtype == numpy.int32
    (tmp_path / 'bad.txt').write_text('rgb.png\n')
    with pytest.raises(ValueError, match='invalid format at line 0'):
        datasets.LabeledImageDataset(str(tmp_path / 'bad.txt'))


def _zip_images(tmp_path, name, arrays):
    import zipfile
    Image = pytest.importorskip('PIL.Image', reason='Pillow is not installed')
    path = tmp_path / name
    with zipfile.ZipFile(path, 'w') as zf:
        zf.writestr('dir/', b'')
        for member, array in arrays.items():
            buf = io.BytesIO()
            Image.fromarray(array).save(buf, format='PNG')
            zf.writestr(member, buf.getvalue())
    return str(path)


def test_zipped_image_datasets(tmp_path):
    rng = numpy.random.RandomState(1)
    imgs = {'dir/a.png': rng.randint(0, 256, (3, 4, 3)).astype(numpy.uint8),
            'b.png': rng.randint(0, 256, (5, 2)).astype(numpy.uint8)}
    z1 = _zip_images(tmp_path, 'one.zip', imgs)
    ds = datasets.ZippedImageDataset(z1)
    assert len(ds) == 2
    numpy.testing.assert_array_equal(ds[0], imgs['dir/a.png'].transpose(2, 0, 1))
    numpy.testing.assert_array_equal(ds.get_example('b.png'), imgs['b.png'][None])
    assert ds[1].dtype == numpy.float32
    ds2 = pickle.loads(pickle.dumps(ds))
    numpy.testing.assert_array_equal(ds2[1], ds[1])

    more = {'c.png': rng.randint(0, 256, (2, 2)).astype(numpy.uint8)}
    z2 = _zip_images(tmp_path, 'two.zip', more)
    multi = datasets.MultiZippedImageDataset([z1, z2], dtype=numpy.uint8)
    assert len(multi) == 3
    numpy.testing.assert_array_equal(multi[2], more['c.png'][None])
    numpy.testing.assert_array_equal(multi[1], imgs['b.png'][None])
    with pytest.raises(IndexError):
        multi[3]

    (tmp_path / 'labels.txt').write_text('b.png 4\ndir/a.png 2\n')
    labeled = datasets.LabeledZippedImageDataset(z1, str(tmp_path / 'labels.txt'))
    img, label = labeled[0]
    numpy.testing.assert_array_equal(img, imgs['b.png'][None])
    assert label == 4 and label.dtype == numpy.int32
    (tmp_path / 'bad.txt').write_text('b.png 4 extra\n')
    with pytest.raises(ValueError, match='invalid format at line 0'):
        datasets.LabeledZippedImageDataset(z1, str(tmp_path / 'bad.txt'))


@pytest.mark.timeout(60)
def test_zipped_images_through_multiprocess_iterator(tmp_path):
    from kusari import iterators
    rng = numpy.random.RandomState(2)
    imgs = {'{}.png'.format(i): rng.randint(0, 256, (4, 4)).astype(numpy.uint8)
            for i in range(6)}
    ds = datasets.ZippedImageDataset(_zip_images(tmp_path, 'z.zip', imgs))
    ds[0]                                   # the parent has the archive open
    with iterators.MultiprocessIterator(ds, 3, shuffle=False, n_processes=2) as it:
        batch = it.next() + it.next()
    for got, name in zip(batch, ds._paths):
        numpy.testing.assert_array_equal(got, imgs[name][None])


def test_image_dataset_available_flag_like_chainer():
    import importlib.util
    from kusari.datasets import image_dataset
    assert image_dataset.available is (importlib.util.find_spec('PIL') is not None)
    with pytest.raises(AttributeError):
        image_dataset.no_such_name


def test_pickle_dataset_is_a_submodule_attribute():
    # Chainer code patches ``chainer.datasets.pickle_dataset.open``.
    import kusari.datasets
    from kusari.datasets import pickle_dataset
    assert kusari.datasets.pickle_dataset is pickle_dataset
    assert hasattr(pickle_dataset, '_FileReader')
