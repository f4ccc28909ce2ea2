"""The dataset loaders, fed tiny files in the real formats from a local server."""
import gzip
import hashlib
import io
import os
import struct
import tarfile

import numpy
import pytest

from kusari import dataset
from kusari import datasets
from kusari.datasets import cifar, fashion_mnist, kuzushiji_mnist, mnist, ptb, svhn

pytestmark = pytest.mark.timeout(60)


def _sha(data):
    return hashlib.sha256(data).hexdigest()


def _idx_images(images):
    n, rows, cols = images.shape
    return gzip.compress(struct.pack('>iiii', 2051, n, rows, cols) + images.tobytes())


def _idx_labels(labels):
    return gzip.compress(struct.pack('>ii', 2049, len(labels)) + labels.tobytes())


def _publish(www, module, files, monkeypatch, base_url, prefix=''):
    """Write ``files`` ({name: bytes}) to the server and point ``module`` at them."""
    (www / prefix).mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (www / prefix / name).write_bytes(data)
    monkeypatch.setattr(module, 'BASE_URL', base_url + prefix)
    monkeypatch.setattr(module, 'FILES', {n: _sha(d) for n, d in files.items()})


def _mnist_files(rng, n_train=5, n_test=3):
    raw = {}
    files = {}
    for split, n in (('train', n_train), ('t10k', n_test)):
        x = rng.randint(0, 256, size=(n, 28, 28)).astype(numpy.uint8)
        y = rng.randint(0, 10, size=n).astype(numpy.uint8)
        files['{}-images-idx3-ubyte.gz'.format(split)] = _idx_images(x)
        files['{}-labels-idx1-ubyte.gz'.format(split)] = _idx_labels(y)
        raw[split] = (x, y)
    return raw, files


@pytest.fixture
def mnist_served(file_server, monkeypatch):
    base, www, requests = file_server
    raw, files = _mnist_files(numpy.random.RandomState(0))
    _publish(www, mnist, files, monkeypatch, base, 'mnist/')
    return raw, requests


def test_get_mnist_default_format(mnist_served, dataset_root):
    raw, requests = mnist_served
    train, test = datasets.get_mnist()
    assert isinstance(train, datasets.TupleDataset) and len(train) == 5 and len(test) == 3
    x, t = train[2]
    assert x.shape == (784,) and x.dtype == numpy.float32
    numpy.testing.assert_allclose(x, raw['train'][0][2].reshape(-1) / 255., rtol=1e-6)
    assert t == raw['train'][1][2] and t.dtype == numpy.int32
    numpy.testing.assert_allclose(test[1][0], raw['t10k'][0][1].reshape(-1) / 255.,
                                  rtol=1e-6)
    stored = sorted(os.listdir(dataset_root / 'pfnet' / 'chainer' / 'mnist'))
    assert [s for s in stored if not s.startswith('.')] == sorted(mnist.FILES)
    assert len(requests) == 4
    datasets.get_mnist()                        # cached: no second download
    assert len(requests) == 4


@pytest.mark.parametrize('ndim, rgb, shape', [
    (1, False, (784,)), (2, False, (28, 28)), (3, False, (1, 28, 28)),
    (3, True, (3, 28, 28))])
def test_get_mnist_shapes_and_options(mnist_served, ndim, rgb, shape):
    raw, _ = mnist_served
    train, _ = datasets.get_mnist(ndim=ndim, rgb_format=rgb, scale=2.,
                                  dtype=numpy.float64, label_dtype=numpy.int64)
    x, t = train[4]
    assert x.shape == shape and x.dtype == numpy.float64 and t.dtype == numpy.int64
    expected = raw['train'][0][4].astype(numpy.float64) * (2. / 255.)
    for channel in x.reshape((-1, 28, 28)):
        numpy.testing.assert_allclose(channel, expected)


def test_get_mnist_without_labels_and_bad_ndim(mnist_served):
    raw, _ = mnist_served
    train, test = datasets.get_mnist(withlabel=False, ndim=2, scale=255.)
    assert isinstance(train, numpy.ndarray) and train.shape == (5, 28, 28)
    numpy.testing.assert_allclose(train, raw['train'][0], rtol=1e-5)
    with pytest.raises(ValueError, match='get_mnist: invalid ndim 4'):
        datasets.get_mnist(ndim=4)


