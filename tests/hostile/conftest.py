"""Fixtures of the hostile-input tests: an app over the sample release, a raw HTTP client, a live gunicorn."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lod_pub.web import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))  # load_test: starts gunicorn
import load_test  # noqa: E402


@pytest.fixture(scope="session", params=["embedded", "remote", "virtuoso"])
def hostile_app(request, release, settings):
    """The app on the embedded store, reading a remote Oxigraph server, and reading a Virtuoso server
    (whose own SERVICE support must never be reached: the guard refuses first)."""
    if request.param == "remote":
        settings = request.getfixturevalue("remote_settings")
    if request.param == "virtuoso":
        settings = request.getfixturevalue("virtuoso_settings")
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
def gunicorn(release, settings, tmp_path_factory):
    """gunicorn -w 2 over the sample release on a free loopback port: (url, master process); stopped by
    its pid at the end."""
    log = tmp_path_factory.mktemp("hostile-gunicorn") / "server.log"
    url, proc = load_test.start_gunicorn(settings.data_dir, env={"LOD_PUB_SPARQL_TIMEOUT": "10"}, log=log)
    try:
        yield url, proc
    finally:
        load_test.stop(proc)
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text(errors="replace")[-3000:]


@pytest.fixture(scope="session")
def gunicorn_url(gunicorn) -> str:
    return gunicorn[0]
