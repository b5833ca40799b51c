"""Serve a built site on 127.0.0.1, under the path of its ``site_url`` as the web server would."""

from __future__ import annotations

import functools
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit


class SiteServer:
    """A static file server in a background thread on a free port of 127.0.0.1.

    ``prefix`` is the path the site lives under (``/sammen`` for ``https://host/sammen/``): the
    404 page links its assets with that absolute path. A missing file gets ``404.html`` with
    status 404, as on a real host.
    """

    def __init__(self, directory: Path, prefix: str = "") -> None:
        self.directory = Path(directory)
        self.prefix = "/" + prefix.strip("/") if prefix.strip("/") else ""
        handler = functools.partial(_Handler, directory=str(self.directory), prefix=self.prefix)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="site-server", daemon=True)

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def root(self) -> str:
        """The site's front page: origin plus prefix, ending in a slash."""
        return f"{self.origin}{self.prefix}/"

    def url(self, path: str) -> str:
        return self.root + path.lstrip("/")

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, prefix: str, **kwargs) -> None:
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if self.prefix:
            if path != self.prefix and not path.startswith(self.prefix + "/"):
                return str(Path(self.directory) / ".outside-the-site" / "missing")  # never exists: 404
            path = path[len(self.prefix):] or "/"
        return super().translate_path(path)

    def list_directory(self, path):  # a folder without index.html is missing, not a listing
        self.send_error(HTTPStatus.NOT_FOUND)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
        pass