@pytest.mark.parametrize('module, getter, directory', [
    (fashion_mnist, datasets.get_fashion_mnist, 'fashion-mnist'),
    (kuzushiji_mnist, datasets.get_kuzushiji_mnist, 'kuzushiji_mnist')])
def test_fashion_and_kuzushiji(file_server, monkeypatch, dataset_root, module, getter,
                               directory):
    base, www, _ = file_server
    raw, files = _mnist_files(numpy.random.RandomState(1), 4, 2)
    _publish(www, module, files, monkeypatch, base, directory + '/')
    train, test = getter(ndim=3)
    assert train[0][0].shape == (1, 28, 28) and len(test) == 2
    assert train[0][0].dtype == numpy.float32          # kusari.config.dtype
    numpy.testing.assert_allclose(train[3][0][0], raw['train'][0][3] / 255., rtol=1e-6)
    assert os.path.isdir(dataset_root / 'pfnet' / 'chainer' / directory)
    assert datasets.get_fashion_mnist_labels([0, 9]) == ['T-shirt/top', 'Ankle boot']
    assert len(datasets.get_kuzushiji_mnist_labels()) == 10
    assert datasets.get_kuzushiji_mnist_labels()[0] == ('o', '\u304a')


def test_sha256_mismatch_is_refused_and_leaves_nothing(mnist_served, monkeypatch,
                                                       dataset_root):
    files = dict(mnist.FILES)
    files['train-images-idx3-ubyte.gz'] = '0' * 64
    monkeypatch.setattr(mnist, 'FILES', files)
    with pytest.raises(dataset.DownloadError, match='SHA-256'):
        datasets.get_mnist()
    directory = dataset_root / 'pfnet' / 'chainer' / 'mnist'
    assert not (directory / 'train-images-idx3-ubyte.gz').exists()
    assert not [n for n in os.listdir(directory) if n.endswith('.part')]


def test_offline_error_names_url_and_path_then_manual_file_works(
        monkeypatch, dataset_root, tmp_path):
    raw, files = _mnist_files(numpy.random.RandomState(2))
    monkeypatch.setattr(mnist, 'BASE_URL', 'http://127.0.0.1:9/nothing/')
    monkeypatch.setattr(mnist, 'FILES', {n: _sha(d) for n, d in files.items()})
    with pytest.raises(dataset.DownloadError) as info:
        datasets.get_mnist()
    message = str(info.value)
    target = dataset_root / 'pfnet' / 'chainer' / 'mnist' / 'train-images-idx3-ubyte.gz'
    assert 'http://127.0.0.1:9/nothing/train-images-idx3-ubyte.gz' in message
    assert str(target) in message
    for name, data in files.items():            # the user copies the files by hand
        (target.parent / name).write_bytes(data)
    train, _ = datasets.get_mnist(ndim=2, scale=255.)
    numpy.testing.assert_allclose(train[0][0], raw['train'][0][0], rtol=1e-5)


def test_corrupt_idx_file_is_reported(file_server, monkeypatch):
    base, www, _ = file_server
    _, files = _mnist_files(numpy.random.RandomState(3))
    files['train-labels-idx1-ubyte.gz'] = gzip.compress(struct.pack('>ii', 2051, 5))
    _publish(www, mnist, files, monkeypatch, base)
    with pytest.raises(ValueError, match='magic number 2051, expected 2049'):
        datasets.get_mnist()


def _cifar_archive(rng, name, n_per_file):
    buf = io.BytesIO()
    raw = {}
    with tarfile.open(fileobj=buf, mode='w:gz') as tar:
        if name == 'cifar-10':
            members = ['cifar-10-batches-bin/data_batch_{}.bin'.format(i)
                       for i in range(1, 6)] + ['cifar-10-batches-bin/test_batch.bin']
            n_labels = 1
        else:
            members = ['cifar-100-binary/train.bin', 'cifar-100-binary/test.bin']
            n_labels = 2
        for member in members:
            x = rng.randint(0, 256, size=(n_per_file, 3072)).astype(numpy.uint8)
            labels = rng.randint(0, 100, size=(n_per_file, n_labels)).astype(numpy.uint8)
            data = numpy.concatenate([labels, x], axis=1).tobytes()
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            raw[member] = (x, labels[:, -1])
    return buf.getvalue(), raw


