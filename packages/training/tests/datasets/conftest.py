"""A local HTTP server for the loader tests, and a guard against real downloads."""
import functools
import http.server
import threading
import urllib.parse
import urllib.request

import pytest

from kusari import dataset


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.requests.append(self.path)
        if self.path.startswith('/truncated/'):
            # Announce 1000 bytes, send 10 and hang up: an interrupted download.
            self.send_response(200)
            self.send_header('Content-Length', '1000')
            self.end_headers()
            self.wfile.write(b'0123456789')
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture
def file_server(tmp_path):
    """Serve ``tmp_path / 'www'`` on 127.0.0.1; yields (base_url, directory, requests)."""
    www = tmp_path / 'www'
    www.mkdir()
    handler = functools.partial(_Handler, directory=str(www))
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield 'http://127.0.0.1:{}/'.format(server.server_address[1]), www, server.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(autouse=True)
def dataset_root(tmp_path, monkeypatch):
    """Every test gets an empty dataset root, and no URL but 127.0.0.1 is opened."""
    root = tmp_path / 'root'
    dataset.set_dataset_root(str(root))
    real_urlopen = urllib.request.urlopen

    def guarded_urlopen(url, *args, **kwargs):
        text = url if isinstance(url, str) else url.full_url
        host = urllib.parse.urlsplit(text).hostname
        if host not in ('127.0.0.1', None):
            raise AssertionError('a test tried to open {}'.format(text))
        return real_urlopen(url, *args, **kwargs)

    monkeypatch.setattr(urllib.request, 'urlopen', guarded_urlopen)
    yield root
    dataset.set_dataset_root(None)
