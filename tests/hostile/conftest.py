"""Fixtures of the hostile-input tests: an app over the sample release, a raw HTTP client, a live gunicorn."""

from __future__ import annotations

import socket
import sys
import threading
from pathlib import Path

import pytest

from lod_pub.web import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))  # load_test: starts gunicorn
import load_test  # noqa: E402

NOT_SPARQL = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\ninternal-key"


@pytest.fixture(scope="session", params=["embedded", "remote"])
def hostile_app(request, release, settings):
    """The app on the embedded store, and reading a remote Oxigraph server (whose own SERVICE support
    must never be reached: the guard refuses first)."""
    if request.param == "remote":
        settings = request.getfixturevalue("remote_settings")
    app = create_app(settings, SPARQL_WORKERS=2, SPARQL_TIMEOUT=30)  # generous: a loaded CI machine
    yield app
    app.extensions["lod_pub.sparql"]["pool"].close()


@pytest.fixture()
def hostile_mode(hostile_app) -> str:
    """'remote' when the app reads a remote store, else 'embedded'."""
    return "remote" if hostile_app.config["LOD_PUB_SETTINGS"].remote else "embedded"


@pytest.fixture()
def client(hostile_app):
    return hostile_app.test_client()


@pytest.fixture(scope="session")
def gunicorn_url(release, settings, tmp_path_factory):
    """gunicorn -w 2 over the sample release on a free loopback port; stopped by its pid at the end."""
    log = tmp_path_factory.mktemp("hostile-gunicorn") / "server.log"
    url, proc = load_test.start_gunicorn(settings.data_dir, env={"LOD_PUB_SPARQL_TIMEOUT": "10"}, log=log)
    try:
        yield url
    finally:
        load_test.stop(proc)
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text(errors="replace")[-3000:]


@pytest.fixture()
def listener():
    """A loopback 'internal service' that answers every connection with a page that is not SPARQL and
    records it: (its URL, the requests it received). Nothing may ever connect."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    seen, done = [], threading.Event()

    def serve():
        while not done.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    seen.append(conn.recv(4096))
                    conn.sendall(NOT_SPARQL)
                except OSError:
                    seen.append(b"?")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/x", seen
    done.set()
    thread.join(2)
    server.close()