def test_get_cifar10_binary(file_server, monkeypatch):
    base, www, _ = file_server
    archive, raw = _cifar_archive(numpy.random.RandomState(4), 'cifar-10', 2)
    _publish(www, cifar, {'cifar-10-binary.tar.gz': archive}, monkeypatch, base)
    train, test = datasets.get_cifar10()
    assert len(train) == 10 and len(test) == 2
    x, t = train[7]                       # batch 4, record 1
    x_ref, t_ref = raw['cifar-10-batches-bin/data_batch_4.bin']
    assert x.shape == (3, 32, 32) and x.dtype == numpy.float32 and t.dtype == numpy.int32
    numpy.testing.assert_allclose(x, x_ref[1].reshape(3, 32, 32) / 255., rtol=1e-6)
    assert t == t_ref[1]
    flat = datasets.get_cifar10(withlabel=False, ndim=1, scale=255.)[1]
    numpy.testing.assert_allclose(flat, raw['cifar-10-batches-bin/test_batch.bin'][0],
                                  rtol=1e-5)
    with pytest.raises(ValueError, match='get_cifar10: invalid ndim 2'):
        datasets.get_cifar10(ndim=2)


def test_get_cifar100_fine_labels(file_server, monkeypatch):
    base, www, _ = file_server
    archive, raw = _cifar_archive(numpy.random.RandomState(5), 'cifar-100', 3)
    _publish(www, cifar, {'cifar-100-binary.tar.gz': archive}, monkeypatch, base)
    train, test = datasets.get_cifar100(dtype=numpy.float64)
    x_ref, fine = raw['cifar-100-binary/test.bin']
    assert [int(t) for _, t in test] == fine.tolist()
    assert train[0][0].dtype == numpy.float64
    numpy.testing.assert_allclose(test[2][0], x_ref[2].reshape(3, 32, 32) / 255.)


def test_get_svhn(file_server, monkeypatch):
    scipy_io = pytest.importorskip('scipy.io', reason='SciPy is not installed')
    base, www, _ = file_server
    rng = numpy.random.RandomState(6)
    files, raw = {}, {}
    for name, n in (('train_32x32.mat', 4), ('test_32x32.mat', 3)):
        X = rng.randint(0, 256, size=(32, 32, 3, n)).astype(numpy.uint8)
        y = numpy.array([[10], [1], [9], [10]][:n], numpy.uint8)
        buf = io.BytesIO()
        scipy_io.savemat(buf, {'X': X, 'y': y})
        files[name] = buf.getvalue()
        raw[name] = (X, y)
    _publish(www, svhn, files, monkeypatch, base)
    train, test = datasets.get_svhn()
    assert len(train) == 4 and len(test) == 3
    x, t = train[0]
    X, _ = raw['train_32x32.mat']
    assert x.shape == (3, 32, 32)
    numpy.testing.assert_allclose(x[2, 5, 7], X[5, 7, 2, 0] / 255., rtol=1e-6)
    assert [int(t) for _, t in train] == [0, 1, 9, 0]
    images = datasets.get_svhn(withlabel=False, scale=255.)[1]
    numpy.testing.assert_allclose(images[1], raw['test_32x32.mat'][0][..., 1]
                                  .transpose(2, 0, 1), rtol=1e-5)


def test_get_ptb_words(file_server, monkeypatch):
    base, www, _ = file_server
    files = {'ptb.train.txt': b' the cat sat \n the dog <unk> \n',
             'ptb.valid.txt': b' dog sat \n',
             'ptb.test.txt': b' cat \n <unk> the \n'}
    _publish(www, ptb, files, monkeypatch, base)
    vocab = datasets.get_ptb_words_vocabulary()
    assert vocab == {'the': 0, 'cat': 1, 'sat': 2, '<eos>': 3, 'dog': 4, '<unk>': 5}
    train, valid, test = datasets.get_ptb_words()
    assert train.dtype == numpy.int32
    assert train.tolist() == [0, 1, 2, 3, 0, 4, 5, 3]
    assert valid.tolist() == [4, 2, 3]
    assert test.tolist() == [1, 3, 5, 0, 3]
    (www / 'ptb.test.txt').write_bytes(b'zebra\n')
    monkeypatch.setitem(ptb.FILES, 'ptb.test.txt', _sha(b'zebra\n'))
    os.remove(os.path.join(dataset.get_dataset_directory('pfnet/chainer/ptb'),
                           'ptb.test.txt'))
    with pytest.raises(ValueError, match="'zebra' of ptb.test.txt"):
        datasets.get_ptb_words()
