"""Dataset root, cached_download (atomic, SHA-256) and cache_or_load_file."""
import hashlib
import http.server
import os
import threading

import pytest

from kusari import dataset
from kusari.dataset import download

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(autouse=True)
def _restore_root():
    yield
    dataset.set_dataset_root(None)


def test_dataset_root_default_env_and_set(monkeypatch, tmp_path):
    monkeypatch.delenv('KUSARI_DATASET_ROOT', raising=False)
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    assert dataset.get_dataset_root() == str(tmp_path / 'cache' / 'kusari' / 'dataset')
    monkeypatch.delenv('XDG_CACHE_HOME')
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    assert dataset.get_dataset_root() == str(
        tmp_path / 'home' / '.cache' / 'kusari' / 'dataset')
    monkeypatch.setenv('KUSARI_DATASET_ROOT', str(tmp_path / 'env'))
    assert dataset.get_dataset_root() == str(tmp_path / 'env')
    dataset.set_dataset_root(tmp_path / 'explicit')
    assert dataset.get_dataset_root() == str(tmp_path / 'explicit')
    path = dataset.get_dataset_directory('a/b')
    assert path == str(tmp_path / 'explicit' / 'a' / 'b') and os.path.isdir(path)
    path = dataset.get_dataset_directory('c', create_directory=False)
    assert not os.path.exists(path)


def test_cached_download_file_url_and_sha(tmp_path):
    dataset.set_dataset_root(str(tmp_path / 'root'))
    src = tmp_path / 'src.bin'
    src.write_bytes(b'payload')
    sha = hashlib.sha256(b'payload').hexdigest()
    path = dataset.cached_download(src.as_uri(), sha256=sha)
    assert open(path, 'rb').read() == b'payload'
    assert os.path.dirname(path) == str(tmp_path / 'root' / '_dl_cache')
    src.write_bytes(b'changed')
    assert dataset.cached_download(src.as_uri()) == path       # cached, not refetched
    assert open(path, 'rb').read() == b'payload'
    with open(path, 'wb') as f:
        f.write(b'garbage')                                      # a corrupted copy
    with pytest.raises(dataset.DownloadError, match='SHA-256'):
        dataset.cached_download(src.as_uri(), sha256=sha)       # refetched: wrong too
    assert open(path, 'rb').read() == b'garbage'                # nothing replaced it
    assert sorted(os.listdir(os.path.dirname(path))) == sorted(
        [os.path.basename(path), '.' + os.path.basename(path) + '.lock'])
    src.write_bytes(b'payload')
    assert open(dataset.cached_download(src.as_uri(), sha256=sha), 'rb').read() == \
        b'payload'


class _Truncating(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Length', '1000')
        self.end_headers()
        self.wfile.write(b'x' * 10)
        self.close_connection = True


@pytest.mark.timeout(30)
def test_interrupted_download_leaves_no_file(tmp_path):
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Truncating)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = 'http://127.0.0.1:{}/f.bin'.format(server.server_address[1])
        target = tmp_path / 'd' / 'f.bin'
        with pytest.raises(dataset.DownloadError, match='could not download') as info:
            download.download_to(url, str(target))
        assert str(target) in str(info.value) and url in str(info.value)
        assert os.listdir(tmp_path / 'd') == ['.f.bin.lock']
    finally:
        server.shutdown()
        server.server_close()


def test_cache_or_load_file(tmp_path):
    path = str(tmp_path / 'sub' / 'x.txt')
    calls = []

    def creator(p):
        calls.append(p)
        assert p != path                  # written elsewhere, then moved
        with open(p, 'w') as f:
            f.write('data')
        return 'created'

    assert dataset.cache_or_load_file(path, creator, lambda p: open(p).read()) == \
        'created'
    assert dataset.cache_or_load_file(path, creator, lambda p: open(p).read()) == 'data'
    assert len(calls) == 1

    def failing(p):
        with open(p, 'w') as f:
            f.write('half')
        raise RuntimeError('creator failed')

    other = str(tmp_path / 'sub' / 'y.txt')
    with pytest.raises(RuntimeError, match='creator failed'):
        dataset.cache_or_load_file(other, failing, open)
    assert not os.path.exists(other)
    assert sorted(n for n in os.listdir(tmp_path / 'sub') if not n.endswith('.lock')) \
        == ['x.txt']
