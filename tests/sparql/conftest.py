"""Fixtures of the SPARQL tests: an app over the sample release, and a live server subprocess."""

from __future__ import annotations

import pytest

from lod_pub.web import create_app
from sparql_support import LiveServer


@pytest.fixture(scope="session", params=["embedded", "remote", "virtuoso"])
def sparql_app(request, release, settings):
    """One app (and one worker pool) for the read-only tests, on the embedded store, reading a remote
    Oxigraph server, and reading a Virtuoso server; its workers are stopped at the end."""
    if request.param == "remote":
        settings = request.getfixturevalue("remote_settings")
    if request.param == "virtuoso":
        settings = request.getfixturevalue("virtuoso_settings")
    app = create_app(settings, SPARQL_WORKERS=2, SPARQL_TIMEOUT=10)
    yield app
    app.extensions["lod_pub.sparql"]["pool"].close()


@pytest.fixture()
def client(sparql_app):
    return sparql_app.test_client()


@pytest.fixture()
def make_app(release, settings):
    """An app with its own settings; its pool is closed after the test."""
    apps = []

    def make(**config):
        app = create_app(settings, **config)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["lod_pub.sparql"]["pool"].close()


@pytest.fixture(scope="session")
def live(release, settings, tmp_path_factory):
    """`lod-pub`'s app served on 127.0.0.1 (a free port) in a subprocess; stopped by pid at the end."""
    server = LiveServer(settings.data_dir, tmp_path_factory.mktemp("live"))
    server.start()
    yield server
    server.stop()
